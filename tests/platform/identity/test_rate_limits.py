"""The account pages that send e-mail or SMS, or could be guessed at, are limited per client."""

from django.test import Client

from rathaus.platform.identity.limits import PASSWORD_RESET, REGISTER
from rathaus.tenants.models import Municipality


def test_registering_from_one_address_is_limited_per_town(
    client_a: Client, client_b: Client, town_a: Municipality
) -> None:
    statuses = [
        client_a.post("/accounts/register/", {"email": "kein-formular"}).status_code
        for _ in range(REGISTER.count + 1)
    ]

    assert statuses == [200] * REGISTER.count + [403]
    assert client_a.get("/accounts/register/").status_code == 200  # looking is not counted
    assert client_b.post("/accounts/register/", {"email": "x"}).status_code == 200


def test_asking_for_password_links_is_limited(client_a: Client, town_a: Municipality) -> None:
    statuses = [
        client_a.post("/accounts/password-reset/", {"email": f"p{n}@example.org"}).status_code
        for n in range(PASSWORD_RESET.count + 1)
    ]

    assert statuses == [302] * PASSWORD_RESET.count + [403]
