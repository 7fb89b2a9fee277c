"""A host name is checked by the Domain model itself, whichever way it is added."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import schema_context

from rathaus.platform.identity.models import User
from rathaus.tenants.models import Domain, Municipality
from rathaus.tenants.services import domain_add
from rathaus.vendor.vendor_tokens import vendor_token_create
from tests.factories import PASSWORD, UserFactory
from tests.html import api_error_paths


def _domain_error(town: Municipality, host: str) -> list[str]:
    with pytest.raises(ValidationError) as error:
        domain_add(town=town, domain=host)
    return error.value.message_dict["domain"]


def test_a_host_name_is_stored_lowercase_and_without_blanks(town_a: Municipality) -> None:
    domain = domain_add(town=town_a, domain="  Rathaus.Tangerhuette.DE ")

    assert domain.domain == "rathaus.tangerhuette.de"
    assert Client(HTTP_HOST="rathaus.tangerhuette.de").get("/").status_code == 200


@pytest.mark.parametrize("host", ["kein host", "tangerhuette", "-x.de", "x.de/pfad", "x..de"])
def test_what_is_no_host_name_is_refused_by_name(town_a: Municipality, host: str) -> None:
    assert _domain_error(town_a, host) == [f"Kein gültiger Host-Name: {host.strip().lower()}"]
    assert not Domain.objects.filter(tenant=town_a).exclude(domain="tangerhuette.localhost")


def test_the_vendors_own_hosts_are_no_towns_domain(town_a: Municipality) -> None:
    # PUBLIC_HOSTS of the tests: localhost and www.localhost.
    assert _domain_error(town_a, "WWW.localhost") == [
        "Dieser Host-Name gehört dem Betreiber, nicht einer Kommune: www.localhost"
    ]


def test_an_empty_host_name_is_named_once(town_a: Municipality) -> None:
    assert _domain_error(town_a, " ") == ["Dieses Feld darf nicht leer sein."]


def test_a_host_of_another_town_is_refused_by_name(
    town_a: Municipality, town_b: Municipality
) -> None:
    assert _domain_error(town_b, "TANGERHUETTE.localhost") == [
        "Dieser Host-Name ist schon vergeben: tangerhuette.localhost"
    ]


def test_the_command_line_names_a_bad_host(town_a: Municipality) -> None:
    with pytest.raises(CommandError, match="Kein gültiger Host-Name: kein host"):
        call_command("town", "domain", town_a.ags, "kein host", stdout=StringIO())


def test_the_vendor_admin_checks_host_names_too(
    public_client: Client, town_a: Municipality
) -> None:
    with schema_context("public"):
        User.objects.create_superuser("lena@rathaus-betreiber.de", PASSWORD)
    public_client.post(
        "/admin/login/", {"username": "lena@rathaus-betreiber.de", "password": PASSWORD}
    )
    primary = town_a.domains.get()
    form = {
        "name": town_a.name,
        "slug": town_a.slug,
        "ags": town_a.ags,
        "status": town_a.status,
        "domains-TOTAL_FORMS": "2",
        "domains-INITIAL_FORMS": "1",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
        "domains-0-id": str(primary.pk),
        "domains-0-tenant": str(town_a.pk),
        "domains-0-domain": primary.domain,
        "domains-0-is_primary": "on",
        "domains-1-tenant": str(town_a.pk),
        "domains-1-domain": "www.tangerhütte .de",
    }
    url = f"/admin/tenants/municipality/{town_a.pk}/change/"

    refused = public_client.post(url, form)

    assert refused.status_code == 200
    assert "Kein gültiger Host-Name: www.tangerhütte .de" in refused.content.decode()
    assert town_a.domains.count() == 1

    saved = public_client.post(url, {**form, "domains-1-domain": "WWW.Tangerhuette.de"})

    assert saved.status_code == 302
    assert set(town_a.domains.values_list("domain", flat=True)) == {
        "tangerhuette.localhost",
        "www.tangerhuette.de",
    }


def test_the_vendor_api_names_a_bad_host(town_a: Municipality) -> None:
    vendor = UserFactory.create(email="vendor@rathaus.example", is_staff=True)
    api = Client(
        HTTP_HOST="localhost",
        HTTP_AUTHORIZATION=f"Bearer {vendor_token_create(user=vendor, name='t')}",
    )

    response = api.post(
        f"/api/vendor/v1/towns/{town_a.ags}/domains/",
        {"domain": "www.localhost"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert api_error_paths(response) == {
        "$.domain": "Dieser Host-Name gehört dem Betreiber, nicht einer Kommune: www.localhost"
    }
