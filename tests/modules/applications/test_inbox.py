"""The staff inbox: assignment ("mine"), internal notes, filters, search, CSV; all audited."""

import csv
import datetime as dt
import io

from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import Submission
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import audit_lines
from rathaus.tenants.models import Municipality
from tests.modules.applications.conftest import DOG, OWNER, make_staff, publish

CLERK = ["applications.clerk"]


def _three_cases(town: Municipality, client: Client) -> list[Submission]:
    publish(town)
    for name in ("Erika Mustermann", "Max Bauer", "=HYPERLINK(1)"):
        host = client.defaults["HTTP_HOST"]
        guest = Client(HTTP_HOST=host)
        owner = {**OWNER, "owner_name": name}
        assert guest.post("/applications/hund-anmelden/step/1/", owner).status_code == 302
        assert guest.post("/applications/hund-anmelden/step/2/", DOG).status_code == 302
        sent = guest.post("/applications/hund-anmelden/check/", {"declaration": "on"})
        assert sent.status_code == 302
    with tenant_context(town):
        return list(Submission.objects.order_by("pk"))


def _references(page: str, cases: list[Submission]) -> list[str]:
    return [case.reference for case in cases if case.reference in page]


def test_the_clerk_takes_a_case_writes_a_note_and_filters_for_mine(
    client_a: Client, applications_a: Municipality
) -> None:
    cases = _three_cases(applications_a, client_a)
    clerk = make_staff(applications_a, client_a, CLERK)
    first = cases[0]

    taken = client_a.post(f"/staff/applications/cases/{first.pk}/assign/", {"mine": "1"})
    noted = client_a.post(
        f"/staff/applications/cases/{first.pk}/note/", {"text": "Rasse prüfen (Liste)."}
    )
    empty_note = client_a.post(f"/staff/applications/cases/{first.pk}/note/", {"text": ""})
    page = client_a.get(f"/staff/applications/cases/{first.pk}/").content.decode()
    mine = client_a.get("/staff/applications/?assignee=mine").content.decode()
    nobodys = client_a.get("/staff/applications/?assignee=none").content.decode()
    given_away = client_a.post(f"/staff/applications/cases/{first.pk}/assign/", {"assignee": ""})

    assert taken.status_code == 302
    assert noted.status_code == 302
    assert empty_note.status_code == 400
    assert "Schreiben Sie die Notiz auf." in empty_note.content.decode()
    assert "Rasse prüfen (Liste)." in page
    assert "intern" in page
    assert clerk.email in page
    assert _references(mine, cases) == [first.reference]
    assert _references(nobodys, cases) == [c.reference for c in cases[1:]]
    assert given_away.status_code == 302
    with tenant_context(applications_a):
        assert Submission.objects.get(pk=first.pk).assignee is None
        entries = AuditEntry.objects.filter(action__startswith="applications.case.").order_by("pk")
        sentences = [line.sentence for line in audit_lines(entries)]
    assert any(s.endswith(f"{first.reference} {clerk.email} zugewiesen.") for s in sentences)
    assert any(s.endswith(f"{first.reference} eine interne Notiz geschrieben.") for s in sentences)
    assert any(s.endswith(f"{first.reference} niemandem mehr zugewiesen.") for s in sentences)


def test_the_inbox_filters_by_status_date_and_searches_number_and_name(
    client_a: Client, applications_a: Municipality
) -> None:
    cases = _three_cases(applications_a, client_a)
    make_staff(applications_a, client_a, CLERK)
    with tenant_context(applications_a):
        Submission.objects.filter(pk=cases[0].pk).update(
            submitted_at=timezone.now() - dt.timedelta(days=10), status="in_progress"
        )
    today = timezone.localdate().isoformat()

    by_name = client_a.get("/staff/applications/?q=bauer").content.decode()
    by_number = client_a.get(f"/staff/applications/?q={cases[2].reference}").content.decode()
    by_status = client_a.get("/staff/applications/?status=in_progress").content.decode()
    since_today = client_a.get(f"/staff/applications/?since={today}").content.decode()
    until_before = client_a.get(
        f"/staff/applications/?until={(timezone.localdate() - dt.timedelta(days=5)).isoformat()}"
    ).content.decode()
    backwards = client_a.get(f"/staff/applications/?since={today}&until=2020-01-01")

    assert _references(by_name, cases) == [cases[1].reference]
    assert "Max Bauer" in by_name
    assert _references(by_number, cases) == [cases[2].reference]
    assert _references(by_status, cases) == [cases[0].reference]
    assert _references(since_today, cases) == [c.reference for c in cases[1:]]
    assert _references(until_before, cases) == [cases[0].reference]
    assert backwards.status_code == 400
    assert "liegt vor" in backwards.content.decode()


def test_the_filtered_inbox_downloads_as_csv_safe_for_spreadsheets_and_is_audited(
    client_a: Client, applications_a: Municipality
) -> None:
    cases = _three_cases(applications_a, client_a)
    make_staff(applications_a, client_a, CLERK)

    response = client_a.get("/staff/applications/export.csv?status=received")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == [
        "Aktenzeichen",
        "Formular",
        "Antragsteller",
        "Eingegangen",
        "Status",
        "Zuständig",
    ]
    assert {row[0] for row in rows[1:]} == {c.reference for c in cases}
    assert "'=HYPERLINK(1)" in [row[2] for row in rows]
    with tenant_context(applications_a):
        entries = AuditEntry.objects.filter(action="applications.case.export")
        [sentence] = [line.sentence for line in audit_lines(entries)]
    assert sentence.endswith("hat 3 Anträge als CSV-Datei heruntergeladen.")


def test_another_role_cannot_export_or_assign(
    client_a: Client, applications_a: Municipality
) -> None:
    cases = _three_cases(applications_a, client_a)
    make_staff(applications_a, client_a, ["news.editor"])

    assert client_a.get("/staff/applications/export.csv").status_code == 403
    assert (
        client_a.post(f"/staff/applications/cases/{cases[0].pk}/assign/", {"mine": "1"}).status_code
        == 403
    )


def test_the_offboarding_export_has_the_cases_history_and_assignment(
    client_a: Client, applications_a: Municipality
) -> None:
    from rathaus.modules.applications.module import Applications

    cases = _three_cases(applications_a, client_a)
    clerk = make_staff(applications_a, client_a, CLERK)
    client_a.post(f"/staff/applications/cases/{cases[0].pk}/assign/", {"mine": "1"})
    client_a.post(f"/staff/applications/cases/{cases[0].pk}/note/", {"text": "Rasse prüfen."})

    with tenant_context(applications_a):
        tables = Applications.town_export(town=applications_a)

    first = next(s for s in tables["submissions"] if s["reference"] == cases[0].reference)
    assert first["assignee"] == clerk.email
    assert first["applicant_name"] == "Erika Mustermann"
    [event] = tables["case_events"]
    assert (event["submission"], event["kind"], event["text"]) == (
        cases[0].reference,
        "note",
        "Rasse prüfen.",
    )
