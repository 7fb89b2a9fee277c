"""A town's life after onboarding: suspended, renamed, given a domain, offboarded, restored."""

import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists, tenant_context

from rathaus.modules.registry import modules
from rathaus.platform.audit.chain import audit_chain_verify
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.storage.private import private_file_save, private_storage
from rathaus.tenants.models import Domain, Municipality, SchemaMigrationState
from rathaus.tenants.services import municipality_create
from rathaus.vendor.demo import demo_content_load
from rathaus.vendor.lifecycle import (
    town_custom_domain_add,
    town_offboard,
    town_reactivate,
    town_rename,
    town_restore,
    town_suspend,
)

VENDOR = Actor.system("vendor-test")


def test_a_suspended_town_shows_a_notice_to_everyone_until_it_is_reactivated(
    town_a: Municipality, client_a: Client, client_b: Client
) -> None:
    town = Municipality.objects.get(pk=town_a.pk)  # the session's object stays as it is
    town_suspend(town=town, actor=VENDOR)

    for path in ["/", "/accounts/login/", "/staff/contact/"]:
        response = client_a.get(path)
        assert response.status_code == 503
        assert "Vorübergehend nicht erreichbar" in response.content.decode()
    assert client_b.get("/").status_code == 200  # the other town is not affected
    assert town_a not in Municipality.objects.active()  # beat sends it no work

    town_reactivate(town=town, actor=VENDOR)

    assert client_a.get("/").status_code == 200
    with tenant_context(town_a):
        assert AuditEntry.objects.filter(action="town.status").count() == 2


def test_after_a_rename_the_old_host_redirects_to_the_new_one(town_a: Municipality) -> None:
    town_rename(
        town=Municipality.objects.get(pk=town_a.pk), slug="tangerhuette-stadt", actor=VENDOR
    )

    old = Client(HTTP_HOST="tangerhuette.localhost").get("/accounts/login/?next=/x")
    assert old.status_code == 301
    assert old["Location"] == "http://tangerhuette-stadt.localhost/accounts/login/?next=/x"
    new = Client(HTTP_HOST="tangerhuette-stadt.localhost").get("/")
    assert new.status_code == 200
    assert "Tangerhütte" in new.content.decode()
    assert Municipality.objects.get(pk=town_a.pk).schema_name == "town_15090520"


def test_renaming_to_a_taken_slug_is_refused(town_a: Municipality, town_b: Municipality) -> None:
    with pytest.raises(ValidationError) as error:
        town_rename(town=Municipality.objects.get(pk=town_a.pk), slug=town_b.slug, actor=VENDOR)

    assert "slug" in error.value.message_dict


def test_a_custom_domain_answers_at_once(town_a: Municipality, town_b: Municipality) -> None:
    town_custom_domain_add(town=town_a, domain="Rathaus.Tangerhuette.example", actor=VENDOR)

    response = Client(HTTP_HOST="rathaus.tangerhuette.example").get("/")
    assert response.status_code == 200
    assert "Tangerhütte" in response.content.decode()
    with pytest.raises(ValidationError):
        town_custom_domain_add(town=town_b, domain="rathaus.tangerhuette.example", actor=VENDOR)
    with pytest.raises(ValidationError):
        town_custom_domain_add(town=town_b, domain="kein host", actor=VENDOR)


ARNEBURG = {"name": "Arneburg", "slug": "arneburg", "ags": "15090010"}
NOTICE = "bescheide/erika.pdf"


def _remove(ags: str) -> None:
    town = Municipality.objects.filter(ags=ags).first()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS town_{ags} CASCADE")
    if town is not None:
        with schema_context(town.schema_name):
            for name in ["urkunden/satzung.txt"]:
                if default_storage.exists(name):
                    default_storage.delete(name)
            if private_storage().exists(NOTICE):
                private_storage().delete(NOTICE)
        SchemaMigrationState.objects.filter(schema_name=town.schema_name).delete()
        Municipality.objects.filter(pk=town.pk).delete()


