"""Delivering "to a person": the mailbox where the person consented and the module is on,
else e-mail, else a letter is needed; the outbox's mailbox channel files what it carries."""

from django.core import mail
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Message
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.persons import person_message_enqueue
from rathaus.platform.messaging.registry import Attachment, MessageKind, Rendered, kinds
from rathaus.tenants.models import Municipality
from tests.platform.messaging.helpers import deliver_waiting

from .conftest import NOTICE_PDF, citizen

TO_MAILBOX, TO_EMAIL = "tests.decision.mailbox", "tests.decision.email"
CHOICES = {"mailbox": TO_MAILBOX, "email": TO_EMAIL}


def _content(message: OutboxMessage) -> tuple[str, str]:
    return f"Bescheid {message.context['case']}", "Ihr Antrag wurde bewilligt."


if TO_MAILBOX not in kinds:

    @kinds.register(TO_MAILBOX)
    class DecisionToMailbox(MessageKind):
        channel = "mailbox"
        label = "Test: Bescheid ins Postfach"

        def render(self, message: OutboxMessage) -> Rendered:
            subject, body = _content(message)
            return Rendered(
                subject=subject,
                body=body,
                headers={
                    "Mailbox-Kind": "notice",
                    "Mailbox-Sender": "Ordnungsamt",
                    "Mailbox-Reference": str(message.context["case"]),
                },
                attachments=(Attachment("bescheid.pdf", NOTICE_PDF, "application/pdf"),),
            )

    @kinds.register(TO_EMAIL)
    class DecisionByEmail(MessageKind):
        channel = "email"
        label = "Test: Bescheid per E-Mail"

        def render(self, message: OutboxMessage) -> Rendered:
            subject, body = _content(message)
            return Rendered(subject=subject, body=body)


def test_a_person_who_consented_gets_it_in_the_mailbox(mailbox_a: Municipality) -> None:
    person = citizen(mailbox_a)
    with tenant_context(mailbox_a):
        delivery = person_message_enqueue(
            key="tests.decision:1", recipient=person, kinds_by_channel=CHOICES, context={"case": 1}
        )
    assert delivery.channel == "mailbox"

    assert deliver_waiting(mailbox_a, kinds=[TO_MAILBOX]).sent == 1

    with tenant_context(mailbox_a):
        message = Message.objects.get(owner=person)
        assert message.subject == "Bescheid 1"
        assert message.kind == Message.Kind.NOTICE
        assert message.sender_office == "Ordnungsamt"
        assert [d.filename for d in message.documents.all()] == ["bescheid.pdf"]
        assert message.source_key == "tests.decision:1"
    # ... and the e-mail that says so, without the content.
    deliver_waiting(mailbox_a, kinds=["mailbox.notification"])
    assert len(mail.outbox) == 1
    assert "Bescheid 1" not in f"{mail.outbox[0].subject} {mail.outbox[0].body}"


def test_without_consent_it_goes_by_email_and_without_an_address_a_letter_is_needed(
    mailbox_a: Municipality,
) -> None:
    person = citizen(mailbox_a, consent=False)
    with tenant_context(mailbox_a):
        delivery = person_message_enqueue(
            key="tests.decision:2", recipient=person, kinds_by_channel=CHOICES, context={"case": 2}
        )
        assert delivery.channel == "email"
        again = person_message_enqueue(
            key="tests.decision:2", recipient=person, kinds_by_channel=CHOICES, context={"case": 2}
        )
        assert again.message is not None
        assert delivery.message is not None
        assert again.message.pk == delivery.message.pk
        person.email = "ohne-adresse@konto.invalid"
        letter = person_message_enqueue(
            key="tests.decision:3",
            recipient=person,
            kinds_by_channel={"mailbox": TO_MAILBOX},
            context={"case": 3},
        )
    assert letter.letter_needed


def test_where_the_mailbox_is_off_the_person_gets_an_email(town_a: Municipality) -> None:
    person = citizen(town_a)  # consented while the module was on somewhere: no matter
    with tenant_context(town_a):
        delivery = person_message_enqueue(
            key="tests.decision:4", recipient=person, kinds_by_channel=CHOICES, context={"case": 4}
        )
    assert delivery.channel == "email"
