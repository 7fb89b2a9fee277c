"""Onboarding: one call brings a municipality live. The command line, the vendor console and
the vendor API all call ``tenant_onboard``.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from rathaus.modules.registry import modules as module_registry
from rathaus.modules.services import modules_set_up_for_new_town
from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.branding.models import Branding
from rathaus.platform.branding.services import FIELDS as BRANDING_FIELDS
from rathaus.platform.branding.services import branding_update
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Domain, Municipality, hostname_normalize
from rathaus.tenants.services import domain_add, municipality_create, town_host


@dataclass(frozen=True)
class Onboarding:
    """What ``tenant_onboard`` did: the town, and whether this call created it."""

    town: Municipality
    created: bool


def _lock_key(ags: str) -> None:
    # Two onboardings of the same AGS at once: the second waits, then finds the town.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [3_000_003, int(ags)])


@dataclass(frozen=True)
class TakenNames:
    """Slugs and host names in use, each with the AGS of the town that has it."""

    slugs: dict[str, str]
    hosts: dict[str, str]


def taken_names(*, slugs: Iterable[str], hosts: Iterable[str]) -> TakenNames:
    """Which of ``slugs`` and ``hosts`` some town has already: two queries, however many names."""
    return TakenNames(
        slugs=dict(Municipality.objects.filter(slug__in=set(slugs)).values_list("slug", "ags")),
        hosts=dict(
            Domain.objects.filter(domain__in=set(hosts)).values_list("domain", "tenant__ags")
        ),
    )


def onboarding_hosts(*, slug: str, domains: Iterable[str] = ()) -> list[str]:
    """The host names a town made of these values gets: its default host, then ``domains``."""
    return [hostname_normalize(host) for host in [town_host(slug=slug), *domains]]


def onboarding_errors(
    *,
    ags: str,
    name: str,
    slug: str,
    admin_email: str,
    modules: Iterable[str] | None = None,
    domains: Iterable[str] = (),
    identity: Mapping[str, Any] | None = None,
    taken: TakenNames | None = None,
) -> dict[str, list[str]]:
    """Everything wrong with these values, by field; empty when a town can be made of them.

    Checks the values and what exists already (slug and host names taken),
    but not the AGS: an existing AGS means "already onboarded", not an error.
    ``taken`` is what ``taken_names`` found for these names (a caller checking
    many towns looks them all up at once); without it, it is looked up here.
    ``identity`` errors are named by their branding field (``coat_of_arms``, ...).
    """
    errors: dict[str, list[str]] = {}
    hosts = onboarding_hosts(slug=slug, domains=domains)
    if taken is None:
        taken = taken_names(slugs=[slug], hosts=hosts)
    town = Municipality(
        name=name, slug=slug, ags=ags, schema_name=Municipality.schema_name_for(ags)
    )
    try:
        town.full_clean(exclude=["schema_name"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if "slug" not in errors and taken.slugs.get(slug, ags) != ags:
        errors["slug"] = [_("Dieser Kurzname ist schon vergeben.")]
    try:
        validate_email(admin_email)
    except ValidationError:
        errors["admin_email"] = [_("Keine gültige E-Mail-Adresse.")]
    if modules is not None:
        unknown = sorted(set(modules) - set(module_registry.keys()))
        if unknown:
            errors["modules"] = [_("Unbekannte Dienste: %(keys)s") % {"keys": ", ".join(unknown)}]
    for host in hosts:
        try:
            Domain(domain=host).clean()  # the host name itself, as every domain is checked
        except ValidationError as error:
            errors.setdefault("domains", []).extend(error.message_dict["domain"])
            continue
        if taken.hosts.get(host, ags) != ags:
            errors.setdefault("domains", []).append(
                _("Dieser Host-Name gehört schon einer anderen Kommune: %(host)s") % {"host": host}
            )
    errors.update(identity_errors(identity=identity or {}))
    return errors


NOT_AN_IMAGE = gettext_lazy("Diese Datei ist kein Bild. Bitte ein PNG, JPG oder WebP wählen.")


def identity_errors(*, identity: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a town's identity (coat of arms, authority name, address, links).

    The keys are branding fields (``BRANDING_FIELDS``); the checks are the
    branding model's own, run without a database (the town has no schema yet).
    """
    unknown = set(identity) - set(BRANDING_FIELDS)
    if unknown:
        raise TypeError(f"Not branding fields: {sorted(unknown)}")
    if not identity:
        return {}
    errors: dict[str, list[str]] = {}
    try:
        Branding(pk=1, **identity).clean_fields(
            exclude=[name for name in BRANDING_FIELDS if name not in identity]
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    arms = identity.get("coat_of_arms")
    if arms and "coat_of_arms" not in errors:
        # The model checks name and size; whether the file is an image at all, Pillow says
        # (as a form's ImageField would), so no path stores a script named wappen.png.
        try:
            forms.ImageField(error_messages={"invalid_image": NOT_AN_IMAGE}).to_python(arms)
        except ValidationError as error:
            errors["coat_of_arms"] = list(error.messages)
    return errors


def tenant_onboard(
    *,
    ags: str,
    name: str,
    slug: str,
    admin_email: str,
    actor: Actor,
    modules: Iterable[str] | None = None,
    domains: Iterable[str] = (),
    identity: Mapping[str, Any] | None = None,
) -> Onboarding:
    """Brings a municipality live: town row, schema (from the template), host names, first
    town admin (invited by e-mail to set a password), modules, audit entry, billing customer.

    ``modules`` are the module keys to allow and enable (``None``: the modules
    marked ``default_enabled``); ``domains`` are custom host names besides
    ``<slug>.<BASE_DOMAIN>``. Idempotent by AGS: if the town exists, nothing
    changes and ``created`` is false. Bad values raise ``ValidationError``
    naming every wrong field before anything is written; any failure later
    rolls everything back, the schema included (PostgreSQL DDL is transactional).
    ``identity`` is the town's public identity as branding fields (coat of arms,
    ``authority_name``, ``address``, ``imprint_url``, ``privacy_url``, contact,
    colour), stored as the town's branding; what is left out, the back office's
    checklist asks for. The invitation and the billing customer are queued when
    the transaction commits.
    """
    chosen_modules = list(modules) if modules is not None else None
    extra_domains = [hostname_normalize(domain) for domain in domains]
    with transaction.atomic():
        if re.fullmatch(r"\d{8}", ags):
            _lock_key(ags)
            existing = Municipality.objects.filter(ags=ags).first()
            if existing is not None:
                return Onboarding(town=existing, created=False)
        errors = onboarding_errors(
            ags=ags,
            name=name,
            slug=slug,
            admin_email=admin_email,
            modules=chosen_modules,
            domains=extra_domains,
            identity=identity,
        )
        if errors:
            raise ValidationError(errors)

        town = municipality_create(name=name, slug=slug, ags=ags)
        for domain in extra_domains:
            domain_add(town=town, domain=domain)
        with schema_context(town.schema_name):
            # Invited by e-mail to set a password once this transaction commits.
            admin = staff_add(town=town, email=admin_email, roles=[TOWN_ADMIN], actor=actor)
            if identity:
                branding_update(town=town, actor=actor, **identity)
        active = modules_set_up_for_new_town(town=town, keys=chosen_modules, actor=actor)
        audit_record(
            town=town,
            actor=actor,
            action="town.onboard",
            target=town.slug,
            after={
                "name": town.name,
                "ags": town.ags,
                "admin": admin.email,
                "modules": sorted(row.module for row in active),
                "domains": [town_host(slug=slug), *extra_domains],
            },
        )
        transaction.on_commit(lambda: _queue_follow_ups(town=town))
    return Onboarding(town=town, created=True)


def _queue_follow_ups(*, town: Municipality) -> None:
    from rathaus.billing.tasks import billing_customer_create
    from rathaus.tenants.tasks import schema_pool_refill

    billing_customer_create.apply_async(args=(town.pk,), headers={"_schema_name": "public"})
    schema_pool_refill.apply_async(headers={"_schema_name": "public"})
