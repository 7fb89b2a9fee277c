"""Which eIDAS level the current visitor has proven through the state account.

The state-account login records the level it achieved in the session; the
module framework's ``TrustLevelMiddleware`` (``rathaus.modules.trust``) lets a
visitor into a service only with the level the town requires for it.
"""

from django.http import HttpRequest

from rathaus.platform.federation.models import TRUST_ORDER, TrustLevel

SESSION_KEY = "rathaus_trust_level"


def trust_sufficient(*, achieved: str, required: str) -> bool:
    """Whether ``achieved`` is at least ``required`` (an unknown level proves nothing)."""
    if not required:
        return True
    if achieved not in TrustLevel.values or required not in TrustLevel.values:
        return False
    return TRUST_ORDER.index(TrustLevel(achieved)) >= TRUST_ORDER.index(TrustLevel(required))


def session_trust_level_set(request: HttpRequest, level: str) -> None:
    request.session[SESSION_KEY] = level


def session_trust_level(request: HttpRequest) -> str:
    """The level the visitor proved in this session ("" = none)."""
    return str(request.session.get(SESSION_KEY, ""))
