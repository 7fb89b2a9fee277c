"""Who a town's messages come from: the town, by name, at the platform's address."""

import re
import unicodedata
from email.utils import parseaddr, quote
from urllib.parse import urlsplit

from django.conf import settings

from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

# An SMS sender name: at most 11 letters, digits and spaces (GSM alphanumeric sender ID).
SMS_SENDER_MAX = 11
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def town_host_name(*, town: Municipality) -> str:
    """The town's primary host, e.g. ``tangerhuette.localhost``."""
    return urlsplit(town_url(town=town, path="")).hostname or "localhost"


def town_sender(*, town: Municipality) -> str:
    """The From header of the town's e-mail, every kind alike, e.g.
    ``Tangerhütte <noreply@rathaus.example>``: the town's name with the platform's address.

    The address is ``MESSAGING_FROM_EMAIL`` where one is configured (``{host}`` in it
    becomes the town's primary host, e.g. ``rathaus@{host}`` where each town's own
    domain may send), else the address of ``DEFAULT_FROM_EMAIL`` (its display
    name, if any, gives way to the town's): the one SPF and DKIM are set up for.
    """
    configured = str(getattr(settings, "MESSAGING_FROM_EMAIL", "") or "")
    if configured:
        address = configured.replace("{host}", town_host_name(town=town))
    else:
        address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1] or str(settings.DEFAULT_FROM_EMAIL)
    name = town.name.replace("\n", " ").strip()
    if re.search(r'[()<>@,:;".\[\]\\]', name):
        name = f'"{quote(name)}"'
    # Not encoded here: the e-mail backend encodes the name for the header (RFC 2047).
    return f"{name} <{address}>"


def town_sms_sender(*, town: Municipality) -> str:
    """The town's name as an SMS sender ID (``Tangerhütte`` -> ``Tangerhuett``)."""
    folded = unicodedata.normalize("NFKD", town.name.translate(_FOLD))
    plain = re.sub(r"[^A-Za-z0-9 ]", "", folded.encode("ascii", "ignore").decode()).strip()
    return plain[:SMS_SENDER_MAX].strip() or str(settings.SMS_SENDER)
