"""Each active module's parts of "Mein Rathaus" (identity's account-sections port)."""

from django.urls import reverse

from rathaus.modules.selectors import active_modules
from rathaus.platform.identity.account_sections import AccountLink, AccountLinkItem
from rathaus.platform.identity.models import User
from rathaus.tenants.current import current_town


def module_account_links(user: User) -> list[AccountLink]:
    """The ``account_sections`` of every module active in the current town, in module order."""
    return [
        AccountLink(
            section.title,
            reverse(f"{module.key}:{section.url_name}"),
            section.summary,
            tuple(AccountLinkItem(item.title, item.url, item.detail) for item in section.items),
        )
        for module in active_modules(town=current_town())
        for section in module.account_sections(user=user)
    ]
