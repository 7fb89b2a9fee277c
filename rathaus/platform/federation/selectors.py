"""Reads about state-account settings and links (current town only)."""

from dataclasses import dataclass
from typing import Any

from rathaus.platform.federation.models import FederatedIdentity, IdentityProvider
from rathaus.platform.identity.models import User
from rathaus.platform.identity.personal_data import personal_data_section


@dataclass(frozen=True)
class LoginOption:
    protocol: str
    name: str


def provider_enabled(*, protocol: str) -> IdentityProvider | None:
    """The town's enabled provider for ``protocol``, or None."""
    return IdentityProvider.objects.filter(protocol=protocol, enabled=True).first()


def federation_login_options() -> list[LoginOption]:
    return [
        LoginOption(protocol=p.protocol, name=p.name)
        for p in IdentityProvider.objects.filter(enabled=True).order_by("protocol")
    ]


def federation_links_for(*, user: User) -> list[FederatedIdentity]:
    return list(FederatedIdentity.objects.filter(user=user).select_related("provider"))


def _export(user: User) -> list[dict[str, Any]]:
    return [
        {
            "provider": link.provider.name,
            "protocol": link.provider.protocol,
            "subject": link.subject,
            "trust_level": link.trust_level,
            "linked_at": link.created_at.isoformat(),
            "last_login_at": link.last_login_at.isoformat() if link.last_login_at else None,
        }
        for link in federation_links_for(user=user)
    ]


# The links go with the account (cascade); the export shows them.
personal_data_section("state_account_links", export=_export)
