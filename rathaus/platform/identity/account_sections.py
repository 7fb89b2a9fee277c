"""The account-sections port: what "Mein Rathaus" shows besides the account itself.

Identity knows only accounts. The layers above (each service module, through
the module framework) register a provider here that lists, per person and
request, their parts of the page, e.g. "Meine Termine" with the bookings to come.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from rathaus.platform.identity.models import User

Text = str | Promise


@dataclass(frozen=True)
class AccountLinkItem:
    """One thing listed under a link on "Mein Rathaus" (the next appointment), with its page."""

    title: Text
    url: str = ""
    detail: Text = ""


@dataclass(frozen=True)
class AccountLink:
    """A link on "Mein Rathaus" to a page of the person's, with a few words on what is there
    and, in ``items``, the first few things themselves."""

    title: Text
    url: str
    summary: Text = ""
    items: tuple[AccountLinkItem, ...] = ()


AccountLinksProvider = Callable[[User], list[AccountLink]]
_providers: list[AccountLinksProvider] = []


def account_links_provider(provider: AccountLinksProvider) -> AccountLinksProvider:
    """Registers a function that lists links for a person (called once per page shown)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def account_links(*, user: User) -> list[AccountLink]:
    """Every link the registered providers give for ``user``, in the current town."""
    return [link for provider in _providers for link in provider(user)]
