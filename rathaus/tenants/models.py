"""The tenant model: a municipality, and the host names it is reached on."""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

ags_validator = RegexValidator(
    r"^\d{8}$", _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern.")
)
# A slug becomes a DNS label: lowercase letters, digits and inner hyphens.
slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
    _("Nur Kleinbuchstaben, Ziffern und Bindestriche (nicht am Anfang oder Ende)."),
)


class FederalState(models.TextChoices):
    """The 16 Länder, keyed by the two leading digits of the AGS."""

    SCHLESWIG_HOLSTEIN = "01", "Schleswig-Holstein"
    HAMBURG = "02", "Hamburg"
    NIEDERSACHSEN = "03", "Niedersachsen"
    BREMEN = "04", "Bremen"
    NORDRHEIN_WESTFALEN = "05", "Nordrhein-Westfalen"
    HESSEN = "06", "Hessen"
    RHEINLAND_PFALZ = "07", "Rheinland-Pfalz"
    BADEN_WUERTTEMBERG = "08", "Baden-Württemberg"
    BAYERN = "09", "Bayern"
    SAARLAND = "10", "Saarland"
    BERLIN = "11", "Berlin"
    BRANDENBURG = "12", "Brandenburg"
    MECKLENBURG_VORPOMMERN = "13", "Mecklenburg-Vorpommern"
    SACHSEN = "14", "Sachsen"
    SACHSEN_ANHALT = "15", "Sachsen-Anhalt"
    THUERINGEN = "16", "Thüringen"


ags_state_validator = RegexValidator(
    r"^(0[1-9]|1[0-6])",
    _("Die ersten beiden Ziffern des Gemeindeschlüssels nennen kein Bundesland."),
)


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def in_state(self, state: FederalState | str) -> "MunicipalityQuerySet":
        return self.filter(ags__startswith=str(state))

    def active(self) -> "MunicipalityQuerySet":
        return self.filter(status=Municipality.Status.ACTIVE)


class Municipality(TenantMixin):
    """A town (Gemeinde, Stadt, Verbandsgemeinde): one tenant with its own schema.

    The schema is named after the AGS, which never changes, so renaming a
    town's slug never touches its schema or its stored files.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        SUSPENDED = "suspended", _("gesperrt")

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=63, unique=True, validators=[slug_validator])
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"),
        max_length=8,
        unique=True,
        validators=[ags_validator, ags_state_validator],
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Schemas are created by the provisioning service, never dropped implicitly.
    auto_create_schema = True
    auto_drop_schema = False

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def state(self) -> FederalState:
        """The federal state, derived from the AGS's first two digits."""
        return FederalState(self.ags[:2])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @staticmethod
    def schema_name_for(ags: str) -> str:
        return f"town_{ags}"

    def create_schema(
        self, check_if_exists: bool = False, sync_schema: bool = True, verbosity: int = 1
    ) -> bool:
        """Creates the town's schema from the template (see ``provisioning``), not by migrating.

        Called by django-tenants when a new town is saved, inside the caller's
        transaction.
        """
        from django_tenants.utils import schema_exists

        from rathaus.tenants.provisioning import schema_provision

        if check_if_exists and schema_exists(self.schema_name):
            return False
        schema_provision(schema_name=self.schema_name)
        return True


# A DNS host name: labels of letters, digits and inner hyphens, at least one dot.
HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*$")


def hostname_normalize(host: str) -> str:
    """How a host name is stored and looked up: no surrounding blanks, lowercase."""
    return host.strip().lower()


class Domain(DomainMixin):
    """A host name of a town: ``<slug>.<BASE_DOMAIN>`` or a custom domain.

    A ``redirect`` domain is a town's former host (e.g. after a change of
    slug): requests to it are sent on to the primary host with a 301.
    Validation (``full_clean``, as the admin, ``domain_add`` and with it every
    service do) stores the name lowercase and refuses what is no host name or
    one of the vendor's own hosts.
    """

    redirect = models.BooleanField(_("leitet weiter"), default=False)
    domain: str  # DomainMixin's field, for the type checker (django-tenants has no types)

    class Meta:
        verbose_name = _("Domain")
        verbose_name_plural = _("Domains")

    def __str__(self) -> str:
        return self.domain

    def clean_fields(self, exclude: Any = None) -> None:
        # Normalized first, so "  " is refused as empty and "X.de" stored as "x.de".
        self.domain = hostname_normalize(self.domain or "")
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        self.domain = hostname_normalize(self.domain or "")
        if not self.domain:
            return  # the field itself says that it must not be empty
        if not HOSTNAME.match(self.domain):
            message = _("Kein gültiger Host-Name: %(host)s")
            code = "invalid"
        elif self.domain in {hostname_normalize(host) for host in settings.PUBLIC_HOSTS}:
            message = _("Dieser Host-Name gehört dem Betreiber, nicht einer Kommune: %(host)s")
            code = "reserved"
        else:
            return
        raise ValidationError(
            {"domain": ValidationError(message, code=code, params={"host": self.domain})}
        )

    def unique_error_message(self, model_class: Any, unique_check: Any) -> ValidationError:
        if tuple(unique_check) == ("domain",):
            return ValidationError(
                _("Dieser Host-Name ist schon vergeben: %(host)s"),
                code="unique",
                params={"host": self.domain},
            )
        return super().unique_error_message(model_class, unique_check)


class SchemaTemplate(models.Model):
    """A town schema captured once as SQL (DDL and seed rows), replayed for every new town.

    ``key`` identifies the set of tenant migrations it was made from
    (``provisioning.migrations_key``): a new or changed migration makes
    a new key, and with it a new template.
    """

    key = models.CharField(max_length=64, unique=True)
    sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"template {self.key}"


class SchemaMigrationState(models.Model):
    """Which migrations a schema (a town's or ``public``) has, as one key per schema.

    ``python manage.py migrate_all`` compares every schema's key with the code's
    in one query; a schema whose key matches has nothing to apply.
    """

    schema_name = models.CharField(max_length=63, unique=True)
    key = models.CharField(max_length=64)
    migrated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.key}"


class SchemaPoolEntry(models.Model):
    """A ready, empty town schema made from the template with ``key``, waiting for a town.

    Onboarding claims one (``FOR UPDATE SKIP LOCKED``) and renames it to the
    town's schema name, in the onboarding transaction.
    """

    schema_name = models.CharField(max_length=63, unique=True)
    key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.schema_name
