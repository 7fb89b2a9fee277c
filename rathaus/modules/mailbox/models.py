"""The citizen mailbox (Postfach) of a town: messages provided to an account, with proof.

A ``Message`` is provided once and never changes afterwards: what the town said,
to whom, when, and the hash of every ``Document`` stored with it. Only the
evidence of what happened since (notified, first opened) is added to it, never
its content (``Message.save`` refuses). ``DeliveryConsent`` keeps every decision
of an account on electronic delivery of official notices, with its time; the
newest counts. Everything lives in the town's own schema.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableMessageError(Exception):
    """A provided message (or its document) was about to change; it never does."""


class DeliveryConsent(models.Model):
    """One decision of an account whether official notices may reach it electronically."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    consented = models.BooleanField(_("Zustimmung"))
    recorded_at = models.DateTimeField(_("erklärt am"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("Zustimmung zur elektronischen Zustellung")
        verbose_name_plural = _("Zustimmungen zur elektronischen Zustellung")
        indexes = [models.Index(fields=["account", "-recorded_at"], name="mailbox_consent_latest")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.consented} @ {self.recorded_at:%Y-%m-%d %H:%M}"


# What a provided message keeps for good; only the evidence fields may be written later.
EVIDENCE_FIELDS = frozenset({"first_opened_at", "notification_key", "fell_back_at"})


class Message(models.Model):
    """What the town provided in an account's mailbox (see the module docstring)."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Bescheid")
        INFORMATION = "information", _("Mitteilung")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mailbox_messages",
        verbose_name=_("Empfänger"),
    )
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"), blank=True)
    sender_office = models.CharField(_("Absender"), max_length=200)
    reference = models.CharField(_("Aktenzeichen"), max_length=60, blank=True)
    allows_reply = models.BooleanField(_("Antwort möglich"), default=False)
    # The rule its delivery is judged by (``proof``): a notice's, or none for information.
    delivery_rule = models.CharField(
        _("Zustellregel"),
        max_length=16,
        blank=True,
        choices=[
            ("provision", _("Bekanntgabe am vierten Tag nach Bereitstellung")),
            ("retrieval", _("Bekanntgabe am Tag nach dem Abruf")),
        ],
    )
    # The staff member who sent it (none for a message a service delivered).
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The sender's idempotency key (an outbox key, or the staff form's): provided once.
    source_key = models.CharField(max_length=200, unique=True)
    provided_at = models.DateTimeField(_("bereitgestellt am"), default=timezone.now)
    # The outbox key of the notification e-mail; its row says when it went out.
    notification_key = models.CharField(max_length=200, blank=True)
    first_opened_at = models.DateTimeField(_("zuerst geöffnet am"), null=True, blank=True)
    # When the nightly job found it not retrieved in time (retrieval rule): not delivered,
    # to be sent by letter.
    fell_back_at = models.DateTimeField(_("nicht abgerufen seit"), null=True, blank=True)

    class Meta:
        ordering = ["-provided_at", "-pk"]
        verbose_name = _("Postfachnachricht")
        verbose_name_plural = _("Postfachnachrichten")
        indexes = [models.Index(fields=["owner", "-provided_at"], name="mailbox_owner_newest")]

    def __str__(self) -> str:
        return f"{self.public_id}: {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        evidence_only = update_fields is not None and set(update_fields) <= EVIDENCE_FIELDS
        if self.pk is not None and not self._state.adding and not evidence_only:
            raise ImmutableMessageError(
                f"mailbox message {self.public_id} was provided and never changes"
            )
        super().save(*args, **kwargs)

    @property
    def is_unread(self) -> bool:
        return self.first_opened_at is None


class Reply(models.Model):
    """What the owner (or a member acting for it) answered to a message that allows replies."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("Text"))
    sent_at = models.DateTimeField(_("gesendet am"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")

    def __str__(self) -> str:
        return f"reply to {self.message_id} @ {self.sent_at:%Y-%m-%d %H:%M}"


class Document(models.Model):
    """A file of a message (or of a reply), stored privately under its SHA-256."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="documents")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    filename = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("Größe"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")

    def __str__(self) -> str:
        return self.filename

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableMessageError(f"document {self.pk} of a provided message never changes")
        super().save(*args, **kwargs)


class LegalHold(models.Model):
    """A legal hold on a message: while it stands, retention never deletes the message.

    Kept beside the message, which never changes once provided.
    """

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="legal_hold")
    reason = models.CharField(_("Grund"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("gesetzt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Löschsperre")
        verbose_name_plural = _("Löschsperren")

    def __str__(self) -> str:
        return f"hold on {self.message_id}: {self.reason}"


class NotificationChoice(models.Model):
    """How the account wants to hear that something arrived: always by e-mail, and by SMS
    where it chose so (to its confirmed mobile number)."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    by_sms = models.BooleanField(_("auch per SMS"), default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Benachrichtigungswunsch")
        verbose_name_plural = _("Benachrichtigungswünsche")

    def __str__(self) -> str:
        return f"{self.account_id}: sms={self.by_sms}"
