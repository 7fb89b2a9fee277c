"""A person's messages are listed in "Meine Daten" (no bodies) and anonymised with the account."""

import json

from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import message_deliver, message_enqueue
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory

from .conftest import NOTE


def test_the_export_lists_the_persons_messages_and_deletion_anonymises_them(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        user = UserFactory.create(
            email="erika@example.org",
            phone="+4915112345678",
            email_verified_at=timezone.now(),
            phone_verified_at=timezone.now(),
        )
        sent = message_enqueue(
            key="tests.sent",
            kind=NOTE,
            address=user.email,
            recipient=user,
            context={"text": "geheim"},
        )
        message_deliver(message_id=sent.pk, claim="t")
        # To the address only (e.g. a guest booking made before the account existed).
        waiting = message_enqueue(key="tests.waiting", kind=NOTE, address="Erika@Example.org")
        other = message_enqueue(key="tests.other", kind=NOTE, address="max@example.org")
    client_a.post("/accounts/login/", {"username": "erika@example.org", "password": PASSWORD})

    data = json.loads(client_a.get("/accounts/export/").content)

    assert [(m["kind"], m["state"], m["description"]) for m in data["messages"]] == [
        (NOTE, "sent", "Testnachricht"),
        (NOTE, "pending", "Testnachricht"),
    ]
    assert data["messages"][0]["sent_at"]
    assert "geheim" not in json.dumps(data)  # no context, no bodies
    client_a.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    with tenant_context(town_a):
        rows = {row.key: row for row in OutboxMessage.objects.all()}
    assert (rows["tests.sent"].state, rows["tests.sent"].address, rows["tests.sent"].context) == (
        "sent",
        "",
        {},
    )
    assert rows["tests.sent"].recipient_id is None
    assert (rows["tests.waiting"].state, rows["tests.waiting"].address) == ("skipped", "")
    assert rows["tests.other"].address == "max@example.org"  # someone else's stays
    assert waiting.pk != other.pk
    assert len(mail.outbox) == 1


def test_erasure_leaves_no_address_in_any_kept_row(town_a: Municipality) -> None:
    """Not in the key (as a digest, as sender code made it), not in a mail server's error."""
    from rathaus.platform.identity.messages import EMAIL_CONFIRMATION
    from rathaus.platform.messaging.keys import address_digest
    from rathaus.platform.messaging.personal_data import messages_erase

    with tenant_context(town_a):
        user = UserFactory.create(email="erika@example.org", email_verified_at=timezone.now())
        digest = address_digest(user.email)
        confirmation = message_enqueue(
            key=f"{EMAIL_CONFIRMATION}:{user.pk}:{digest}",
            kind=EMAIL_CONFIRMATION,
            address=user.email,
            recipient=user,
            context={"user": user.pk},
        )
        refused = message_enqueue(key="tests.refused", kind=NOTE, address="ERIKA@example.org")
        OutboxMessage.objects.filter(pk=refused.pk).update(
            state="failed", error="550 5.1.1 <ERIKA@example.org>: Recipient address rejected"
        )
        # A forgetful kind's row keeps only its key: found by the digest in it.
        forgotten = message_enqueue(key=f"tests.opt-in:{digest}", kind=NOTE, address=user.email)
        OutboxMessage.objects.filter(pk=forgotten.pk).update(state="sent", address="")
        others = message_enqueue(
            key=f"tests.other:{address_digest('max@example.org')}",
            kind=NOTE,
            address="max@example.org",
        )

        messages_erase(user)
        rows = {row.pk: row for row in OutboxMessage.objects.all()}

    kept = json.dumps(
        [[r.key, r.address, r.error, r.context] for pk, r in rows.items() if pk != others.pk]
    ).lower()
    assert "erika" not in kept
    assert digest not in kept
    assert rows[confirmation.pk].key.startswith(f"{EMAIL_CONFIRMATION}:{user.pk}:")
    assert rows[refused.pk].error.startswith("550 5.1.1")  # why it failed stays
    assert rows[others.pk].key == f"tests.other:{address_digest('max@example.org')}"
    assert rows[others.pk].address == "max@example.org"
