"""Staff invitations reach people: those queued before the outbox existed are sent once after
the deploy, and the town admin can send a new one ("Einladung erneut senden")."""

import importlib

from django.apps import apps as django_apps
from django.core import mail
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.staff.invitations import INVITATION, staff_invitation_queue
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.platform.messaging.helpers import deliver_waiting

MIGRATION = "rathaus.platform.staff.migrations.0002_invitations_queued_before_the_outbox_go_out"


def _run_migration() -> None:
    module = importlib.import_module(MIGRATION)
    with connection.schema_editor(atomic=False) as editor:
        module.requeue_unsent_invitations(django_apps, editor)


def _staff_without_invitation(town: Municipality, email: str) -> User:
    """A staff member added before the outbox, whose invitation task never ran."""
    return staff_add(
        town=town, email=email, roles=["town_admin"], actor=Actor.system("test"), invite=False
    )


def test_an_invitation_lost_before_the_outbox_is_sent_once_after_the_deploy(
    town_a: Municipality,
) -> None:
    with tenant_context(town_a):
        lost = _staff_without_invitation(town_a, "verloren@tangerhuette.de")
        # Sent under the old ledger: the audit log says so.
        sent = _staff_without_invitation(town_a, "erhalten@tangerhuette.de")
        AuditEntry.objects.create(
            actor_kind="system", actor="invitation", action="staff.invited", target=sent.email
        )
        # Queued through the outbox already.
        queued = _staff_without_invitation(town_a, "neu@tangerhuette.de")
        staff_invitation_queue(town=town_a, user=queued)
        # Has a password: nothing to invite to.
        done = _staff_without_invitation(town_a, "fertig@tangerhuette.de")
        done.set_password("Ein-sehr-gutes-Passwort-2026")
        done.save()

        _run_migration()
        _run_migration()  # once, however often it runs
        rows = OutboxMessage.objects.filter(kind=INVITATION)
        assert sorted(rows.values_list("address", flat=True)) == [
            "neu@tangerhuette.de",
            "verloren@tangerhuette.de",
        ]
        # An old worker still running during the deploy sends nothing twice: it finds
        # the ledger entry the migration wrote.
        assert AuditEntry.objects.filter(action="staff.invited", target=lost.email).count() == 1

    assert deliver_waiting(town_a).sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "neu@tangerhuette.de",
        "verloren@tangerhuette.de",
    ]


def test_an_old_worker_that_sent_meanwhile_leaves_the_requeued_invitation_unsent(
    town_a: Municipality,
) -> None:
    with tenant_context(town_a):
        lost = _staff_without_invitation(town_a, "verloren@tangerhuette.de")
        _run_migration()
        # The old worker had checked the ledger just before the migration wrote to it.
        AuditEntry.objects.create(
            actor_kind="system", actor="invitation", action="staff.invited", target=lost.email
        )

    assert deliver_waiting(town_a).skipped == 1
    assert not mail.outbox


def _links() -> list[str]:
    return [
        line
        for message in mail.outbox
        for line in message.body.splitlines()
        if "/accounts/password/" in line
    ]


def test_the_admin_sends_an_invitation_again_with_a_new_link(
    admin_client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        member = staff_add(
            town=town_a, email="nora@tangerhuette.de", roles=["town_admin"], actor=Actor.system()
        )
    deliver_waiting(town_a)
    page = admin_client_a.get(f"/staff/team/{member.pk}/").content.decode()
    assert "Einladung erneut senden" in page
    assert "gesendet" in page  # how the last invitation went

    response = admin_client_a.post(f"/staff/team/{member.pk}/invite/", follow=True)

    assert "Die Einladung wurde erneut gesendet." in response.content.decode()
    assert deliver_waiting(town_a).sent == 1
    assert [m.to for m in mail.outbox] == [["nora@tangerhuette.de"], ["nora@tangerhuette.de"]]
    first, second = _links()
    assert first != second
    # The earlier link no longer works; the new one does.
    old_path, new_path = ("/accounts/" + link.split("/accounts/", 1)[1] for link in (first, second))
    assert admin_client_a.get(old_path, follow=True).context["validlink"] is False
    assert admin_client_a.get(new_path, follow=True).context["validlink"] is True
    with tenant_context(town_a):
        [entry] = AuditEntry.objects.filter(action="staff.invitation_resent")
        assert (entry.target, entry.actor_kind) == ("nora@tangerhuette.de", "staff")


def test_no_invitation_once_the_member_has_a_password(
    admin_client_a: Client, town_a: Municipality, admin_a: User
) -> None:
    page = admin_client_a.get(f"/staff/team/{admin_a.pk}/").content.decode()
    assert "Einladung erneut senden" not in page

    response = admin_client_a.post(f"/staff/team/{admin_a.pk}/invite/", follow=True)

    assert "hat bereits ein Passwort" in response.content.decode()
    assert deliver_waiting(town_a).sent == 0
    assert admin_client_a.get(f"/staff/team/{admin_a.pk}/invite/").status_code == 405


def test_an_admin_of_another_town_cannot_send_an_invitation_here(
    town_a: Municipality, town_b: Municipality, client_b: Client
) -> None:
    from tests.factories import PASSWORD
    from tests.platform.staff.conftest import make_staff

    with tenant_context(town_a):
        member = staff_add(
            town=town_a, email="nora@tangerhuette.de", roles=["town_admin"], actor=Actor.system()
        )
    admin_b = make_staff(town_b, "verwaltung@hohe-boerde.de", ["town_admin"])
    client_b.post("/accounts/login/", {"username": admin_b.email, "password": PASSWORD})

    client_b.post(f"/staff/team/{member.pk}/invite/")

    with tenant_context(town_a):
        assert OutboxMessage.objects.filter(kind=INVITATION).count() == 1


def test_an_old_invitation_task_still_in_the_broker_goes_through_the_outbox(
    town_a: Municipality,
) -> None:
    from rathaus.platform.staff.tasks import send_staff_invitation

    with tenant_context(town_a):
        lost = _staff_without_invitation(town_a, "verloren@tangerhuette.de")
        sent = _staff_without_invitation(town_a, "erhalten@tangerhuette.de")
        AuditEntry.objects.create(
            actor_kind="system", actor="invitation", action="staff.invited", target=sent.email
        )
        for user in (lost, sent, lost):
            send_staff_invitation.apply(args=(user.pk,))

    assert deliver_waiting(town_a).sent == 1
    assert [m.to for m in mail.outbox] == [["verloren@tangerhuette.de"]]


def test_the_admin_sees_the_messages_that_may_not_have_reached_people(
    admin_client_a: Client, town_a: Municipality, town_b: Municipality
) -> None:
    from rathaus.platform.messaging.services import message_enqueue

    for town, address in ((town_a, "erika@example.org"), (town_b, "max@example.org")):
        with tenant_context(town):
            message = message_enqueue(
                key="tests.unsure", kind=INVITATION, address=address, context={"user": 0}
            )
            OutboxMessage.objects.filter(pk=message.pk).update(
                state="unconfirmed", error="Übergabe unterbrochen"
            )

    page = admin_client_a.get("/staff/messages/").content.decode()

    assert "erika@example.org" in page
    assert "unbestätigt" in page
    assert "Einladung in die Online-Verwaltung" in page
    assert "Übergabe unterbrochen" in page
    assert "max@example.org" not in page  # another town's
