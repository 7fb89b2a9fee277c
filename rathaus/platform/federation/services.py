"""Writes about state-account settings and links."""

import datetime
import hashlib
from typing import Any

import requests
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.federation.models import (
    FederatedIdentity,
    IdentityProvider,
    Protocol,
)
from rathaus.platform.federation.registry import FederatedLogin, FederationError, registry
from rathaus.platform.federation.trust import trust_sufficient
from rathaus.platform.identity.models import User, is_reserved_email
from rathaus.tenants.current import current_town

# Account fields a state account may fill in (and mark verified).
MAPPABLE_FIELDS = [
    "email",
    "first_name",
    "last_name",
    "birth_date",
    "street",
    "postal_code",
    "city",
]


def _audit_snapshot(provider: IdentityProvider | None) -> dict[str, str]:
    """The provider's settings for the audit log, without secrets and keys."""
    if provider is None:
        return {}
    return {
        field.name: str(getattr(provider, field.attname))
        for field in provider._meta.concrete_fields
        if not any(word in field.name for word in ("secret", "private_key", "certificate", "xml"))
    }


def provider_save(
    *, provider: IdentityProvider, common_name: str, actor: Actor | None = None
) -> IdentityProvider:
    """Validates and saves a town's settings; a SAML row gets the town's own SP keys.

    The change goes into the town's audit log (secrets and keys left out).
    """
    from rathaus.platform.federation.keys import sp_keypair_generate

    stored = IdentityProvider.objects.filter(pk=provider.pk).first() if provider.pk else None
    before = _audit_snapshot(stored)
    if (
        provider.protocol == Protocol.SAML
        and provider.saml_metadata_url
        and (stored is None or stored.saml_metadata_url != provider.saml_metadata_url)
    ):
        # The login reads the stored XML: a (new) metadata URL is fetched now.
        from rathaus.platform.federation.saml import saml_metadata_fetch

        try:
            saml_metadata_fetch(provider=provider)
        except (requests.RequestException, FederationError) as error:
            raise ValidationError(
                {
                    "saml_metadata_url": _("Die Metadaten konnten nicht geladen werden: %(e)s")
                    % {"e": error}
                }
            ) from error

    plugin = registry[provider.protocol]
    if not provider.attribute_mapping:
        provider.attribute_mapping = dict(plugin.default_mapping)
    if not provider.requested_attributes:
        provider.requested_attributes = list(plugin.default_attributes)
    unknown = set(provider.attribute_mapping) - set(MAPPABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {"attribute_mapping": _("Unbekannte Kontofelder: %s") % ", ".join(sorted(unknown))}
        )
    if provider.protocol == Protocol.SAML and not provider.sp_private_key:
        provider.sp_private_key, provider.sp_certificate = sp_keypair_generate(
            common_name=common_name
        )
    provider.full_clean()
    provider.save()
    for values in (stored, provider):
        if values is not None:
            plugin.settings_saved(values)
    after = _audit_snapshot(provider)
    audit_record(
        town=current_town(),
        actor=actor or Actor.system("federation"),
        action="federation.save",
        target=provider.protocol,
        before={key: value for key, value in before.items() if after.get(key) != value} or None,
        after={key: value for key, value in after.items() if before.get(key) != value},
    )
    return provider


def _lookup(attributes: dict[str, Any], path: str) -> Any:
    value: Any = attributes
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value


def _clean(field: str, value: Any) -> Any:
    if field == "birth_date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    if field == "email" and isinstance(value, str):
        return value.strip().lower()
    return str(value).strip() if value is not None else None


def mapped_attributes(*, provider: IdentityProvider, attributes: dict[str, Any]) -> dict[str, Any]:
    """The account fields the state account delivered, per the town's mapping."""
    mapping = provider.attribute_mapping or registry[provider.protocol].default_mapping
    result = {}
    for field, name in mapping.items():
        value = _clean(field, _lookup(attributes, name))
        if value:
            result[field] = value
    return result


