"""News of a town: topics, posts, subscribers and one delivery row per (post, subscriber).

Everything lives in the town's own schema.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """What a town writes about, e.g. "Straßenbau" or "Abfallentsorgung"."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    description = models.CharField(_("Beschreibung"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A message to the subscribers of its topics, published now or at a set time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SCHEDULED = "scheduled", _("geplant")
        PUBLISHED = "published", _("veröffentlicht")

    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text"))
    # Stored through the default storage, which puts it under the town's own prefix.
    attachment = models.FileField(_("Anhang"), upload_to="news/%Y/%m/", blank=True)
    topics = models.ManyToManyField(Topic, related_name="posts", verbose_name=_("Themen"))
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(_("Veröffentlichen am"), null=True, blank=True)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        indexes = [models.Index(fields=["status", "publish_at"], name="news_post_due")]

    def __str__(self) -> str:
        return self.title


class Subscriber(models.Model):
    """Someone who receives posts by e-mail: a citizen's account or only an address.

    An address-only subscriber exists only after the double opt-in was confirmed.
    """

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="news_subscriber",
    )
    topics = models.ManyToManyField(Topic, related_name="subscribers", blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnent")
        verbose_name_plural = _("Abonnenten")

    def __str__(self) -> str:
        return self.email

    @property
    def is_receiving(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class Delivery(models.Model):
    """One post to one subscriber. The unique pair makes a second send impossible.

    pending -> claimed (a batch task took it) -> sending (handed to SMTP now)
    -> sent | bounced (SMTP refused the recipient) | failed, or skipped when
    the subscriber left before their turn.
    A row left in ``sending`` by a crash may or may not have gone out; it is
    never sent again but marked ``unconfirmed``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        CLAIMED = "claimed", _("in Arbeit")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("gesendet")
        BOUNCED = "bounced", _("abgewiesen")
        FAILED = "failed", _("fehlgeschlagen")
        UNCONFIRMED = "unconfirmed", _("unbestätigt")
        SKIPPED = "skipped", _("übersprungen")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The id of the batch task that claimed the row: a redelivery of that same
    # task (after its worker died) may take the row again, nobody else may.
    claimed_by = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=500, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [
            models.UniqueConstraint(fields=["post", "subscriber"], name="news_one_delivery")
        ]
        indexes = [models.Index(fields=["post", "status"], name="news_delivery_state")]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.email}: {self.status}"


class OptInMail(models.Model):
    """A double opt-in e-mail waiting for the worker: the address and the topics asked for.

    The row lives only until its e-mail has gone out (then it is deleted), so no
    address is kept before its owner confirms. ``claimed_at`` is set, in a
    transaction of its own, before the e-mail is handed to SMTP: a task that
    runs again (a retry, a redelivery) finds it claimed or gone and sends nothing.
    """

    email = models.EmailField()
    topic_ids = models.JSONField(default=list)
    # The visitor's language when asking: the e-mail is written in it.
    language = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Bestätigungs-E-Mail")
        verbose_name_plural = _("Bestätigungs-E-Mails")

    def __str__(self) -> str:
        return f"{self.pk} → {self.email}"
