"""Rolling out many towns from a CSV file: all problems first, then only what is missing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rathaus.tenants.models import Municipality
from rathaus.tenants.services import domain_add
from rathaus.vendor.rollout import rollout_read

SAMPLE = Path(__file__).resolve().parents[2] / "rathaus/vendor/samples/landkreis-stendal.csv"
HEADER = "ags,name,slug,admin_email,modules\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rollout.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_named_with_line_and_column_and_nothing_is_created(
    tmp_path: Path, town_a: Municipality
) -> None:
    path = _write(
        tmp_path,
        HEADER
        + "15090010,Arneburg,arneburg,a@arneburg.example,contact\n"  # line 2: fine
        + "1509001,Kurz,kurz,k@example.org,\n"  # line 3: bad AGS
        + "15090010,Doppelt,doppelt,d@example.org,\n"  # line 4: duplicate AGS
        + "15090090,Eichstedt,arneburg,e@example.org,\n"  # line 5: duplicate slug
        + "15090145,Goldbeck,Gold Beck!,g@example.org,\n"  # line 6: invalid slug
        + "15090180,Hassel,hassel,not-an-address,\n"  # line 7: bad e-mail
        + "15090225,Havelberg,havelberg,h@example.org,contact;teleport\n"  # line 8: module
        + "15090250,,hohenberg,h@example.org,\n"  # line 9: missing name
        + f"15090260,Iden,{town_a.slug},i@example.org,\n",  # line 10: slug of another town
    )
    stderr = StringIO()

    with pytest.raises(CommandError, match="nichts angelegt"):
        call_command("rollout", str(path), stderr=stderr)

    report = stderr.getvalue()
    for expected in [
        "Zeile 3, Spalte ags",
        "Zeile 4, Spalte ags: Gemeindeschlüssel steht schon in Zeile 2",
        "Zeile 5, Spalte slug: Kurzname steht schon in Zeile 2",
        "Zeile 6, Spalte slug",
        "Zeile 7, Spalte admin_email",
        "Zeile 8, Spalte modules: Unbekannte Dienste: teleport",
        "Zeile 9, Spalte name: Pflichtfeld ist leer",
        "Zeile 10, Spalte slug: Dieser Kurzname ist schon vergeben",
    ]:
        assert expected in report
    assert "Zeile 2" not in report.replace("in Zeile 2", "")
    assert not Municipality.objects.filter(ags__in=["15090010", "15090090"]).exists()


def test_a_file_without_the_columns_is_refused(tmp_path: Path, db: None) -> None:
    _, problems = rollout_read(text="ags,name\n15090010,Arneburg\n")

    assert [str(problem) for problem in problems] == [
        "Zeile 1: Es fehlen Spalten: slug, admin_email, modules"
    ]


def test_the_sample_district_rolls_out_and_a_second_run_finishes_only_the_rest(
    tmp_path: Path, town_a: Municipality
) -> None:
    assert "15090520" in SAMPLE.read_text()  # Tangerhütte exists already (town_a)
    checked = StringIO()
    call_command("rollout", str(SAMPLE), "--check", stdout=checked, verbosity=0)
    assert "24 Kommunen, keine Fehler" in checked.getvalue()
    # Six of its towns, Tangerhütte among them: the test's one transaction holds the
    # locks of every new schema, and all 23 (or eight, since each town's schema has
    # the OAuth tables too) would outgrow PostgreSQL's default lock table (a real
    # rollout commits each town on its own; bench/rollout.py does 218).
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines[1:] if line.startswith("15090520")]
    rows += [line for line in lines[1:] if not line.startswith("15090520")][:5]
    part = _write(tmp_path, "\n".join([lines[0], *rows]) + "\n")
    out = StringIO()

    call_command("rollout", str(part), stdout=out, verbosity=0)

    assert "5 Kommunen angelegt, 1 gab es schon" in out.getvalue()
    arneburg = Municipality.objects.get(ags="15090010")
    assert arneburg.domains.get().domain == "arneburg.localhost"
    assert Municipality.objects.get(ags="15090520").name == "Tangerhütte"

    again = StringIO()
    call_command("rollout", str(part), stdout=again, verbosity=0)
    assert "0 Kommunen angelegt, 6 gab es schon" in again.getvalue()


def test_a_rollout_gives_every_town_the_states_preset_once(
    tmp_path: Path, town_a: Municipality
) -> None:
    from django_tenants.utils import tenant_context

    from rathaus.platform.federation.models import IdentityProvider

    path = tmp_path / "zwei.csv"
    path.write_text(
        "ags,name,slug,admin_email,modules\n"
        "15090010,Arneburg,arneburg,amt@arneburg.example,contact\n"
        "15090520,Tangerhütte,tangerhuette,amt@tangerhuette.example,contact\n"
    )
    with tenant_context(town_a):  # a town's own settings are never overwritten
        IdentityProvider.objects.create(protocol="saml", name="Eigenes Landeskonto")

    call_command(
        "rollout",
        str(path),
        federation_preset="Servicekonto Sachsen-Anhalt",
        verbosity=0,
        stdout=StringIO(),
    )
    call_command(
        "rollout",
        str(path),
        federation_preset="Servicekonto Sachsen-Anhalt",
        verbosity=0,
        stdout=StringIO(),
    )

    with tenant_context(Municipality.objects.get(ags="15090010")):
        assert list(IdentityProvider.objects.values_list("name", flat=True)) == [
            "Servicekonto Sachsen-Anhalt"
        ]
    with tenant_context(town_a):
        assert list(IdentityProvider.objects.values_list("name", flat=True)) == [
            "Eigenes Landeskonto"
        ]


def test_an_unknown_preset_is_named_before_anything_is_created(tmp_path: Path, db: None) -> None:
    path = tmp_path / "eins.csv"
    path.write_text("ags,name,slug,admin_email,modules\n15090010,Arneburg,arneburg,a@b.de,\n")

    with pytest.raises(CommandError, match="Keine Vorlage „Landeskonto Atlantis“"):
        call_command("rollout", str(path), federation_preset="Landeskonto Atlantis", verbosity=0)

    assert not Municipality.objects.filter(ags="15090010").exists()


def _lookups(queries: CaptureQueriesContext) -> list[str]:
    # django-tenants sets the search path before a query; what counts are the lookups.
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]


def test_a_whole_file_is_checked_with_three_lookups_however_long_it_is(
    town_a: Municipality,
) -> None:
    text = SAMPLE.read_text()
    one_town = "\n".join(text.splitlines()[:2]) + "\n"

    with CaptureQueriesContext(connection) as small:
        rollout_read(text=one_town)
    with CaptureQueriesContext(connection) as large:
        rows, problems = rollout_read(text=text)

    assert len(rows) == 24
    assert problems == []
    assert len(_lookups(large)) == len(_lookups(small)) == 3


def test_a_host_name_taken_by_another_towns_custom_domain_is_found(
    town_a: Municipality,
) -> None:
    domain_add(town=town_a, domain="arneburg.localhost")  # Tangerhütte's custom domain
    text = (
        HEADER
        + "15090010,Arneburg,arneburg,a@arneburg.example,\n"
        + ("15090090,Eichstedt,eichstedt,e@example.org,\n")
    )

    with CaptureQueriesContext(connection) as queries:
        _, problems = rollout_read(text=text)

    assert [str(problem) for problem in problems] == [
        "Zeile 2, Spalte slug: Dieser Host-Name gehört schon einer anderen Kommune: "
        "arneburg.localhost"
    ]
    assert len(_lookups(queries)) == 3
