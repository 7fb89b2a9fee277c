"""File uploads: checked by content and size before anything is stored; several files."""

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import Submission
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.models import Municipality
from tests.modules.applications.conftest import DOG, OWNER, dog_definition, publish

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
STEP_2 = "/applications/hund-anmelden/step/2/"


def _with_upload(max_files: int = 2) -> dict[str, Any]:
    definition = dog_definition()
    definition["steps"][1]["fields"].insert(
        -1,
        {
            "key": "vaccination",
            "type": "file",
            "required": True,
            "accept": ["pdf", "png"],
            "max_size_mb": 1,
            "max_files": max_files,
            "label": {"de": "Impfpass"},
        },
    )
    return definition


def _stored_files(town: Municipality) -> list[str]:
    with tenant_context(town):
        root = Path(private_storage().path(""))
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_several_files_are_kept_in_the_towns_private_storage_and_listed(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a, _with_upload())
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)
    files = [
        SimpleUploadedFile("impfpass.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("seite 2.png", PNG, content_type="image/png"),
    ]

    assert client_a.post(STEP_2, {**DOG, "vaccination": files})["Location"].endswith("/check/")
    check = client_a.get("/applications/hund-anmelden/check/").content.decode()
    client_a.post("/applications/hund-anmelden/check/", {"declaration": "on"})

    assert "impfpass.pdf, seite 2.png" in check
    with tenant_context(applications_a):
        answer = Submission.objects.get().answers["vaccination"]
        assert [f["name"] for f in answer] == ["impfpass.pdf", "seite 2.png"]
        assert private_storage().open(answer[0]["file"]).read() == PDF
    assert all(applications_a.schema_name in path for path in _stored_files(applications_a))


def test_a_file_of_the_wrong_type_or_size_is_refused_before_it_is_stored(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a, _with_upload())
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)
    before = _stored_files(applications_a)

    # A program named .pdf: the content decides, not the name or the browser.
    disguised = SimpleUploadedFile("impfpass.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf")
    big = SimpleUploadedFile("gross.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    refused = client_a.post(STEP_2, {**DOG, "vaccination": [disguised, big]})
    too_many = client_a.post(
        STEP_2,
        {**DOG, "vaccination": [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(3)]},
    )
    missing = client_a.post(STEP_2, DOG)

    page = refused.content.decode()
    assert refused.status_code == 400
    assert "„impfpass.pdf“ ist keine erlaubte Datei: erlaubt sind PDF, PNG." in page
    assert "„gross.pdf“ ist zu groß: höchstens 1 MB sind erlaubt." in page
    assert 'value="Bello"' in page  # the other answers are kept
    assert "Bei „Impfpass“ sind höchstens 2 Dateien erlaubt." in too_many.content.decode()
    assert "Fügen Sie bei „Impfpass“ eine Datei hinzu." in missing.content.decode()
    assert _stored_files(applications_a) == before
