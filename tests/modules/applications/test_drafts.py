"""A citizen saves an application and finishes it later, by its link or from the account."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import Draft, Submission
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.conftest import host_client
from tests.factories import UserFactory
from tests.modules.applications.conftest import DOG, OWNER, log_in, publish

START = "/applications/hund-anmelden/"
LINK = re.compile(r'href="(https?://[^"]+/applications/hund-anmelden/resume/[^"]+/)"')


def _save(client: Client, step: int, data: dict[str, str]) -> str:
    """Presses "Speichern und später weitermachen"; returns the link the page shows."""
    saved = client.post(f"{START}step/{step}/", {**data, "save": "1"})
    assert saved["Location"] == f"{START}saved/"
    page = client.get(saved["Location"]).content.decode()
    found = LINK.search(page)
    assert found is not None, page
    return found.group(1)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_a_saved_application_is_resumed_by_its_link_in_another_browser(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    client_a.post(f"{START}step/1/", OWNER)

    link = _save(client_a, 2, {**DOG, "born_on": "morgen"})  # one answer wrong: kept as before
    other = host_client(town_host(slug=applications_a.slug))
    resumed = other.get(_path(link))
    step = other.get(resumed["Location"]).content.decode()

    assert link.startswith(f"http://{town_host(slug=applications_a.slug)}")
    assert resumed["Location"] == f"{START}step/2/"
    assert 'value="Bello"' in step  # what was typed is there
    assert 'value="Erika Mustermann"' in other.get(f"{START}step/1/").content.decode()
    assert other.post(f"{START}step/2/", DOG)["Location"] == f"{START}check/"
    other.post(f"{START}check/", {"declaration": "on"})
    with tenant_context(applications_a):
        assert Submission.objects.get().answers["owner_name"] == "Erika Mustermann"
        assert not Draft.objects.exists()  # sent: the saved copy is gone
    gone = other.get(_path(link))
    assert gone.status_code == 410


def test_an_expired_link_explains_itself(client_a: Client, applications_a: Municipality) -> None:
    publish(applications_a)
    link = _save(client_a, 1, OWNER)

    later = timezone.now() + dt.timedelta(days=31)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        expired = host_client(town_host(slug=applications_a.slug)).get(_path(link))

    assert expired.status_code == 410
    page = expired.content.decode()
    assert "Dieser Link ist abgelaufen" in page
    assert "Ein gespeicherter Antrag bleibt 30 Tage lang erhalten." in page


def test_a_link_of_one_town_does_not_work_on_another(
    client_a: Client,
    client_b: Client,
    applications_a: Municipality,
    applications_b: Municipality,
) -> None:
    publish(applications_a)
    publish(applications_b)
    link = _save(client_a, 1, OWNER)

    foreign = client_b.get(_path(link))
    tampered = client_a.get(_path(link).replace("resume/", "resume/x"))

    assert foreign.status_code == 404
    assert "Dieser Link ist ungültig" in foreign.content.decode()
    assert "Erika" not in foreign.content.decode()
    assert tampered.status_code == 404


def test_a_logged_in_citizen_finds_the_saved_application_in_the_account(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    with tenant_context(applications_a):
        UserFactory(email="erika@example.org")
    log_in(client_a, "erika@example.org")

    _save(client_a, 1, OWNER)
    account = client_a.get("/applications/account/").content.decode()

    assert "Gespeichert, noch nicht abgesendet" in account
    assert "/applications/hund-anmelden/resume/" in account