@pytest.fixture
def committed_town(django_db_blocker: Any, towns: Any) -> Iterator[Municipality]:
    """A town with a citizen, a public and a private file, committed (pg_dump reads
    committed data only).

    Listed before any fixture that opens the test's transaction, so it runs outside it.
    """
    with django_db_blocker.unblock():
        _remove(ARNEBURG["ags"])
        town = municipality_create(**ARNEBURG)
        with schema_context(town.schema_name):
            User.objects.create_user("erika@example.org", "geheim-123", first_name="Erika")
            default_storage.save("urkunden/satzung.txt", ContentFile(b"Hauptsatzung"))
            private_file_save(name=NOTICE, content=b"Bescheid fuer Erika")
    yield town
    with django_db_blocker.unblock():
        _remove(ARNEBURG["ags"])


def _module_tables(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        return {
            member.name: json.loads(tar.extractfile(member).read())  # type: ignore[union-attr]
            for member in tar.getmembers()
            if member.name.startswith("modules/")
        }


def test_offboarding_archives_and_drops_a_town_and_restoring_brings_it_back(
    committed_town: Municipality, db: None, tmp_path: Path, town_a: Municipality
) -> None:
    demo_content_load(town=committed_town, actor=VENDOR)  # every module on, with content
    with connection.cursor() as cursor:
        # The content is written in this test's transaction, which then drops the schema:
        # PostgreSQL drops no table with foreign-key checks still pending, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with schema_context(committed_town.schema_name):
        expected = {
            f"modules/{module.key}.json": json.loads(
                json.dumps(module.town_export(town=committed_town))
            )
            for module in modules
        }

    archive = town_offboard(town=committed_town, archive=tmp_path / "arneburg.tar.gz", actor=VENDOR)

    assert archive.stat().st_size > 0
    # Each module's data as tables the town can read without Rathaus.
    tables = _module_tables(archive)
    assert tables == expected
    assert any(rows for module_tables in tables.values() for rows in module_tables.values())
    assert not schema_exists("town_15090010")
    assert not Municipality.objects.filter(ags="15090010").exists()
    assert not Domain.objects.filter(domain="arneburg.localhost").exists()
    assert Client(HTTP_HOST="arneburg.localhost").get("/").status_code == 404
    with tarfile.open(archive) as tar:
        assert {"files/urkunden/satzung.txt", f"private/{NOTICE}"} <= set(tar.getnames())
    with schema_context("town_15090010"):  # no stray files of the dropped town
        assert not default_storage.exists("urkunden/satzung.txt")
        assert not private_storage().exists(NOTICE)

    town = town_restore(archive=archive, actor=VENDOR)

    browser = Client(HTTP_HOST="arneburg.localhost")
    assert browser.get("/").status_code == 200
    assert browser.get("/media/urkunden/satzung.txt").getvalue() == b"Hauptsatzung"
    assert browser.get(f"/media/{NOTICE}").status_code == 404  # still private
    with schema_context(town.schema_name):
        assert private_storage().open(NOTICE).read() == b"Bescheid fuer Erika"
    with tenant_context(town):
        erika = User.objects.get(email="erika@example.org")
        assert erika.check_password("geheim-123")
        # (The "town.offboard" entry is in the archive only once committed, which this
        # test's transaction never is.)
        assert AuditEntry.objects.filter(action="town.restore").exists()
    # The restored log goes on as one chain, the restore's own entry included.
    assert audit_chain_verify(town=town).ok
    with tenant_context(town_a):  # nothing of it leaked into another town
        assert not User.objects.filter(email="erika@example.org").exists()


def test_restoring_over_an_existing_town_is_refused(
    committed_town: Municipality, db: None, tmp_path: Path
) -> None:
    from rathaus.vendor.lifecycle import town_export

    archive = town_export(town=committed_town, path=tmp_path / "a.tar.gz")

    with pytest.raises(ValidationError):
        town_restore(archive=archive, actor=VENDOR)
