"""The outbox's ``letter`` channel: a message written for it is printed and posted.

A kind for this channel renders the letter as a PDF attachment (the first one is
printed); the address is the postal address, one line each. A kind whose
documents carry no address of their own (a mailbox notice that fell back to a
letter) sets the header ``Letter-Cover: yes``: a DIN 5008 cover page with the
address, the subject and the body goes in front of all its PDFs. ``send`` hands it to
the configured print partner (``printing.registry``) under the outbox key as the
idempotency key and records a ``PrintJob`` (partner, id, status, later the posting
date). The module framework registers it (``Module.channels``), so it reaches
only towns where the notices module is on.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError
from django.utils.translation import gettext_lazy

from rathaus.platform.identity.models import User
from rathaus.platform.messaging.registry import (
    Channel,
    Envelope,
    PermanentFailure,
    TemporaryFailure,
    UncertainDelivery,
)
from rathaus.tenants.models import Municipality

from .letters import pdf_problems, pdfs_join
from .models import PrintJob
from .printing.registry import (
    PartnerRefused,
    PartnerUnavailable,
    PrintOptions,
    PrintPartner,
    print_partner,
)
from .render import cover_letter


class LetterSession:
    def __init__(self, partner: PrintPartner) -> None:
        self.partner = partner

    def send(self, envelope: Envelope) -> None:
        row, content = envelope.message, envelope.content
        if PrintJob.objects.filter(key=row.key).exists():
            return  # handed over before (a crash after the partner took it)
        pdfs = [item.content for item in content.attachments if item.mimetype == "application/pdf"]
        headers = {name.lower(): value for name, value in content.headers.items()}
        if headers.get("letter-cover") == "yes":
            # Documents without an address of their own: a cover page in front, then them all.
            cover = cover_letter(
                address=row.address.splitlines(), subject=content.subject, body=content.body
            )
            pdfs = [pdfs_join([cover, *pdfs])]
        elif pdfs:
            problems = pdf_problems(pdfs[0])
            if problems:
                raise PermanentFailure(" ".join(problems))
        if not pdfs:
            raise PermanentFailure("a letter needs a PDF attachment")
        try:
            partner_id = self.partner.upload(
                pdf=pdfs[0],
                filename="brief.pdf",
                idempotency_key=row.key,
                options=PrintOptions(),
            )
        except PartnerUnavailable as exc:
            raise TemporaryFailure(str(exc)) from exc
        except PartnerRefused as exc:
            raise PermanentFailure(str(exc)) from exc
        try:
            PrintJob.objects.create(key=row.key, partner=self.partner.key, partner_id=partner_id)
        except IntegrityError as exc:  # pragma: no cover - the outbox hands a key over once
            raise UncertainDelivery(str(exc)) from exc


class LetterChannel(Channel):
    key = "letter"
    label = gettext_lazy("Brief")

    @property
    def batch_size(self) -> int:
        return 50

    def address_normalise(self, address: str) -> str:
        lines = [line.strip() for line in address.splitlines() if line.strip()]
        if len(lines) < 2:
            raise ValueError("a letter needs a postal address of at least two lines")
        return "\n".join(lines)

    def address_for(self, *, town: Municipality, recipient: User) -> str | None:
        if not (recipient.street and recipient.postal_code and recipient.city):
            return None
        name = recipient.get_full_name() or recipient.organisation_name
        return "\n".join([name, recipient.street, f"{recipient.postal_code} {recipient.city}"])

    @contextmanager
    def session(self, *, town: Municipality) -> Iterator[LetterSession]:
        yield LetterSession(print_partner())
