"""The e-mail channel: the town as sender, a stable Message-ID per row, one connection per batch."""

import logging
import smtplib
from types import TracebackType
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email

from rathaus.platform.identity.models import User, is_reserved_email
from rathaus.platform.messaging.registry import (
    Channel,
    Envelope,
    PermanentFailure,
    TemporaryFailure,
    UncertainDelivery,
    channels,
)
from rathaus.platform.messaging.sender import town_host_name, town_sender
from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)

# Headers the outbox sets itself: a kind's headers never replace them.
OWN_HEADERS = frozenset({"from", "to", "message-id", "content-language"})


def message_id(*, message_pk: int, schema: str, host: str) -> str:
    """Stable per row: should a message ever go out twice, mail clients show it once."""
    return f"<outbox.{message_pk}.{schema}@{host}>"


def _detail(text: object) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else str(text)


class EmailSession:
    """One connection to the mail server for a batch, opened on entering."""

    def __init__(self, *, town: Municipality) -> None:
        self.from_email = town_sender(town=town)
        self.host = town_host_name(town=town)
        self.schema = current_schema_name()
        self.connection = get_connection(fail_silently=False)

    def __enter__(self) -> "EmailSession":
        try:
            self.connection.open()
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"Mailserver nicht erreichbar: {exc}") from exc
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.connection.close()
        except Exception:  # closing a broken connection must not hide what happened
            logger.warning("Closing the SMTP connection failed", exc_info=True)

    def build(self, envelope: Envelope) -> EmailMultiAlternatives:
        row, content = envelope.message, envelope.content
        headers = {
            name: value
            for name, value in content.headers.items()
            if name.lower() not in OWN_HEADERS
        }
        headers["Message-ID"] = message_id(message_pk=row.pk, schema=self.schema, host=self.host)
        if row.language:
            headers["Content-Language"] = row.language
        message = EmailMultiAlternatives(
            subject=content.subject,
            body=content.body,
            from_email=self.from_email,
            to=[row.address],
            headers=headers,
        )
        if content.html:
            message.attach_alternative(content.html, "text/html")
        for attachment in content.attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        return message

    def _watch_data(self) -> list[bool]:
        """Notes when the message itself starts going over (SMTP ``DATA``): from then on, a
        broken connection may have delivered it. Only for smtplib connections; for other
        backends every unexplained error counts as uncertain."""
        started: list[bool] = []
        smtp = getattr(self.connection, "connection", None)
        if isinstance(smtp, smtplib.SMTP):
            data = type(smtp).data.__get__(smtp)

            def watched(msg: Any) -> Any:
                started.append(True)
                return data(msg)

            smtp.data = watched  # type: ignore[method-assign]
        else:
            started.append(True)
        return started

    def send(self, envelope: Envelope) -> None:
        message = self.build(envelope)
        started = self._watch_data()
        try:
            accepted = self.connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (0, b""))
            raise PermanentFailure(f"{code} {_detail(text)}") from exc
        except smtplib.SMTPSenderRefused as exc:
            # Our own sender address is refused: a configuration fault, not the recipient's.
            raise TemporaryFailure(f"{exc.smtp_code} {_detail(exc.smtp_error)}") from exc
        except smtplib.SMTPResponseException as exc:
            # The server answered: it did not take the message.
            failure = PermanentFailure if 500 <= exc.smtp_code < 600 else TemporaryFailure
            raise failure(f"{exc.smtp_code} {_detail(exc.smtp_error)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            if started:
                # No answer after the message went over: the server may have it.
                raise UncertainDelivery(f"Verbindung während der Übergabe verloren: {exc}") from exc
            raise TemporaryFailure(f"Mailserver nicht erreichbar: {exc}") from exc
        if not accepted:
            raise PermanentFailure("vom E-Mail-Dienst nicht angenommen")


@channels.register("email")
class EmailChannel(Channel):
    label = "E-Mail"

    @property
    def batch_size(self) -> int:
        return int(getattr(settings, "MESSAGING_EMAIL_BATCH_SIZE", 200))

    def address_normalise(self, address: str) -> str:
        address = address.strip()
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValueError(f"not an e-mail address: {address!r}") from exc
        return address

    def address_for(self, *, town: Municipality, recipient: User) -> str | None:
        """The account's address, unless it is inactive or has a reserved (placeholder) one."""
        email = (recipient.email or "").strip()
        if not recipient.is_active or not email or is_reserved_email(email):
            return None
        return email

    def session(self, *, town: Municipality) -> EmailSession:
        return EmailSession(town=town)
