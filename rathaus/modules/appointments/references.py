"""Reference numbers of bookings: short, read out on the phone, typed in at the counter.

"T-7KQ4-2M": a "T" for Termin and six characters from an alphabet without the
ones people mix up (0/O, 1/I/L) or misread (U/V), so a number heard or copied
by hand is still the same number. 30⁶ (about 730 million) numbers per town;
a new booking whose random number is taken already tries another one (the
database's unique constraint decides, see ``counters.booking_insert``).
A reference number is no secret and opens nothing: it names a booking for
the citizen and for staff, the signed links do the rest.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "T"
LENGTH = 6


def reference_new() -> str:
    """A random reference number, e.g. ``T-7KQ4-2M``."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{PREFIX}-{code[:4]}-{code[4:]}"


def reference_normalise(text: str) -> str | None:
    """The reference number someone typed (``t 7kq42m``, ``T-7KQ4-2M``), in its stored
    form, or ``None`` if it cannot be one."""
    compact = re.sub(r"[\s\-–_.]", "", text.upper())
    if compact.startswith(PREFIX) and len(compact) == LENGTH + 1:
        compact = compact[1:]
    if len(compact) != LENGTH or any(char not in ALPHABET for char in compact):
        return None
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"
