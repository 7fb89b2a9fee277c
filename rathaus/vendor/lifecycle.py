"""The rest of a town's life: suspend, reactivate, rename, custom domains, offboard, restore.

Every change is audited in the town's own log (while the town has one).
"""

import functools
import io
import json
import logging
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from rathaus.modules.models import ModuleActivation
from rathaus.modules.registry import modules
from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.models import (
    Domain,
    Municipality,
    SchemaMigrationState,
    hostname_normalize,
)
from rathaus.tenants.provisioning import PLACEHOLDER, migration_state_record, schema_dump
from rathaus.tenants.services import domain_add, town_host

logger = logging.getLogger(__name__)
ARCHIVE_FORMAT = 1
P = ParamSpec("P")
R = TypeVar("R")


def in_public_schema(function: Callable[P, R]) -> Callable[P, R]:
    """Runs a service in the public schema, whichever town the caller's connection is in."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with schema_context(get_public_schema_name()):
            return function(*args, **kwargs)

    return wrapper


# --- status --------------------------------------------------------------------------


@in_public_schema
def _status_set(*, town: Municipality, status: str, actor: Actor) -> Municipality:
    if town.status == status:
        return town
    before = town.status
    with transaction.atomic():
        town.status = status
        town.save(update_fields=["status", "updated_at"])
        audit_record(
            town=town,
            actor=actor,
            action="town.status",
            target=town.slug,
            before=before,
            after=status,
        )
    return town


def town_suspend(*, town: Municipality, actor: Actor) -> Municipality:
    """Suspends a town: every page shows a notice (citizens and staff), beat sends it no work."""
    return _status_set(town=town, status=Municipality.Status.SUSPENDED, actor=actor)


def town_reactivate(*, town: Municipality, actor: Actor) -> Municipality:
    """Brings a suspended town back; its pages and background work resume at once."""
    return _status_set(town=town, status=Municipality.Status.ACTIVE, actor=actor)


# --- host names -------------------------------------------------------------------------


@in_public_schema
@transaction.atomic
def town_rename(*, town: Municipality, slug: str, actor: Actor) -> Municipality:
    """Changes a town's slug and default host; the old host answers with a 301 to the new one.

    The schema (named after the AGS) and stored files stay where they are.
    """
    slug = slug.strip().lower()
    old_slug = town.slug
    if slug == old_slug:
        return town
    new_host = town_host(slug=slug)
    if Domain.objects.filter(domain=new_host).exclude(tenant=town).exists():
        raise ValidationError({"slug": [_("Dieser Kurzname ist schon vergeben.")]})
    town.slug = slug
    town.full_clean(exclude=["schema_name"])
    town.save()
    town.domains.filter(is_primary=True).update(is_primary=False)
    # The old default host stays, as a redirect; the new one may be a former host too.
    town.domains.filter(domain=town_host(slug=old_slug)).update(redirect=True)
    Domain.objects.update_or_create(
        domain=new_host, defaults={"tenant": town, "is_primary": True, "redirect": False}
    )
    audit_record(
        town=town, actor=actor, action="town.rename", target=slug, before=old_slug, after=slug
    )
    return town


@in_public_schema
@transaction.atomic
def town_custom_domain_add(
    *, town: Municipality, domain: str, actor: Actor, primary: bool = False
) -> Domain:
    """Adds a custom host name (e.g. ``www.tangerhuette.de``); it answers on the next request.

    Adding a host the town has already changes nothing; the host name itself
    is checked by ``Domain``'s validation.
    """
    host = hostname_normalize(domain)
    existing = Domain.objects.filter(domain=host).first()
    if existing is not None and existing.tenant_id != town.pk:
        raise ValidationError(
            {"domain": [_("Dieser Host-Name gehört schon einer anderen Kommune.")]}
        )
    if existing is not None:
        return existing
    if primary:
        for other in town.domains.filter(is_primary=True):
            other.is_primary = False
            other.save()
    record = domain_add(town=town, domain=host, is_primary=primary)
    audit_record(town=town, actor=actor, action="town.domain_add", target=host)
    return record


# --- offboarding and restoring ---------------------------------------------------------------


def _town_files(storage: Storage, prefix: str = "") -> list[str]:
    """Every file of the current town in ``storage`` (storage calls are per-town already)."""
    if prefix and not storage.exists(prefix):
        return []
    try:
        folders, files = storage.listdir(prefix or ".")
    except FileNotFoundError:
        return []
    found = [f"{prefix}{name}" for name in files]
    for folder in folders:
        found += _town_files(storage, f"{prefix}{folder}/")
    return found


def _storages() -> dict[str, Storage]:
    """The town's storages by their folder in the archive: public files, private files."""
    return {"files/": default_storage, "private/": private_storage()}


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


