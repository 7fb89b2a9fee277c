"""Switching a service off asks first and says what happens to open bookings and the rest."""

import datetime as dt

from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Booking
from rathaus.modules.news.models import Post, Subscriber, Topic
from rathaus.modules.selectors import module_is_active, module_switch_off_consequences
from rathaus.modules.services import module_configure
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality
from tests.modules.appointments.conftest import Office, at, office_a, office_b, open_day
from tests.modules.conftest import switch_on
from tests.platform.staff.conftest import admin_a, admin_client_a

__all__ = ["admin_a", "admin_client_a", "office_a", "office_b"]  # fixtures used below


def _bookings(office: Office, count: int, hour: int = 8, **fields: object) -> None:
    day = open_day(office.town)
    with tenant_context(office.town):
        for i in range(count):
            Booking.objects.create(
                service=office.service,
                location=office.location,
                counter=1,
                start=at(day, hour + i),
                end=at(day, hour + i, 30),
                name="Erika",
                email="e@example.org",
                **fields,
            )


def test_the_switch_off_button_leads_to_a_confirmation_and_changes_nothing(
    admin_client_a: Client, office_a: Office
) -> None:
    _bookings(office_a, 3)

    index = admin_client_a.get("/staff/modules/").content.decode()
    assert 'href="/staff/modules/appointments/switch-off/"' in index
    page = admin_client_a.get("/staff/modules/appointments/switch-off/").content.decode()

    assert "Termine ausschalten?" in page
    assert "3 offene Termine bleiben bestehen" in page
    assert "Erinnerungen am Vortag werden nicht mehr verschickt." in page
    assert "Nichts wird gelöscht" in page
    assert module_is_active(town=office_a.town, key="appointments")


def test_an_unconfirmed_switch_off_goes_to_the_confirmation_page(
    admin_client_a: Client, office_a: Office
) -> None:
    response = admin_client_a.post("/staff/modules/appointments/switch/", {"enabled": "off"})

    assert response.status_code == 302
    assert response["Location"] == "/staff/modules/appointments/switch-off/"
    assert module_is_active(town=office_a.town, key="appointments")


def test_confirming_switches_off_keeps_the_bookings_and_on_again_brings_them_back(
    admin_client_a: Client, office_a: Office
) -> None:
    _bookings(office_a, 2)

    response = admin_client_a.post(
        "/staff/modules/appointments/switch/", {"enabled": "off", "confirmed": "1"}, follow=True
    )

    assert "Termine ist ausgeschaltet." in response.content.decode()
    assert not module_is_active(town=office_a.town, key="appointments")
    with tenant_context(office_a.town):
        assert Booking.objects.filter(status=Booking.Status.CONFIRMED).count() == 2
        assert AuditEntry.objects.filter(action="module.enable", after=False).exists()
    assert admin_client_a.get("/staff/appointments/").status_code == 404

    admin_client_a.post("/staff/modules/appointments/switch/", {"enabled": "on"})

    assert module_is_active(town=office_a.town, key="appointments")
    assert admin_client_a.get("/staff/appointments/").status_code == 200


def test_appointments_counts_only_open_bookings_and_mentions_reminders_only_if_sent(
    office_a: Office,
) -> None:
    _bookings(office_a, 1)
    _bookings(office_a, 2, hour=10, status=Booking.Status.CANCELLED)
    _bookings(
        office_a,
        1,
        hour=14,
        status=Booking.Status.PENDING,
        hold_until=timezone.now() - dt.timedelta(minutes=5),
    )
    module_configure(
        town=office_a.town,
        key="appointments",
        settings={"reminders": False},
        actor=Actor.system("test"),
    )

    with tenant_context(office_a.town):
        said = module_switch_off_consequences(town=office_a.town, key="appointments")

    assert said[0].startswith("1 offener Termin bleibt bestehen")
    assert not any("Erinnerung" in line for line in said)


def test_without_bookings_appointments_says_so(office_a: Office) -> None:
    with tenant_context(office_a.town):
        said = module_switch_off_consequences(town=office_a.town, key="appointments")

    assert said[0] == "Es gibt keine offenen Termine."


def test_news_says_what_happens_to_subscriptions_and_scheduled_posts(
    town_a: Municipality,
) -> None:
    switch_on(town_a, "news")
    with tenant_context(town_a):
        topic = Topic.objects.create(name="Baustellen", slug="baustellen")
        for email in ("a@example.org", "b@example.org"):
            Subscriber.objects.create(email=email, confirmed_at=timezone.now()).topics.add(topic)
        Post.objects.create(
            title="Sperrung",
            body="…",
            status=Post.Status.SCHEDULED,
            publish_at=timezone.now() + dt.timedelta(days=1),
        )
        said = module_switch_off_consequences(town=town_a, key="news")

    assert "2 Abonnements bleiben gespeichert, bekommen aber keine Beiträge mehr." in said
    assert any(line.startswith("1 geplanter Beitrag wird nicht veröffentlicht") for line in said)


def test_the_count_is_the_towns_own(office_a: Office, office_b: Office) -> None:
    _bookings(office_b, 4)

    with tenant_context(office_a.town):
        said = module_switch_off_consequences(town=office_a.town, key="appointments")

    assert said[0] == "Es gibt keine offenen Termine."
