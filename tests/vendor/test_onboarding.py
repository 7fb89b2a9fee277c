"""Onboarding brings a town live in one call, at most once, and all or nothing."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import schema_exists, tenant_context

from rathaus.modules.selectors import active_module_keys
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.staff.selectors import is_town_admin
from rathaus.tenants.models import Domain, Municipality
from rathaus.vendor import onboarding
from rathaus.vendor.onboarding import tenant_onboard
from tests.platform.messaging.helpers import deliver_waiting

VENDOR = Actor.system("vendor-test")
ARNEBURG = {
    "ags": "15090010",
    "name": "Arneburg",
    "slug": "arneburg",
    "admin_email": "Buergermeister@Arneburg.example",
}


def test_onboarding_brings_a_town_live_with_admin_modules_and_hosts(
    town_a: Municipality,
) -> None:
    result = tenant_onboard(
        **ARNEBURG, modules=["contact"], domains=["www.arneburg.example"], actor=VENDOR
    )

    town = result.town
    assert result.created
    assert town.schema_name == "town_15090010"
    assert schema_exists(town.schema_name)
    assert set(Domain.objects.filter(tenant=town).values_list("domain", flat=True)) == {
        "arneburg.localhost",
        "www.arneburg.example",
    }
    assert active_module_keys(town=town) == {"contact"}
    assert Client(HTTP_HOST="arneburg.localhost").get("/contact/").status_code == 200
    with tenant_context(town):
        admin = User.objects.get()
        assert admin.email == "buergermeister@arneburg.example"
        assert admin.is_staff
        assert is_town_admin(user=admin)  # may open the back office at once
        assert not admin.has_usable_password()
        assert AuditEntry.objects.filter(action="town.onboard").exists()
    with tenant_context(town_a):  # the other town sees nothing of it
        assert not User.objects.filter(email=admin.email).exists()


def test_the_invited_admin_sets_a_password_and_logs_in(db: None) -> None:
    town = tenant_onboard(**ARNEBURG, actor=VENDOR).town

    assert deliver_waiting(town).sent == 1
    assert deliver_waiting(town).sent == 0  # a retry sends no second one

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["buergermeister@arneburg.example"]
    assert mail.outbox[0].from_email == "Arneburg <noreply@localhost>"
    link = re.search(r"https?://arneburg\.localhost\S*", str(mail.outbox[0].body))
    assert link is not None
    browser = Client(HTTP_HOST="arneburg.localhost")
    form = browser.get(link.group(0).split("localhost", 1)[1], follow=True)
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()
    password = "Rathaus-Arneburg-2026"
    done = browser.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    login = browser.post(
        "/accounts/login/",
        {"username": "buergermeister@arneburg.example", "password": password},
    )
    assert login.status_code == 302


def test_onboarding_twice_changes_nothing(db: None) -> None:
    first = tenant_onboard(**ARNEBURG, actor=VENDOR)
    again = tenant_onboard(
        **{**ARNEBURG, "name": "Anders", "slug": "anders", "admin_email": "x@example.org"},
        actor=VENDOR,
    )

    assert not again.created
    assert again.town.pk == first.town.pk
    assert Municipality.objects.get(ags="15090010").name == "Arneburg"
    with tenant_context(first.town):
        assert list(User.objects.values_list("email", flat=True)) == [
            "buergermeister@arneburg.example"
        ]


def test_bad_values_are_all_named_and_nothing_is_created(town_a: Municipality) -> None:
    with pytest.raises(ValidationError) as error:
        tenant_onboard(
            ags="15090010",
            name="",
            slug=town_a.slug,
            admin_email="no-address",
            modules=["contact", "teleport"],
            domains=["not a host"],
            actor=VENDOR,
        )

    assert set(error.value.message_dict) == {"name", "slug", "admin_email", "modules", "domains"}
    assert not Municipality.objects.filter(ags="15090010").exists()
    assert not schema_exists("town_15090010")


def test_a_failure_half_way_leaves_no_half_made_town(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("module set-up failed")

    monkeypatch.setattr(onboarding, "modules_set_up_for_new_town", broken)

    with pytest.raises(RuntimeError):
        tenant_onboard(**ARNEBURG, actor=VENDOR)

    assert not Municipality.objects.filter(ags="15090010").exists()
    assert not Domain.objects.filter(domain="arneburg.localhost").exists()
    assert not schema_exists("town_15090010")


def test_invitation_and_billing_are_queued_only_when_the_town_is_committed(
    db: None, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        tenant_onboard(**ARNEBURG, actor=VENDOR)

    assert len(callbacks) >= 1
