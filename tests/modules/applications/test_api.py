"""Online applications in the REST API (for the citizen's apps): list, one, answer a Rückfrage."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import Submission
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.conftest import host_client
from tests.factories import UserFactory
from tests.modules.applications.conftest import log_in, publish
from tests.modules.applications.test_case_workflow import QUESTION, _ask, _citizen_sends, _staff
from tests.modules.applications.test_uploads import PDF
from tests.platform.oauth.helpers import allow, bearer, exchange, pkce, register_app

API = "/api/v1/applications/applications"


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_the_app_lists_my_applications_shows_one_and_answers_the_question(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    staff = _staff(applications_a, client_a)

    before = client_a.post(f"{API}/{case.reference}/answer/", {"text": "Zu früh."})
    _ask(staff, case)
    listed = client_a.get(f"{API}/").json()
    one = client_a.get(f"{API}/{case.reference}/").json()
    empty = client_a.post(f"{API}/{case.reference}/answer/", {"text": ""})
    answered = client_a.post(
        f"{API}/{case.reference}/answer/",
        {
            "text": "Anbei der Nachweis.",
            "files": [SimpleUploadedFile("nachweis.pdf", PDF, content_type="application/pdf")],
        },
    )

    assert before.status_code == 409
    assert before.json()["code"] == "no_query"
    assert listed["count"] == 1
    [summary] = listed["results"]
    assert summary["reference"] == case.reference
    assert summary["form"] == "Hund anmelden"
    assert summary["status"] == "query"
    assert summary["awaits_answer"] is True
    assert {"step": "Ihr Hund", "question": "Name des Hundes", "answer": "Bello"} in one["answers"]
    assert [(e["kind"], e["text"]) for e in one["history"]] == [("query", QUESTION)]
    assert empty.status_code == 400
    assert empty.json()["problems"]["text"] == ["Schreiben Sie Ihre Antwort auf."]
    assert answered.status_code == 201
    [file] = answered.json()["files"]
    assert file["name"] == "nachweis.pdf"
    download = client_a.get(_path(file["download_url"]))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    with tenant_context(applications_a):
        assert Submission.objects.get().status == Submission.Status.IN_PROGRESS
    assert client_a.get(f"{API}/{case.reference}/").json()["status"] == "in_progress"


def test_someone_elses_or_another_towns_application_is_not_there(
    client_a: Client, client_b: Client, applications_a: Municipality, applications_b: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    with tenant_context(applications_a):
        UserFactory.create(email="max@example.org")
    other = host_client(town_host(slug=applications_a.slug))
    log_in(other, "max@example.org")
    with tenant_context(applications_b):
        UserFactory.create(email="erika@example.org")
    log_in(client_b, "erika@example.org")

    assert other.get(f"{API}/{case.reference}/").status_code == 404
    assert other.get(f"{API}/").json()["count"] == 0
    assert other.post(f"{API}/{case.reference}/answer/", {"text": "x"}).status_code == 404
    assert client_b.get(f"{API}/{case.reference}/").status_code == 404
    assert host_client(town_host(slug=applications_a.slug)).get(f"{API}/").status_code in (
        401,
        403,
    )


def test_an_app_reads_with_applications_read_and_answers_only_with_write(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    _ask(_staff(applications_a, client_a), case)
    app = register_app(applications_a)
    app_client = host_client(town_host(slug=applications_a.slug))

    def token(scope: str) -> str:
        proof = pkce()
        code = allow(client_a, app, proof, scope)
        return str(exchange(app_client, app, code, proof.verifier).json()["access_token"])

    reader = bearer(token("applications:read"))
    listed = app_client.get(f"{API}/", headers=reader)
    refused = app_client.post(f"{API}/{case.reference}/answer/", {"text": "Hallo"}, headers=reader)
    answered = app_client.post(
        f"{API}/{case.reference}/answer/",
        {"text": "Hallo"},
        headers=bearer(token("applications:read applications:write")),
    )
    schema = client_a.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert refused.status_code == 403
    assert "applications:write" in refused.json()["detail"]
    assert answered.status_code == 201
    assert f"{API}/" in schema["paths"]
    assert "post" in schema["paths"][f"{API}/{{reference}}/answer/"]


STAFF_API = "/api/v1/applications/staff/cases"


def test_the_staff_api_lists_the_inbox_with_filters_and_shows_a_case_with_notes_and_files(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    staff = _staff(applications_a, client_a)
    staff.post(f"/staff/applications/cases/{case.pk}/note/", {"text": "Rasse prüfen."})
    _ask(staff, case)
    client_a.post(
        f"/applications/account/{case.reference}/",
        {
            "text": "Anbei.",
            "files": [SimpleUploadedFile("nachweis.pdf", PDF, content_type="application/pdf")],
        },
    )

    listed = staff.get(f"{STAFF_API}/", {"status": "in_progress", "q": "Mustermann"}).json()
    none_found = staff.get(f"{STAFF_API}/", {"assignee": "mine"}).json()
    bad = staff.get(f"{STAFF_API}/", {"since": "gestern"})
    one = staff.get(f"{STAFF_API}/{case.pk}/").json()
    citizen = client_a.get(f"{STAFF_API}/")

    [row] = listed["results"]
    assert row["reference"] == case.reference
    assert row["applicant_name"] == "Erika Mustermann"
    assert none_found["count"] == 0
    assert bad.status_code == 400
    assert "since" in bad.json()["problems"]
    assert [e["kind"] for e in one["history"]] == ["note", "query", "answer"]
    [file] = one["history"][2]["files"]
    download = staff.get(_path(file["download_url"]))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert citizen.status_code == 403
