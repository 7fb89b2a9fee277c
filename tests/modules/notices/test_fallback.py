"""A mailbox notice not retrieved in time goes to print once, over the notices module's
``letter`` channel: a cover page with the address in front of the notice's PDF."""

import datetime as dt
import io

import pikepdf
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Message
from rathaus.modules.mailbox.services import NewDocument, message_provide, messages_fall_back
from rathaus.modules.notices.letters import Letter, Letterhead, letter_render
from rathaus.modules.notices.models import PrintJob
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.platform.messaging.helpers import deliver_waiting
from tests.print_standin import PrintStandin

from .conftest import citizen


def test_an_unread_notice_falls_back_to_one_printed_letter(
    notices_a: Municipality, print_standin: PrintStandin
) -> None:
    print_standin.clear()
    erika = citizen(notices_a, email="erika.brief@example.org")
    with tenant_context(notices_a):
        erika.street, erika.postal_code, erika.city = "Markt 1", "39517", "Tangerhütte"
        erika.save()
        notice = letter_render(
            head=Letterhead(authority="Stadt Tangerhütte", sender_line="Stadt Tangerhütte"),
            letter=Letter(address=["Erika Mustermann"], subject="Bescheid", paragraphs=["Text"]),
        ).pdf
        message = message_provide(
            owner=erika,
            source_key="test:fallback-letter",
            kind=Message.Kind.NOTICE,
            subject="Bescheid mit Abruf",
            sender_office="Ordnungsamt",
            delivery_rule="retrieval",
            documents=[NewDocument(filename="bescheid.pdf", content=notice)],
        )
    deliver_waiting(notices_a, kinds=["mailbox.notification"])

    with tenant_context(notices_a):
        later = timezone.now() + dt.timedelta(days=11)
        assert messages_fall_back(town=notices_a, now=later) == [str(message.public_id)]
        assert messages_fall_back(town=notices_a, now=later) == []  # once
        letter = OutboxMessage.objects.get(kind="mailbox.fallback.letter")
        assert letter.channel == "letter"
        assert letter.address == "Erika Mustermann\nMarkt 1\n39517 Tangerhütte"
    deliver_waiting(notices_a, kinds=["mailbox.fallback.letter"])

    with tenant_context(notices_a):
        assert OutboxMessage.objects.get(pk=letter.pk).state == OutboxMessage.State.SENT
        job = PrintJob.objects.get(key=letter.key)
    (received,) = print_standin.letters.values()
    assert received.key == letter.key[:64]
    assert job.partner_id == received.id
    with pikepdf.open(io.BytesIO(received.pdf)) as pdf:
        assert len(pdf.pages) == 2  # the cover page with the address, then the notice
    assert print_standin.duplicates() == 0
