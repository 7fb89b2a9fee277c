"""One submission per form token: a second click on "send" does nothing more.

On a slow phone connection people press the button twice. Each showing of a
form carries its own token (``bot_check.form_started_token``); the first
request with it claims the token in the town's cache (keys carry the schema),
runs, and leaves a reference to its result there. A repeat waits briefly for
that result and gets it. A first attempt that was refused (one of
``refusals``: nothing was done) frees the token, so the form may be sent again.
"""

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from rathaus.platform.abuse.bot_check import MAX_FILL_SECONDS

T = TypeVar("T")
_CLAIMED = "claimed"
# How long a repeated click waits for the first one's result.
WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.1


class AlreadySubmitted(Exception):  # noqa: N818 (reads as what happened)
    """The token's first submission is still running (or its result is gone) after the wait."""


def _key(purpose: str, token: str) -> str:
    return f"abuse:once:{purpose}:" + hashlib.sha256(token.encode()).hexdigest()


def submitted_once(
    *,
    token: str,
    purpose: str,
    submit: Callable[[], T],
    remember: Callable[[T], str],
    recall: Callable[[str], T | None],
    refusals: tuple[type[Exception], ...],
    ttl: float = MAX_FILL_SECONDS,
    wait: float = WAIT_SECONDS,
) -> T:
    """Runs ``submit`` for the first request with form ``token``; a repeat gets its result.

    ``remember`` turns the result into a short string kept in the cache for
    ``ttl`` seconds (as long as the token is valid); ``recall`` finds the
    result again from it (``None``: not visible yet). A ``refusals`` exception
    frees the token and propagates; any other error keeps it claimed, since
    part of the work may be done. Raises ``AlreadySubmitted`` when a repeat's
    wait of ``wait`` seconds ends without a result.
    """
    key = _key(purpose, token)
    deadline = time.monotonic() + wait
    while True:
        if cache.add(key, _CLAIMED, timeout=ttl):
            try:
                result = submit()
            except refusals:
                cache.delete(key)
                raise
            cache.set(key, remember(result), timeout=ttl)
            return result
        value = cache.get(key)
        if value is not None and value != _CLAIMED:
            found = recall(value)
            if found is not None:
                return found
        # None: the first attempt was refused meanwhile; the next round claims the token.
        if value is not None and time.monotonic() > deadline:
            raise AlreadySubmitted(f"{purpose}: token still claimed after {wait} s")
        time.sleep(_POLL_SECONDS)
