"""Passkeys (WebAuthn) with the ``webauthn`` library: register, log in, rename, remove.

The relying party is the town's primary host: a browser gives a passkey only to
the host it was made for, and the server checks the RP ID hash and the origin
again, so a passkey made for one town never logs in on another (and each
town's schema holds only its own credentials besides).

The ceremony runs in two steps; the view keeps the challenge of the first in
the session and hands it to the second.
"""

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, parse_authentication_credential_json
from webauthn.helpers.exceptions import InvalidJSONStructure, WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from rathaus.platform.branding.selectors import current_branding
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import primary_domain, town_url
from rathaus.tenants.services import town_host

from .models import Passkey, User

NAME_MAX_LENGTH = 64


@dataclass(frozen=True)
class Ceremony:
    """What the browser gets (``options``, JSON) and what the server keeps (``challenge``)."""

    options: str
    challenge: bytes


def passkey_rp_id(*, town: Municipality) -> str:
    """The relying party ID of ``town``: its primary host name."""
    return primary_domain(town=town) or town_host(slug=town.slug)


def passkey_origin(*, town: Municipality) -> str:
    """The one origin a town's passkey ceremonies may come from (scheme, primary host, port)."""
    return town_url(town=town, path="")


def _transports(values: list[str]) -> list[AuthenticatorTransport]:
    known = {t.value for t in AuthenticatorTransport}
    return [AuthenticatorTransport(v) for v in values if v in known]


def passkey_registration_start(*, town: Municipality, user: User) -> Ceremony:
    """Options for ``navigator.credentials.create``: a discoverable credential for this town.

    The account's existing passkeys are excluded, so one authenticator is not
    registered twice.
    """
    branding = current_branding()
    options = generate_registration_options(
        rp_id=passkey_rp_id(town=town),
        rp_name=branding.display_name or town.name,
        user_id=str(user.pk).encode(),
        user_name=user.email,
        user_display_name=user.get_full_name(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    return Ceremony(options=options_to_json(options), challenge=options.challenge)


def _transports_of(credential: str) -> list[str]:
    """The transports the browser reported (a hint for later logins); ``[]`` if none."""
    try:
        values = json.loads(credential).get("response", {}).get("transports", [])
    except (ValueError, AttributeError):
        return []
    return [t.value for t in _transports(values)] if isinstance(values, list) else []


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Bitte geben Sie dem Passkey einen Namen."), code="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("Der Name ist zu lang (höchstens %(max)d Zeichen).") % {"max": NAME_MAX_LENGTH},
            code="name",
        )
    return name


def passkey_register(
    *, town: Municipality, user: User, credential: str, challenge: bytes, name: str
) -> Passkey:
    """Checks the browser's answer to ``passkey_registration_start`` and keeps the passkey.

    Raises ``ValidationError`` naming what is wrong (no name, a foreign host,
    a stale challenge, a passkey already registered).
    """
    name = _clean_name(name)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=passkey_rp_id(town=town),
            expected_origin=passkey_origin(town=town),
        )
    except (WebAuthnException, InvalidJSONStructure, ValueError, KeyError) as exc:
        raise ValidationError(
            _("Der Passkey konnte nicht eingerichtet werden: %(reason)s") % {"reason": exc},
            code="invalid",
        ) from exc
    transports = _transports_of(credential)
    # The unique credential id decides, not a look-up first: the same answer posted
    # twice at once (a double tap) keeps one passkey and tells the second one so.
    try:
        with transaction.atomic():
            return Passkey.objects.create(
                user=user,
                name=name,
                confirmed=True,
                credential_id=verified.credential_id,
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                rp_id=passkey_rp_id(town=town),
                transports=transports,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Dieser Passkey ist schon eingerichtet."), code="duplicate"
        ) from exc


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=bytes(key.credential_id), transports=_transports(key.transports)
        )
        for key in Passkey.objects.filter(user=user)
    ]


def passkey_login_start(*, town: Municipality, user: User | None = None) -> Ceremony:
    """Options for ``navigator.credentials.get``: any passkey of this town (discoverable).

    With ``user`` (the second step after a password), only that account's passkeys.
    """
    options = generate_authentication_options(
        rp_id=passkey_rp_id(town=town),
        user_verification=UserVerificationRequirement.PREFERRED,
        allow_credentials=_descriptors(user) if user is not None else None,
    )
    return Ceremony(options=options_to_json(options), challenge=options.challenge)


@transaction.atomic
def passkey_authenticate(*, town: Municipality, credential: str, challenge: bytes) -> Passkey:
    """The passkey (of an active account) that signed ``challenge`` on this town's host.

    Raises ``ValidationError`` if the passkey is unknown here, belongs to an
    inactive account, was made for another host, or its signature or counter
    is wrong. Records the time of use and the new counter.
    """
    failed = _("Die Anmeldung mit dem Passkey hat nicht geklappt.")
    try:
        parsed = parse_authentication_credential_json(credential)
    except (InvalidJSONStructure, ValueError, KeyError) as exc:
        raise ValidationError(failed, code="invalid") from exc
    passkey = (
        Passkey.objects.select_for_update()
        .select_related("user")
        # Only passkeys made for this town's host: a credential id alone is not enough.
        .filter(credential_id=parsed.raw_id, rp_id=passkey_rp_id(town=town), user__is_active=True)
        .first()
    )
    if passkey is None:
        raise ValidationError(
            _("Diesen Passkey kennt das digitale Rathaus dieser Kommune nicht."), code="unknown"
        )
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=passkey_rp_id(town=town),
            expected_origin=passkey_origin(town=town),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, InvalidJSONStructure, ValueError) as exc:
        raise ValidationError(failed, code="invalid") from exc
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])
    return passkey


def passkey_rename(*, user: User, passkey_id: int, name: str) -> None:
    Passkey.objects.filter(user=user, pk=passkey_id).update(name=_clean_name(name))


def passkey_remove(*, user: User, passkey_id: int) -> bool:
    """Removes one of ``user``'s passkeys; ``False`` if there was none with that id."""
    deleted, _rows = Passkey.objects.filter(user=user, pk=passkey_id).delete()
    return bool(deleted)


def challenge_from_session(value: object) -> bytes | None:
    """The challenge a view kept in the session (base64url text), or ``None``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return base64url_to_bytes(value)
    except ValueError:
        return None
