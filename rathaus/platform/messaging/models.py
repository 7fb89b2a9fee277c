"""The outbox: one row per message to one recipient over one channel, in the town's schema."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A message to send once; ``key`` makes it unique (see ``rathaus.platform.messaging``).

    pending (waiting; a run that took it sets ``claimed_by``) -> sending (handed to
    the channel right now) -> sent | failed (refused, or given up after the last
    attempt); skipped when what it would say no longer holds; unconfirmed when a
    crash struck while it was being handed over: it may have gone out, so it is
    never sent again.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        SKIPPED = "skipped", _("übersprungen")
        FAILED = "failed", _("fehlgeschlagen")
        UNCONFIRMED = "unconfirmed", _("unbestätigt")

    # States nothing changes any more.
    DONE = (State.SENT, State.SKIPPED, State.FAILED, State.UNCONFIRMED)

    # Chosen by the sender, e.g. "appointments.booking:<uuid>:reminder:<start>";
    # never an address or a secret in it (hash those).
    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=64)
    kind = models.CharField(max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # An e-mail address or a phone number (E.164).
    address = models.CharField(max_length=254, blank=True)
    # Ids and plain values the kind renders from; never a secret.
    context = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, blank=True)
    # A bulk run the row belongs to, e.g. "news.post:17".
    group = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it is due (again): the enqueue, or the end of a back-off.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Which run took it (``<task id>:<random>``, one per delivery attempt) and when it
    # last renewed that claim; only that run marks or hands it over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        indexes = [
            # Beat asks for the few waiting rows that are overdue among many done ones.
            models.Index(
                fields=["next_attempt_at"], name="outbox_due", condition=Q(state="pending")
            ),
            # ... and for rows a dead worker left in the channel's hands.
            models.Index(
                fields=["claimed_at"], name="outbox_in_flight", condition=Q(state="sending")
            ),
            # A bulk run's rows by state: the sender's batches and the staff's figures.
            models.Index(fields=["group", "state"], name="outbox_group_state"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.state}"
