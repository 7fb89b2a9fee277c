"""What the pages read: a module's payments of one object, the staff's lists, the export."""

import datetime as dt

from django.db.models import QuerySet

from rathaus.platform.identity.models import User

from .models import Payment, ProviderConfig
from .registry import Text, providers


def providers_enabled() -> list[str]:
    """The keys of the providers switched on in the current town, in the registry's order."""
    on = set(ProviderConfig.objects.filter(enabled=True).values_list("provider", flat=True))
    return [provider.key for provider in providers if provider.key in on]


def methods_offered() -> list[tuple[str, Text]]:
    """The ways to pay the current town offers, as (key, label) for a choice."""
    return [(key, providers[key].label) for key in providers_enabled()]


def payments_of(*, owner: str, owner_ref: str) -> QuerySet[Payment]:
    """The payments a module asked for one of its objects, newest first."""
    return Payment.objects.filter(owner=owner, owner_ref=owner_ref).order_by("-created_at", "-pk")


def payments_in(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    state: str = "",
    search: str = "",
) -> QuerySet[Payment]:
    """The town's payments made from ``start`` to ``end`` (both included, local dates),
    in ``state``, whose Kassenzeichen or reference holds ``search``; newest first."""
    payments = Payment.objects.order_by("-created_at", "-pk")
    if start:
        payments = payments.filter(created_at__date__gte=start)
    if end:
        payments = payments.filter(created_at__date__lte=end)
    if state:
        payments = payments.filter(state=state)
    if search := search.strip():
        payments = payments.filter(kassenzeichen__icontains=search) | payments.filter(
            owner_ref__icontains=search
        )
    return payments


def payment_by_kassenzeichen(kassenzeichen: str) -> Payment | None:
    return Payment.objects.filter(kassenzeichen=kassenzeichen.strip()).first()


def payments_of_person(*, user: User) -> QuerySet[Payment]:
    """The payments one person made in the current town, newest first."""
    return Payment.objects.filter(user=user).order_by("-created_at", "-pk")
