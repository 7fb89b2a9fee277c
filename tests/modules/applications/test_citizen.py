"""A citizen applies online: step by step, with specific errors, a check page, a case number."""

import json
import re

from django.core import mail
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import Submission
from rathaus.modules.applications.services import form_import
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.applications.conftest import (
    DOG,
    OWNER,
    SYSTEM,
    dog_definition,
    fill_and_send,
    log_in,
    publish,
)
from tests.platform.design.test_error_pages import assert_error_page
from tests.platform.messaging.helpers import deliver_waiting

YEAR_NUMBER = re.compile(r"A-\d{4}-\d{6}")


def test_the_catalogue_offers_a_published_form_with_online_beantragen(
    client_a: Client, applications_a: Municipality
) -> None:
    assert client_a.get("/leistungen/hund-anmelden/").status_code == 404
    publish(applications_a)

    page = client_a.get("/leistungen/hund-anmelden/").content.decode()
    found = client_a.get("/suche/?q=Hundesteuer").content.decode()

    assert "Hund anmelden" in page
    assert "Online beantragen" in page
    assert 'href="/applications/hund-anmelden/"' in page
    assert "/leistungen/hund-anmelden/" in found


def test_a_guest_fills_checks_and_sends_and_gets_a_case_number_and_receipt(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)

    start = client_a.get("/applications/hund-anmelden/").content.decode()
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)
    client_a.post("/applications/hund-anmelden/step/2/", DOG)
    check = client_a.get("/applications/hund-anmelden/check/").content.decode()
    sent = client_a.post("/applications/hund-anmelden/check/", {"declaration": "on"})
    done = client_a.get(sent["Location"]).content.decode()

    assert "Antrag starten" in start
    assert "Bello" in check
    assert "Dackel" in check
    assert "24.05.2021" in check
    assert "Nein" in check
    assert check.count("?back=check") == 2  # "Ändern" per step
    assert "Ich versichere, dass meine Angaben vollständig und richtig sind." in check
    reference = YEAR_NUMBER.search(done)
    assert reference is not None
    with tenant_context(applications_a):
        submission = Submission.objects.get()
        assert submission.reference == reference.group()
        assert submission.answers["dog_name"] == "Bello"
        assert submission.answers["born_on"] == "2021-05-24"
        assert submission.status == Submission.Status.RECEIVED
    deliver_waiting(applications_a, kinds=["applications.receipt"])
    assert [m.to for m in mail.outbox] == [["erika@example.org"]]
    assert reference.group() in mail.outbox[0].subject
    assert "Name des Hundes: Bello" in mail.outbox[0].body
    # The draft is gone: a new application begins empty.
    assert (
        'value="Bello"' not in client_a.get("/applications/hund-anmelden/step/2/").content.decode()
    )


def test_wrong_answers_are_named_at_their_fields_and_nothing_typed_is_lost(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)

    wrong = client_a.post(
        "/applications/hund-anmelden/step/2/",
        {"dog_name": "Bello", "breed": "pudel", "born_on": "2999-01-01"},
    )
    page = wrong.content.decode()

    assert wrong.status_code == 400
    assert_error_page(page)
    assert "Wählen Sie bei „Rasse“ eine der Antworten aus." in page
    assert "„Geburtsdatum des Hundes“ darf nicht in der Zukunft liegen." in page
    assert "Wählen Sie bei „Ist es ein gefährlicher Hund (Listenhund)?“ Ja oder Nein." in page
    assert 'value="Bello"' in page
    bad_mail = client_a.post(
        "/applications/hund-anmelden/step/1/", {**OWNER, "email": "erika.example.org"}
    ).content.decode()
    assert "Geben Sie eine E-Mail-Adresse in der Form name@beispiel.de an." in bad_mail


def test_the_declaration_must_be_confirmed_before_sending(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)
    client_a.post("/applications/hund-anmelden/step/2/", DOG)

    refused = client_a.post("/applications/hund-anmelden/check/", {})

    assert refused.status_code == 400
    assert_error_page(refused.content.decode())
    assert (
        "Bestätigen Sie die Erklärung, bevor Sie den Antrag absenden." in refused.content.decode()
    )
    with tenant_context(applications_a):
        assert not Submission.objects.exists()


def test_the_draft_survives_a_reload_and_change_returns_to_the_check_page(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)
    client_a.post("/applications/hund-anmelden/step/2/", DOG)

    again = client_a.get("/applications/hund-anmelden/step/1/").content.decode()
    changed = client_a.post(
        "/applications/hund-anmelden/step/2/?back=check", {**DOG, "dog_name": "Rex"}
    )
    check = client_a.get("/applications/hund-anmelden/check/").content.decode()

    assert 'value="Erika Mustermann"' in again
    assert changed["Location"] == "/applications/hund-anmelden/check/"
    assert "Rex" in check
    assert "Bello" not in check


def test_steps_cannot_be_skipped(client_a: Client, applications_a: Municipality) -> None:
    publish(applications_a)

    skipped = client_a.get("/applications/hund-anmelden/check/")
    jumped = client_a.get("/applications/hund-anmelden/step/2/")

    assert skipped["Location"] == "/applications/hund-anmelden/step/1/"
    assert jumped["Location"] == "/applications/hund-anmelden/step/1/"


def test_a_logged_in_citizen_sees_the_application_in_mein_rathaus(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    with tenant_context(applications_a):
        UserFactory.create(email="erika@example.org")
    log_in(client_a, "erika@example.org")

    done = fill_and_send(client_a)
    reference = YEAR_NUMBER.search(done)
    assert reference is not None
    hub = client_a.get("/accounts/").content.decode()
    mine = client_a.get("/applications/account/").content.decode()

    assert "Meine Anträge" in hub
    assert reference.group() in hub
    assert reference.group() in mine
    assert "eingegangen" in mine
    with tenant_context(applications_a):
        assert Submission.objects.get().user == User.objects.get(email="erika@example.org")


def test_case_numbers_count_up_per_town(
    client_a: Client, client_b: Client, applications_a: Municipality, applications_b: Municipality
) -> None:
    publish(applications_a)
    publish(applications_b)

    first = YEAR_NUMBER.search(fill_and_send(client_a))
    second = YEAR_NUMBER.search(fill_and_send(client_a))
    other_town = YEAR_NUMBER.search(fill_and_send(client_b))

    assert first
    assert second
    assert other_town
    assert first.group().endswith("-000001")
    assert second.group().endswith("-000002")
    assert other_town.group().endswith("-000001")


def test_a_form_of_one_town_is_not_found_on_another_towns_host(
    client_b: Client, applications_a: Municipality, applications_b: Municipality
) -> None:
    publish(applications_a)

    assert client_b.get("/applications/hund-anmelden/").status_code == 404
    assert client_b.get("/applications/hund-anmelden/step/1/").status_code == 404
    assert client_b.get("/leistungen/hund-anmelden/").status_code == 404


def test_a_draft_form_is_not_open_to_citizens(
    client_a: Client, applications_a: Municipality
) -> None:
    with tenant_context(applications_a):
        form_import(town=applications_a, raw=json.dumps(dog_definition()), actor=SYSTEM)

    assert client_a.get("/applications/hund-anmelden/").status_code == 404


def test_the_form_speaks_english_from_its_definition(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    client_a.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)

    step = client_a.get("/applications/hund-anmelden/step/2/").content.decode()
    wrong = client_a.post("/applications/hund-anmelden/step/2/", {}).content.decode()

    assert "Your dog" in step
    assert "Dog&#x27;s name" in step or "Dog's name" in step
    assert "Choose an answer for “Breed”." in wrong
