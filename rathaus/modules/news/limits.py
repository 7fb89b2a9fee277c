"""How often someone may ask for double opt-in e-mails: per visitor address and per e-mail address.

Without a limit the subscribe form sends e-mail to any address, as often as
asked. Counted by the platform's rate limits (``rathaus.platform.abuse.limits``),
per town; the e-mail address is counted as a hash, never stored.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from rathaus.platform.abuse.limits import Per, RateLimit, first_limit_reached

# A household, an office or a mobile network shares one address: room for several people.
SUBSCRIBE_PER_CLIENT = RateLimit("news.subscribe.client", "20/h", Per.CLIENT)
# Someone whose e-mail did not arrive asks again once or twice; not more, and not
# for someone else's address over and over.
SUBSCRIBE_PER_EMAIL = RateLimit("news.subscribe.email", "5/d", Per.EMAIL)


@dataclass(frozen=True)
class Limited:
    """Why a subscription request was refused, said for the visitor."""

    message: str


def subscribe_limit(*, request: HttpRequest, email: str) -> Limited | None:
    """Counts one opt-in request for ``email`` from this client; ``Limited`` once too many."""
    reached = first_limit_reached(request, [SUBSCRIBE_PER_EMAIL, SUBSCRIBE_PER_CLIENT], email=email)
    if reached is SUBSCRIBE_PER_EMAIL:
        return Limited(
            _(
                "Für diese E-Mail-Adresse haben wir heute schon mehrere Bestätigungs-E-Mails "
                "verschickt. Bitte sehen Sie in Ihrem Postfach nach, auch im Spam-Ordner, "
                "oder versuchen Sie es morgen noch einmal."
            )
        )
    if reached is SUBSCRIBE_PER_CLIENT:
        return Limited(
            _(
                "Von Ihrem Anschluss kamen in der letzten Stunde zu viele Anmeldungen. "
                "Bitte versuchen Sie es später noch einmal."
            )
        )
    return None
