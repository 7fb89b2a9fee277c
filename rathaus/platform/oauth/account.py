"""The "Verbundene Apps" section of "Mein Rathaus" (identity's account-sections port)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rathaus.platform.identity.account_sections import AccountLink, AccountLinkItem
from rathaus.platform.identity.models import User
from rathaus.platform.oauth.selectors import connected_apps


def connected_apps_link(user: User) -> list[AccountLink]:
    """A link to the person's connected apps, naming them; none while no app has access."""
    connections = connected_apps(user=user)
    if not connections:
        return []
    return [
        AccountLink(
            _("Verbundene Apps"),
            reverse("oauth:connected"),
            _("Apps, die in Ihrem Namen auf Ihr Konto zugreifen dürfen."),
            tuple(AccountLinkItem(str(c.application.name)) for c in connections),
        )
    ]