@in_public_schema
def town_export(*, town: Municipality, path: Path) -> Path:
    """Writes a town's data (its schema with every row), files and settings to one archive.

    ``town.json`` (the town, its hosts and modules), ``schema.sql`` (what a restore
    replays), ``files/`` (the town's public files), ``private/`` (its private ones)
    and, for the town to read without Rathaus, ``modules/<key>.json`` with each
    module's tables (``Module.town_export``).
    """
    schema = town.schema_name
    state = SchemaMigrationState.objects.filter(schema_name=schema).first()
    meta = {
        "format": ARCHIVE_FORMAT,
        "town": {"name": town.name, "slug": town.slug, "ags": town.ags, "status": town.status},
        "domains": list(town.domains.values("domain", "is_primary", "redirect")),
        "modules": list(
            ModuleActivation.objects.filter(town=town).values(
                "module", "allowed", "enabled", "settings"
            )
        ),
        "migrations_key": state.key if state else "",
        "exported_at": timezone.now().isoformat(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        _add(archive, "town.json", json.dumps(meta, indent=2, ensure_ascii=False).encode())
        _add(archive, "schema.sql", schema_dump(schema_name=schema).encode())
        with schema_context(schema):
            for module in modules:
                tables = module.town_export(town=town)
                text = json.dumps(tables, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
                _add(archive, f"modules/{module.key}.json", text.encode())
            for folder, storage in _storages().items():
                for name in _town_files(storage):
                    with storage.open(name, "rb") as handle:
                        _add(archive, f"{folder}{name}", handle.read())
    return path


@in_public_schema
def town_offboard(*, town: Municipality, archive: Path, actor: Actor) -> Path:
    """Exports the town to ``archive``, then drops its schema, files (public and private),
    hosts and rows.

    Nothing is dropped unless the archive was written completely.
    """
    audit_record(town=town, actor=actor, action="town.offboard", target=town.slug)
    town_export(town=town, path=archive)
    schema = town.schema_name
    with schema_context(schema):
        for storage in _storages().values():
            for name in _town_files(storage):
                storage.delete(name)
    with transaction.atomic():
        SchemaMigrationState.objects.filter(schema_name=schema).delete()
        # Drops the schema, then the row; the domains' delete signals forget their hosts.
        town.delete(force_drop=True)
    logger.info("Offboarded %s (%s) to %s", town.name, schema, archive)
    return archive


@in_public_schema
def town_restore(*, archive: Path, actor: Actor) -> Municipality:
    """Brings an offboarded town back from its archive: rows, schema with data, files
    (public and private).

    Refuses if the AGS, slug or a host name is taken meanwhile. A town from
    older code keeps its migration state and is brought up to date by the
    next ``migrate_all``.
    """
    with tarfile.open(archive, "r:gz") as tar:
        members = {member.name: member for member in tar.getmembers() if member.isfile()}

        def read(name: str) -> bytes:
            handle = tar.extractfile(members[name])
            if handle is None:
                raise ValidationError({"archive": [_("Das Archiv ist unvollständig.")]})
            return handle.read()

        if "town.json" not in members or "schema.sql" not in members:
            raise ValidationError({"archive": [_("Das ist kein Archiv einer Kommune.")]})
        meta: dict[str, Any] = json.loads(read("town.json"))
        info = meta["town"]
        schema = Municipality.schema_name_for(info["ags"])
        if Municipality.objects.filter(ags=info["ags"]).exists() or schema_exists(schema):
            raise ValidationError({"ags": [_("Diese Kommune gibt es schon.")]})
        hosts = [row["domain"] for row in meta["domains"]]
        if Domain.objects.filter(domain__in=hosts).exists():
            raise ValidationError({"domains": [_("Ein Host-Name der Kommune ist vergeben.")]})

        with transaction.atomic():
            town = Municipality(
                name=info["name"],
                slug=info["slug"],
                ags=info["ags"],
                status=info["status"],
                schema_name=schema,
            )
            town.full_clean()
            town.auto_create_schema = False  # the archive brings the schema
            town.save()
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA {schema}")
                cursor.execute(read("schema.sql").decode().replace(PLACEHOLDER, schema))
            for row in meta["domains"]:
                Domain.objects.create(tenant=town, **row)
            for row in meta["modules"]:
                ModuleActivation.objects.create(town=town, **row)
            migration_state_record(schema_name=schema, key=meta.get("migrations_key") or "old")
            audit_record(town=town, actor=actor, action="town.restore", target=town.slug)
        # Files last, once the town is committed: a failed restore leaves no stray files.
        with schema_context(schema):
            for folder, storage in _storages().items():
                for name in members:
                    if name.startswith(folder):
                        storage.save(name.removeprefix(folder), ContentFile(read(name)))
    return town
