"""Reading the town's apps and a person's connections to them."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from oauth2_provider.models import (
    AbstractApplication,
    get_access_token_model,
    get_application_model,
    get_refresh_token_model,
)

from rathaus.platform.identity.models import User
from rathaus.platform.oauth.models import AppUse
from rathaus.platform.oauth.scopes import SCOPES


def view_capability(view: Any) -> str | None:
    """The capability an API view serves to apps (its ``oauth_scope``), or None: none."""
    capability = getattr(view, "oauth_scope", None)
    return capability if isinstance(capability, str) and capability else None


def app_list() -> QuerySet[AbstractApplication]:
    """The apps registered with the current town, by name."""
    return get_application_model().objects.order_by("name", "pk")


@dataclass(frozen=True)
class AppConnection:
    """An app that may act for a person: with which scopes and when it last did."""

    application: AbstractApplication
    scopes: tuple[str, ...]
    connected_at: dt.datetime
    last_used_at: dt.datetime | None


def connected_apps(*, user: User) -> list[AppConnection]:
    """The apps holding a live access or refresh token of ``user`` in the current town."""
    now = timezone.now()
    found: dict[int, dict[str, Any]] = {}

    def note(application: AbstractApplication, scope: str, created: dt.datetime) -> None:
        entry = found.setdefault(
            application.pk,
            {"application": application, "scopes": set(), "since": created, "used": None},
        )
        entry["scopes"].update(scope.split())
        entry["since"] = min(entry["since"], created)

    refresh = get_refresh_token_model().objects.filter(user=user, revoked__isnull=True)
    for token in refresh.select_related("application", "access_token"):
        note(
            token.application, token.access_token.scope if token.access_token else "", token.created
        )
    access = get_access_token_model().objects.filter(
        user=user, application__isnull=False, expires__gt=now
    )
    for token in access.select_related("application"):
        note(token.application, token.scope, token.created)
    for use in AppUse.objects.filter(user=user, application_id__in=found):
        found[use.application_id]["used"] = use.last_used_at
    order = {scope: index for index, scope in enumerate(SCOPES)}
    return sorted(
        (
            AppConnection(
                application=entry["application"],
                scopes=tuple(sorted(entry["scopes"], key=lambda s: (order.get(s, len(order)), s))),
                connected_at=entry["since"],
                last_used_at=entry["used"],
            )
            for entry in found.values()
        ),
        key=lambda connection: str(connection.application.name).lower(),
    )