@transaction.atomic
def federation_login_complete(
    *, provider: IdentityProvider, login: FederatedLogin, current_user: User | None
) -> User:
    """Finds, links or creates the town's account for a checked state-account login.

    - A known link logs in its account.
    - A logged-in person links their existing account; it keeps all its data
      (password, phone, memberships, everything modules hold on it).
    - Otherwise a new account is made. If the state account's e-mail already
      belongs to an account here, nothing is merged: the person must log in
      with that account first and link it, so that an e-mail address alone
      never hands over an account.

    Fields delivered by the state account are written and marked verified;
    an existing account's e-mail address (its login) is never changed.
    Raises ``FederationError`` when the login's trust level is too low.
    """
    if not trust_sufficient(achieved=login.trust_level, required=provider.trust_level):
        raise FederationError(
            _("Das Vertrauensniveau der Anmeldung reicht für diese Kommune nicht.")
        )
    values = mapped_attributes(provider=provider, attributes=login.attributes)
    link = (
        FederatedIdentity.objects.select_for_update()
        .filter(provider=provider, subject=login.subject)
        .select_related("user")
        .first()
    )
    if link is not None:
        if current_user is not None and link.user_id != current_user.pk:
            raise FederationError(
                _("Dieses Landeskonto ist schon mit einem anderen Konto verknüpft.")
            )
        user = link.user
    elif current_user is not None:
        if FederatedIdentity.objects.filter(provider=provider, user=current_user).exists():
            raise FederationError(_("Ihr Konto ist schon mit einem Landeskonto verknüpft."))
        user = current_user
        link = FederatedIdentity(provider=provider, user=user, subject=login.subject)
    else:
        email = values.get("email") or (
            hashlib.sha256(f"{provider.pk}:{login.subject}".encode()).hexdigest()[:24]
            + "@landeskonto.invalid"
        )
        if is_reserved_email(email) or User.objects.filter(email__iexact=email).exists():
            raise FederationError(
                _(
                    "Es gibt schon ein Konto mit der E-Mail-Adresse Ihres Landeskontos. "
                    "Bitte melden Sie sich damit an und verknüpfen Sie es dann unter „Mein Konto“."
                )
            )
        user = User.objects.create_user(email, None)
        link = FederatedIdentity(provider=provider, user=user, subject=login.subject)

    verified = set(user.verified_fields)
    for field, value in values.items():
        if field == "email":
            if value == user.email:
                verified.add("email")
                if user.email_verified_at is None:
                    user.email_verified_at = timezone.now()
            continue
        setattr(user, field, value)
        verified.add(field)
    user.verified_fields = sorted(verified)
    user.save()
    link.trust_level = login.trust_level
    link.last_login_at = timezone.now()
    link.save()
    return user


def federation_unlink(*, user: User, link_id: int) -> bool:
    """Removes a link; the account stays, its fields lose their "verified" mark."""
    deleted, _rows = FederatedIdentity.objects.filter(user=user, pk=link_id).delete()
    if deleted:
        user.verified_fields = []
        user.save(update_fields=["verified_fields"])
    return bool(deleted)


def preset_apply(*, preset: Any, provider: IdentityProvider | None = None) -> IdentityProvider:
    """Copies a vendor preset into the current town's settings (secrets untouched)."""
    provider = provider or (
        IdentityProvider.objects.filter(protocol=preset.protocol).first()
        or IdentityProvider(protocol=preset.protocol)
    )
    provider.name = preset.name
    provider.preset_key = preset.key
    provider.trust_level = preset.trust_level
    provider.requested_attributes = list(preset.requested_attributes)
    provider.attribute_mapping = dict(preset.attribute_mapping)
    if preset.protocol == Protocol.SAML:
        provider.saml_metadata_url = preset.saml_metadata_url
    else:
        provider.oidc_issuer = preset.oidc_issuer
        if preset.oidc_scopes:
            provider.oidc_scopes = preset.oidc_scopes
    return provider
