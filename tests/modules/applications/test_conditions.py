"""Conditions (JSON Logic) decide on the server what is asked, what is needed, and the fee."""

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.applications.definition import definition_problems
from rathaus.modules.applications.models import Submission
from rathaus.tenants.models import Municipality
from tests.modules.applications.conftest import DOG, OWNER, dog_definition, publish

STEP_2 = "/applications/hund-anmelden/step/2/"


def test_a_bad_rule_is_refused_with_the_json_path_of_its_place() -> None:
    definition = dog_definition()
    fields = definition["steps"][1]["fields"]
    fields[0]["visible_if"] = {"tomorrow": [1]}
    fields[1]["required_if"] = {"==": [{"var": "colour"}, "brown"]}
    definition["steps"][1]["visible_if"] = "yes"

    problems = definition_problems(definition)

    assert problems[0] == "$.steps[1].visible_if: 'yes' is not of type 'object', 'boolean'"
    definition["steps"][1]["visible_if"] = {"!!": [{"var": "owner_name"}]}
    assert definition_problems(definition) == [
        "$.steps[1].fields[0].visible_if: unknown operator `tomorrow`",
        "$.steps[1].fields[1].required_if: reads 'colour', which is no field of the form",
    ]


def test_the_fee_is_worked_out_from_the_number_of_dogs_and_shown_before_sending(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)
    answers = {**DOG, "dog_count": "3", "more_dogs": "Fiffi, Dackel, 2020\nRex, Mischling, 2019"}

    assert client_a.post(STEP_2, {**answers, "tax": "0.01"}).status_code == 302
    check = client_a.get("/applications/hund-anmelden/check/").content.decode()
    client_a.post("/applications/hund-anmelden/check/", {"declaration": "on"})

    assert "Voraussichtliche Hundesteuer im Jahr" in check
    assert "240,00 €" in check  # 60 € for the first dog, 90 € for each of two more
    with tenant_context(applications_a):
        submission = Submission.objects.get()
    assert submission.answers["tax"] == "240.00"  # the browser's "0.01" counts for nothing
    assert submission.answers["more_dogs"].startswith("Fiffi")


def test_a_field_asked_only_for_a_dangerous_dog_is_needed_then_and_dropped_otherwise(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)

    missing = client_a.post(STEP_2, {**DOG, "listed": "yes"})
    assert missing.status_code == 400
    assert (
        "Bitte füllen Sie „Nummer der Erlaubnis zum Halten eines gefährlichen Hundes“ aus."
        in missing.content.decode()
    )
    assert 'value="Bello"' in missing.content.decode()  # nothing typed is lost

    # Not a dangerous dog: a permit number sent anyway is neither checked nor kept.
    assert client_a.post(STEP_2, {**DOG, "listed_permit": "x" * 500}).status_code == 302
    check = client_a.get("/applications/hund-anmelden/check/").content.decode()
    client_a.post("/applications/hund-anmelden/check/", {"declaration": "on"})
    assert "Nummer der Erlaubnis" not in check
    assert "60,00 €" in check
    with tenant_context(applications_a):
        assert "listed_permit" not in Submission.objects.get().answers


def test_further_dogs_are_required_only_when_more_than_one_is_registered(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)

    refused = client_a.post(STEP_2, {**DOG, "dog_count": "2"})

    assert refused.status_code == 400
    assert "Bitte füllen Sie „Weitere Hunde“ aus." in refused.content.decode()


def test_a_step_left_out_by_an_answer_is_skipped(
    client_a: Client, applications_a: Municipality
) -> None:
    definition = dog_definition()
    definition["steps"].append(
        {
            "key": "permit",
            "title": {"de": "Erlaubnis"},
            "visible_if": {"==": [{"var": "listed"}, "yes"]},
            "fields": [
                {
                    "key": "permit_office",
                    "type": "text",
                    "required": True,
                    "label": {"de": "Behörde"},
                }
            ],
        }
    )
    publish(applications_a, definition)
    client_a.post("/applications/hund-anmelden/step/1/", OWNER)

    calm = client_a.post(STEP_2, DOG)
    skipped = client_a.get("/applications/hund-anmelden/step/3/")
    listed = client_a.post(STEP_2, {**DOG, "listed": "yes", "listed_permit": "E-17"})
    asked = client_a.get("/applications/hund-anmelden/step/3/").content.decode()

    assert calm["Location"] == "/applications/hund-anmelden/check/"
    assert skipped["Location"] == "/applications/hund-anmelden/check/"
    assert listed["Location"] == "/applications/hund-anmelden/step/3/"
    assert "Schritt 3 von 3" in asked
    assert "Behörde" in asked
