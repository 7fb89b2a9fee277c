"""Writes about municipalities. Views, commands and tasks call these; nothing else writes."""

from django.conf import settings
from django.db import transaction

from rathaus.tenants.models import Domain, Municipality


def town_host(*, slug: str) -> str:
    """The default host name of a town: ``<slug>.<BASE_DOMAIN>``."""
    return f"{slug}.{settings.BASE_DOMAIN}"


@transaction.atomic
def municipality_create(*, name: str, slug: str, ags: str) -> Municipality:
    """Creates a town with its schema and its default host ``<slug>.<BASE_DOMAIN>``.

    Calling it again with the same AGS returns the existing town unchanged.
    Invalid values raise ``ValidationError`` before anything is written.
    """
    existing = Municipality.objects.filter(ags=ags).first()
    if existing is not None:
        return existing
    town = Municipality(
        name=name, slug=slug, ags=ags, schema_name=Municipality.schema_name_for(ags)
    )
    town.full_clean()
    town.save()
    domain_add(town=town, domain=town_host(slug=slug), is_primary=True)
    return town


def domain_add(*, town: Municipality, domain: str, is_primary: bool = False) -> Domain:
    """Adds a host name (e.g. a custom domain) to a town; it answers on the next request.

    Raises ``ValidationError`` (on ``domain``) for what is no host name, a
    vendor host or a host that is taken.
    """
    record = Domain(tenant=town, domain=domain, is_primary=is_primary)
    record.full_clean()
    record.save()
    return record


def municipality_update(*, town: Municipality, **fields: object) -> Municipality:
    """Changes a town's plain fields, validated; the host cache follows at once."""
    for name, value in fields.items():
        setattr(town, name, value)
    town.full_clean()
    town.save()
    return town
