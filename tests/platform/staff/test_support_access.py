"""Vendor staff help a town without its passwords, through an audited, one-time support link."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.identity.models import User
from rathaus.platform.staff import support
from rathaus.platform.staff.support import support_token_issue
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD

VENDOR_EMAIL = "lena@rathaus-betreiber.de"


@pytest.fixture
def vendor_client(public_client: Client) -> Client:
    with schema_context("public"):
        User.objects.create_superuser(VENDOR_EMAIL, PASSWORD)
    public_client.post("/admin/login/", {"username": VENDOR_EMAIL, "password": PASSWORD})
    return public_client


def _support_link(vendor_client: Client, town: Municipality) -> str:
    response = vendor_client.post(
        "/admin/tenants/municipality/",
        {"action": "open_support_session", "_selected_action": [town.pk]},
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_the_vendor_opens_a_support_session_and_every_change_is_audited_as_them(
    vendor_client: Client, client_a: Client, town_a: Municipality
) -> None:
    link = _support_link(vendor_client, town_a)
    assert link.startswith("http://tangerhuette.localhost/staff/support/")

    dashboard = client_a.get(link.removeprefix("http://tangerhuette.localhost"), follow=True)
    assert "Support-Sitzung von lena@rathaus-betreiber.de" in dashboard.content.decode()

    client_a.post("/staff/branding/", {"primary_color": "#7a1f1f"})

    with tenant_context(town_a):
        entry = AuditEntry.objects.get(action="branding.update")
        assert entry.actor == "lena@rathaus-betreiber.de (Support)"
        assert entry.actor_kind == AuditEntry.ActorKind.VENDOR
        assert AuditEntry.objects.filter(action="support.start").exists()


def test_a_support_link_works_once(vendor_client: Client, town_a: Municipality) -> None:
    path = _support_link(vendor_client, town_a).removeprefix("http://tangerhuette.localhost")

    assert Client(HTTP_HOST="tangerhuette.localhost").get(path).status_code == 302
    assert Client(HTTP_HOST="tangerhuette.localhost").get(path).status_code == 403


def test_a_support_link_for_one_town_opens_nothing_in_another(
    client_b: Client, town_a: Municipality
) -> None:
    token = support_token_issue(town=town_a, vendor_email=VENDOR_EMAIL, reason="test")

    assert client_b.get(f"/staff/support/{token}/").status_code == 403
    assert client_b.get("/staff/branding/").status_code == 302  # still not logged in


def test_a_forged_or_expired_link_is_refused(
    client_a: Client, town_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = support_token_issue(town=town_a, vendor_email=VENDOR_EMAIL, reason="test")
    assert client_a.get(f"/staff/support/{token[:-2]}xx/").status_code == 403

    monkeypatch.setattr(support, "TOKEN_MAX_AGE_SECONDS", -1)
    assert client_a.get(f"/staff/support/{token}/").status_code == 403


def test_town_staff_cannot_enter_the_vendor_console(
    public_client: Client, town_a: Municipality
) -> None:
    from tests.platform.staff.conftest import make_staff

    admin = make_staff(town_a, "verwaltung@tangerhuette.de", ["town_admin"])

    public_client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})

    assert public_client.get("/admin/tenants/municipality/").status_code == 302


def test_the_console_opens_a_support_session_on_the_towns_host(
    vendor_client: Client, client_a: Client, town_a: Municipality
) -> None:
    response = vendor_client.post(f"/console/towns/{town_a.ags}/support/")

    assert response.status_code == 302
    link = str(response["Location"])
    assert link.startswith("http://tangerhuette.localhost/staff/support/")
    dashboard = client_a.get(link.removeprefix("http://tangerhuette.localhost"), follow=True)
    assert "Support-Sitzung von lena@rathaus-betreiber.de" in dashboard.content.decode()


def test_a_citizen_holding_a_support_like_address_is_never_promoted(
    vendor_client: Client, client_a: Client, town_a: Municipality
) -> None:
    from rathaus.platform.staff.selectors import roles_of
    from tests.factories import UserFactory

    with tenant_context(town_a):
        squatter = UserFactory.create(email="support@rathaus.invalid")

    link = _support_link(vendor_client, town_a)
    client_a.get(link.removeprefix("http://tangerhuette.localhost"))

    with tenant_context(town_a):
        squatter.refresh_from_db()
        assert not squatter.is_staff
        assert roles_of(user=squatter) == frozenset()
        support = User.objects.get(is_support_account=True)
        assert support.pk != squatter.pk
        assert not support.has_usable_password()


def test_nobody_can_register_an_address_of_the_platforms_reserved_domain(
    town_a: Municipality,
) -> None:
    from django.core.exceptions import ValidationError

    from rathaus.platform.identity.services import account_register

    with tenant_context(town_a), pytest.raises(ValidationError, match="nicht verwendet"):
        account_register(
            email="support@rathaus.invalid",
            password=PASSWORD,
            phone="+4915112345678",
        )
