"""Registering apps with a town and ending a person's connection to one."""

import datetime as dt
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import (
    AbstractAccessToken,
    AbstractApplication,
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.oauth.models import AppUse
from rathaus.tenants.models import Municipality

# "Last used" is written at most this often per person and app.
USE_RESOLUTION = dt.timedelta(minutes=1)


def token_mark_used(*, token: AbstractAccessToken) -> None:
    """Notes that the token's app acted for its person now (for "Verbundene Apps")."""
    if token.user_id is None or token.application_id is None:
        return
    now = timezone.now()
    mine = AppUse.objects.filter(user_id=token.user_id, application_id=token.application_id)
    if not mine.filter(last_used_at__lt=now - USE_RESOLUTION).update(last_used_at=now):
        AppUse.objects.get_or_create(
            user_id=token.user_id,
            application_id=token.application_id,
            defaults={"last_used_at": now},
        )


def redirect_uris_check(uris: list[str]) -> list[str]:
    """The redirect URIs, each checked: an allowed scheme, a host or path, no fragment.

    Raises ValidationError naming each URI that is wrong and why.
    """
    allowed = [scheme.lower() for scheme in oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES]
    problems = []
    cleaned = [uri.strip() for uri in uris if uri.strip()]
    if not cleaned:
        problems.append(_("Mindestens eine Rücksprungadresse (redirect URI) ist nötig."))
    for uri in cleaned:
        parts = urlsplit(uri)
        if parts.scheme.lower() not in allowed:
            problems.append(
                _("„%(uri)s“: das Schema „%(scheme)s“ ist nicht erlaubt (erlaubt: %(allowed)s).")
                % {"uri": uri, "scheme": parts.scheme, "allowed": ", ".join(allowed)}
            )
        elif parts.scheme.lower() == "https" and not parts.netloc:
            problems.append(_("„%(uri)s“: nach https:// fehlt der Host.") % {"uri": uri})
        elif not (parts.netloc or parts.path):
            problems.append(_("„%(uri)s“: nach dem Schema fehlt ein Pfad.") % {"uri": uri})
        elif parts.fragment:
            problems.append(_("„%(uri)s“: ein Fragment (#…) ist nicht erlaubt.") % {"uri": uri})
    if problems:
        raise ValidationError({"redirect_uris": problems})
    return cleaned


@transaction.atomic
def app_register(
    *, town: Municipality, name: str, redirect_uris: list[str], actor: Actor
) -> AbstractApplication:
    """Registers a public client (a native or mobile app) with ``town``.

    It uses the authorization code flow with PKCE and has no secret; its client_id
    is generated. Raises ValidationError (per field) for a missing name or a bad
    redirect URI.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Die App braucht einen Namen.")]})
    application = get_application_model()(
        name=name,
        client_type=AbstractApplication.CLIENT_PUBLIC,
        authorization_grant_type=AbstractApplication.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris_check(redirect_uris)),
        client_secret="",
        hash_client_secret=False,
        algorithm=AbstractApplication.NO_ALGORITHM,
    )
    application.full_clean(exclude=["client_secret", "user"])
    application.save()
    audit_record(
        town=town,
        actor=actor,
        action="oauth.app_register",
        target=name,
        after={"client_id": application.client_id, "redirect_uris": application.redirect_uris},
    )
    return application


DEMO_APP_NAME = "Rathaus-App (Demo)"
DEMO_REDIRECT_URI = "de.rathaus.app:/oauth/callback"


def demo_app_ensure(*, town: Municipality, actor: Actor) -> AbstractApplication:
    """The demo towns' sample app (a public client), registered once; runs in the town."""
    existing = get_application_model().objects.filter(name=DEMO_APP_NAME).first()
    if existing is not None:
        return existing
    return app_register(
        town=town, name=DEMO_APP_NAME, redirect_uris=[DEMO_REDIRECT_URI], actor=actor
    )


@transaction.atomic
def app_delete(*, town: Municipality, application_id: int, actor: Actor) -> bool:
    """Removes an app from ``town``: every token of it stops working at once."""
    application = get_application_model().objects.filter(pk=application_id).first()
    if application is None:
        return False
    audit_record(
        town=town,
        actor=actor,
        action="oauth.app_delete",
        target=application.name,
        before={"client_id": application.client_id},
    )
    application.delete()
    return True


@transaction.atomic
def app_connection_revoke(*, user: User, application_id: int) -> bool:
    """Ends ``user``'s connection to an app: its access and refresh tokens stop working.

    Returns whether the app had anything of the person's to revoke.
    """
    refresh = get_refresh_token_model().objects.filter(
        user=user, application_id=application_id, revoked__isnull=True
    )
    access = get_access_token_model().objects.filter(user=user, application_id=application_id)
    grants = get_grant_model().objects.filter(user=user, application_id=application_id)
    had = refresh.exists() or access.filter(expires__gt=timezone.now()).exists()
    for token in refresh:
        token.revoke()
    access.delete()
    grants.delete()
    AppUse.objects.filter(user=user, application_id=application_id).delete()
    return had
