"""The outbox's ``mailbox`` channel: what a service sends "to a person" lands in the mailbox.

A message kind written for this channel renders like an e-mail (``Rendered``:
subject, text, PDF attachments); its headers say how the mailbox files it:
``Mailbox-Kind`` (``notice`` for an official notice, default ``information``),
``Mailbox-Sender`` (the office, default the town's name), ``Mailbox-Reference``
(the case number) and ``Mailbox-Replies`` (``yes`` if the citizen may reply).
The address is the recipient account's id. The module framework registers the
channel (``Module.channels``), so it reaches only towns where the mailbox is on,
and ``address_for`` reaches only accounts whose owner consented to electronic
delivery.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext_lazy

from rathaus.platform.identity.models import User
from rathaus.platform.messaging.registry import Channel, Envelope, PermanentFailure
from rathaus.tenants.models import Municipality

from .errors import MailboxError
from .models import Message
from .selectors import consent_given
from .services import NewDocument, message_provide


class MailboxSession:
    def __init__(self, *, town: Municipality) -> None:
        self.town = town

    def send(self, envelope: Envelope) -> None:
        row, content = envelope.message, envelope.content
        headers = {name.lower(): value for name, value in content.headers.items()}
        owner = User.objects.filter(pk=int(row.address)).first() if row.address.isdigit() else None
        try:
            message_provide(
                owner=owner,
                source_key=row.key,
                kind=headers.get("mailbox-kind", Message.Kind.INFORMATION),
                subject=content.subject,
                body=content.body,
                sender_office=headers.get("mailbox-sender", self.town.name),
                reference=headers.get("mailbox-reference", ""),
                allows_reply=headers.get("mailbox-replies", "") == "yes",
                documents=[
                    NewDocument(
                        filename=item.filename, content=item.content, content_type=item.mimetype
                    )
                    for item in content.attachments
                ],
            )
        except MailboxError as exc:
            raise PermanentFailure(str(exc)) from exc


class MailboxChannel(Channel):
    key = "mailbox"
    label = gettext_lazy("Postfach")

    def address_normalise(self, address: str) -> str:
        address = address.strip()
        if not address.isdigit():
            raise ValueError(f"a mailbox address is an account id, not {address!r}")
        return address

    def address_for(self, *, town: Municipality, recipient: User) -> str | None:
        if not recipient.pk or not recipient.is_active or recipient.is_staff:
            return None
        return str(recipient.pk) if consent_given(account=recipient) else None

    @contextmanager
    def session(self, *, town: Municipality) -> Iterator[MailboxSession]:
        yield MailboxSession(town=town)
