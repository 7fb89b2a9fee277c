"""How often someone may ask for double opt-in e-mails: per visitor address and per e-mail address.

Without a limit the subscribe form sends e-mail to any address, as often as
asked. Counters live in the cache (django-ratelimit), per town (the cache keys
carry the schema); the e-mail address is counted as a hash, never stored.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

# A household, an office or a mobile network shares one address: room for several people.
RATE_PER_CLIENT = "20/h"
# Someone whose e-mail did not arrive asks again once or twice; not more, and not
# for someone else's address over and over.
RATE_PER_EMAIL = "5/d"


@dataclass(frozen=True)
class Limited:
    """Why a subscription request was refused, said for the visitor."""

    message: str


def subscribe_limit(*, request: HttpRequest, email: str) -> Limited | None:
    """Counts one opt-in request for ``email`` from this client; ``Limited`` once too many."""
    address = email.strip().lower()
    by_email = is_ratelimited(
        request,
        group="news.subscribe.email",
        key=lambda group, request: address,
        rate=RATE_PER_EMAIL,
        increment=True,
    )
    by_client = is_ratelimited(
        request, group="news.subscribe.client", key="ip", rate=RATE_PER_CLIENT, increment=True
    )
    if by_email:
        return Limited(
            _(
                "Für diese E-Mail-Adresse haben wir heute schon mehrere Bestätigungs-E-Mails "
                "verschickt. Bitte sehen Sie in Ihrem Postfach nach, auch im Spam-Ordner, "
                "oder versuchen Sie es morgen noch einmal."
            )
        )
    if by_client:
        return Limited(
            _(
                "Von Ihrem Anschluss kamen in der letzten Stunde zu viele Anmeldungen. "
                "Bitte versuchen Sie es später noch einmal."
            )
        )
    return None
