"""News of a town: topics, posts and subscribers.

Everything lives in the town's own schema; the e-mails (a post to each
subscriber, the double opt-in) are rows of the platform's outbox.
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
    # The post whose e-mail's link the subscriber left with (the staff's figures count it).
    unsubscribed_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The language of the page the subscription was confirmed or chosen on: posts come in it.
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnent")
        verbose_name_plural = _("Abonnenten")

    def __str__(self) -> str:
        return self.email

    @property
    def is_receiving(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
