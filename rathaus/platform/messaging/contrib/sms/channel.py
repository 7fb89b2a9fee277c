"""The SMS channel: one message at a time to the configured provider backend."""

from collections.abc import Iterator
from contextlib import contextmanager

import phonenumbers
from django.conf import settings

from rathaus.platform.messaging.registry import (
    Channel,
    ChannelSession,
    Envelope,
    PermanentFailure,
    TemporaryFailure,
    UncertainDelivery,
    channels,
)
from rathaus.platform.messaging.sender import town_sms_sender
from rathaus.tenants.models import Municipality

from .backends import (
    SmsBackend,
    SmsError,
    SmsMessage,
    SmsRefused,
    SmsUncertain,
    get_sms_backend,
)


class _SmsSession:
    def __init__(self, *, backend: SmsBackend, sender: str) -> None:
        self.backend = backend
        self.sender = sender

    def send(self, envelope: Envelope) -> None:
        message = SmsMessage(
            to=envelope.message.address, body=envelope.content.body, sender=self.sender
        )
        try:
            self.backend.send(message)
        except SmsRefused as exc:
            raise PermanentFailure(str(exc)) from exc
        except SmsUncertain as exc:
            raise UncertainDelivery(f"SMS-Anbieter hat nicht geantwortet: {exc}") from exc
        except SmsError as exc:
            raise TemporaryFailure(f"SMS-Anbieter nicht erreichbar: {exc}") from exc


@channels.register("sms")
class SmsChannel(Channel):
    label = "SMS"

    @property
    def batch_size(self) -> int:
        # Providers take one message per request; a batch still shares the claim and marks.
        return 50

    def address_normalise(self, address: str) -> str:
        """A mobile number in E.164 (``+4915112345678``); national numbers count as German."""
        try:
            number = phonenumbers.parse(address, settings.PHONENUMBER_DEFAULT_REGION)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(f"not a phone number: {exc}") from exc
        if not phonenumbers.is_valid_number(number):
            raise ValueError("not a valid phone number")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @contextmanager
    def session(self, *, town: Municipality) -> Iterator[ChannelSession]:
        yield _SmsSession(backend=get_sms_backend(), sender=town_sms_sender(town=town))
