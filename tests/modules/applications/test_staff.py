"""The clerk's inbox, a case and its status (audited in plain words), and the forms' versions."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import Form, FormVersion, Submission
from rathaus.modules.applications.services import VersionFrozen, version_update
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import audit_lines
from rathaus.tenants.models import Municipality
from tests.modules.applications.conftest import (
    DOG,
    OWNER,
    dog_definition,
    fill_and_send,
    make_staff,
    publish,
)

CLERK = ["applications.clerk"]


def _upload(client: Client, definition: object, name: str = "hund.json") -> Any:
    raw = json.dumps(definition).encode() if not isinstance(definition, bytes) else definition
    return client.post(
        "/staff/applications/forms/",
        {"file": SimpleUploadedFile(name, raw, content_type="application/json")},
    )


def test_only_the_applications_clerk_works_the_cases(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    fill_and_send(Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]))
    with tenant_context(applications_a):
        case = Submission.objects.get()

    anonymous = client_a.get("/staff/applications/")
    make_staff(applications_a, client_a, ["news.editor"])
    other_role = client_a.get(f"/staff/applications/cases/{case.pk}/")

    assert anonymous.status_code == 302
    assert other_role.status_code == 403


def test_the_clerk_sees_the_case_with_the_versions_labels_and_moves_it_on(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    fill_and_send(Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]))
    make_staff(applications_a, client_a, CLERK)
    with tenant_context(applications_a):
        case = Submission.objects.get()

    inbox = client_a.get("/staff/applications/").content.decode()
    page = client_a.get(f"/staff/applications/cases/{case.pk}/").content.decode()
    moved = client_a.post(f"/staff/applications/cases/{case.pk}/status/", {"status": "in_progress"})
    wrong = client_a.post(f"/staff/applications/cases/{case.pk}/status/", {"status": "received"})
    client_a.post(f"/staff/applications/cases/{case.pk}/status/", {"status": "done"})

    assert case.reference in inbox
    assert "eingegangen" in inbox
    assert "Name des Hundes" in page
    assert "Bello" in page
    assert "Dackel" in page
    assert moved.status_code == 302
    assert wrong.status_code == 400
    with tenant_context(applications_a):
        assert Submission.objects.get().status == Submission.Status.DONE
        entries = AuditEntry.objects.filter(action="applications.case.status").order_by("pk")
        sentences = [line.sentence for line in audit_lines(entries)]
    assert sentences[0].endswith(
        f"hat den Antrag {case.reference} von „eingegangen“ auf „in Bearbeitung“ gesetzt."
    )
    assert sentences[1].endswith("von „in Bearbeitung“ auf „abgeschlossen“ gesetzt.")


def test_the_inbox_filters_by_form_status_and_case_number(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    other = dog_definition()
    other["slug"] = "hund-abmelden"
    other["title"] = {"de": "Hund abmelden"}
    publish(applications_a, other)
    citizen = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    fill_and_send(citizen)
    fill_and_send(citizen, "hund-abmelden")
    make_staff(applications_a, client_a, CLERK)
    with tenant_context(applications_a):
        first, second = Submission.objects.order_by("pk")
        Submission.objects.filter(pk=second.pk).update(status=Submission.Status.IN_PROGRESS)

    by_form = client_a.get("/staff/applications/?form=hund-anmelden").content.decode()
    by_status = client_a.get("/staff/applications/?status=in_progress").content.decode()
    by_number = client_a.get(f"/staff/applications/?q={first.reference[-6:]}").content.decode()
    everything = client_a.get("/staff/applications/").content.decode()

    assert first.reference in by_form
    assert second.reference not in by_form
    assert second.reference in by_status
    assert first.reference not in by_status
    assert first.reference in by_number
    assert second.reference not in by_number
    assert everything.index(second.reference) < everything.index(first.reference)  # newest first


def test_a_case_of_one_town_is_never_found_on_another_towns_host(
    client_a: Client,
    client_b: Client,
    applications_a: Municipality,
    applications_b: Municipality,
) -> None:
    publish(applications_a)
    fill_and_send(Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]))
    with tenant_context(applications_a):
        case = Submission.objects.get()
    make_staff(applications_b, client_b, CLERK)

    assert client_b.get(f"/staff/applications/cases/{case.pk}/").status_code == 404
    found = client_b.get(f"/staff/applications/?q={case.reference}").content.decode()
    assert "/staff/applications/cases/" not in found
    assert "Keine Anträge gefunden." in found


def test_a_bad_definition_file_is_refused_with_the_json_path_of_each_problem(
    client_a: Client, applications_a: Municipality
) -> None:
    make_staff(applications_a, client_a, CLERK)
    definition = dog_definition()
    definition["steps"][1]["fields"][0]["type"] = "colour"

    refused = _upload(client_a, definition)
    not_json = _upload(client_a, b"kein json")
    page = refused.content.decode()

    assert refused.status_code == 400
    assert "<title>Fehler:" in page
    assert "$.steps[1].fields[0].type: &#x27;colour&#x27; is not one of" in page
    assert "$: the file is no JSON" in not_json.content.decode()
    with tenant_context(applications_a):
        assert not Form.objects.exists()


def test_upload_makes_a_draft_that_publishing_freezes_and_old_cases_keep_their_version(
    client_a: Client, applications_a: Municipality
) -> None:
    make_staff(applications_a, client_a, CLERK)
    assert _upload(client_a, dog_definition()).status_code == 302
    with tenant_context(applications_a):
        form = Form.objects.get()
    assert client_a.get("/applications/hund-anmelden/").status_code == 404  # a draft only
    client_a.post(f"/staff/applications/forms/{form.pk}/versions/1/publish/")
    citizen = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    fill_and_send(citizen)
    # Begun with version 1, before version 2 is published:
    late = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    late.post("/applications/hund-anmelden/step/1/", OWNER)

    renamed = dog_definition()
    renamed["steps"][1]["fields"][0]["label"] = {"de": "Rufname des Hundes"}
    _upload(client_a, renamed)
    client_a.post(f"/staff/applications/forms/{form.pk}/versions/2/publish/")
    versions = client_a.get(f"/staff/applications/forms/{form.pk}/").content.decode()
    exported = client_a.get(f"/staff/applications/forms/{form.pk}/versions/1/export/")

    with tenant_context(applications_a):
        old_case = Submission.objects.get()
        first = FormVersion.objects.get(form=form, number=1)
        assert old_case.version == first
        with pytest.raises(VersionFrozen):
            version_update(version=first, definition=renamed)
        live = Form.objects.get().live_version
        assert live is not None
        assert live.number == 2
    old_page = client_a.get(f"/staff/applications/cases/{old_case.pk}/").content.decode()
    assert "Name des Hundes" in old_page
    assert "Rufname" not in old_page
    assert "Version 2 veröffentlichen" not in versions
    assert "aktuell" in versions
    assert exported["Content-Disposition"] == 'attachment; filename="hund-anmelden-v1.json"'
    assert json.loads(exported.content) == dog_definition()
    # The application begun with version 1 is finished and sent with version 1 ...
    assert "Rufname" not in late.get("/applications/hund-anmelden/step/2/").content.decode()
    rex = {**DOG, "dog_name": "Rex", "breed": "mischling", "born_on": "2020-01-01"}
    assert late.post("/applications/hund-anmelden/step/2/", rex).status_code == 302
    assert late.post("/applications/hund-anmelden/check/", {"declaration": "on"}).status_code == 302
    # ... while a new one is made with version 2.
    fresh = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    fresh.post("/applications/hund-anmelden/step/1/", OWNER)
    assert "Rufname des Hundes" in fresh.get("/applications/hund-anmelden/step/2/").content.decode()
    with tenant_context(applications_a):
        assert Submission.objects.get(answers__dog_name="Rex").version == first
        uploads = AuditEntry.objects.filter(action__startswith="applications.form.")
        sentences = [line.sentence.split(" hat ", 1)[1] for line in audit_lines(uploads)]
    assert sorted(sentences) == sorted(
        [
            "Version 1 des Formulars „Hund anmelden“ hochgeladen.",
            "Version 1 des Formulars „Hund anmelden“ veröffentlicht.",
            "Version 2 des Formulars „Hund anmelden“ hochgeladen.",
            "Version 2 des Formulars „Hund anmelden“ veröffentlicht.",
        ]
    )


def test_the_clerk_downloads_the_schema_to_write_a_definition_by(
    client_a: Client, applications_a: Municipality
) -> None:
    make_staff(applications_a, client_a, CLERK)

    page = client_a.get("/staff/applications/forms/").content.decode()
    schema = client_a.get("/staff/applications/forms/schema.json")

    assert 'href="/staff/applications/forms/schema.json"' in page
    assert schema.json()["properties"]["format"] == {"const": "rathaus-form/1"}
