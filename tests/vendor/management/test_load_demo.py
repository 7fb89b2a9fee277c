"""`make run`'s demo: two towns with every service on, and logins that work; safe to run twice."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from rathaus.modules.registry import modules
from rathaus.modules.selectors import active_module_keys
from rathaus.tenants.models import Municipality


@override_settings(DEBUG=True)
def test_the_demo_loads_twice_and_every_service_answers(
    towns: dict[str, Municipality], db: None
) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=StringIO())

    assert "admin@tangerhuette.localhost / rathaus-demo" in out.getvalue()
    # The demo app (a public OAuth client) of each town, printed with its client_id.
    assert out.getvalue().count("app (OAuth)  client_id ") == 2
    town = Municipality.objects.get(slug="tangerhuette")
    assert active_module_keys(town=town) == set(modules.keys())
    browser = Client(HTTP_HOST="tangerhuette.localhost")
    citizen = Client(HTTP_HOST="tangerhuette.localhost")
    citizen.post(
        "/accounts/login/",
        {"username": "buerger@tangerhuette.localhost", "password": "rathaus-demo"},
    )
    for module in modules:
        # A personal service (the mailbox) asks a visitor to log in first.
        assert browser.get(f"/{module.key}/").status_code in (200, 302), module.key
        assert citizen.get(f"/{module.key}/").status_code == 200, module.key
    login = browser.post(
        "/accounts/login/", {"username": "admin@tangerhuette.localhost", "password": "rathaus-demo"}
    )
    assert login.status_code == 302
    assert browser.get("/staff/").status_code == 200


def test_the_demo_refuses_to_run_without_debug(db: None) -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
