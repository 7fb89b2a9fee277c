"""Every staff page renders for a clerk (and the town admin's rules page for a town admin)."""

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.identity.models import User
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_set_roles

from .conftest import SYSTEM, Office, log_in, make_clerk


def test_every_staff_page_renders(client_a: Client, office_a: Office) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    loc = office_a.location.pk
    for path in (
        "/staff/appointments/",
        "/staff/appointments/standorte/neu/",
        f"/staff/appointments/standorte/{loc}/",
        f"/staff/appointments/standorte/{loc}/tag/",
        f"/staff/appointments/standorte/{loc}/woche/",
        f"/staff/appointments/standorte/{loc}/statistik/",
        "/staff/appointments/dienstleistungen/neu/",
        f"/staff/appointments/dienstleistungen/{office_a.service.pk}/",
        "/appointments/",
    ):
        response = client_a.get(path)
        assert response.status_code == 200, path
    assert "Terminverwaltung" in client_a.get("/appointments/").content.decode()


def test_a_town_admin_changes_the_booking_rules(client_a: Client, office_a: Office) -> None:
    make_clerk(office_a.town, "admin@example.org")
    with tenant_context(office_a.town):
        admin = User.objects.get(email="admin@example.org")
        staff_set_roles(town=office_a.town, user=admin, roles=[TOWN_ADMIN], actor=SYSTEM)
    log_in(client_a, "admin@example.org")

    assert client_a.get("/staff/appointments/regeln/").status_code == 200
    response = client_a.post(
        "/staff/appointments/regeln/",
        {
            "booking_horizon_days": "14",
            "min_notice_minutes_hours": "1",
            "min_notice_minutes_minutes": "",
            "cancel_notice_minutes_hours": "",
            "cancel_notice_minutes_minutes": "30",
            "guest_hold_minutes_hours": "",
            "guest_hold_minutes_minutes": "20",
            "max_open_bookings": "2",
            "reminders": "on",
        },
    )
    assert response.status_code == 302
    slots_page = client_a.get(f"/appointments/{office_a.service.pk}/{office_a.location.pk}/?week=5")
    assert "Nächste Woche" not in slots_page.content.decode()  # 14 days: two weeks only
