"""Online applications of a town: forms as versioned data, and the cases made with them.

A ``Form`` is a service people apply for ("Hund anmelden"); each upload of its
definition is a ``FormVersion``. Publishing freezes a version: its definition never
changes again, and every ``Submission`` keeps the version it was made with, so a
new version never breaks an application in flight or an old one.
Everything lives in the town's own schema.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Form(models.Model):
    """A service people apply for online; ``live_version`` is what citizens fill in now."""

    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    live_version = models.ForeignKey(
        "FormVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Formular")
        verbose_name_plural = _("Formulare")

    def __str__(self) -> str:
        return self.title


class FormVersion(models.Model):
    """One definition of a form (JSON, see ``schema/form-definition.schema.json``).

    A draft (``published_at`` empty) may be replaced; a published version is frozen.
    """

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Version"))
    definition = models.JSONField(_("Definition"))
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "-number"]
        verbose_name = _("Formularversion")
        verbose_name_plural = _("Formularversionen")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="applications_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.form.slug} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CaseCounter(models.Model):
    """The last case number given out in a year (case numbers count per town and year)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Submission(models.Model):
    """An application a citizen sent: the answers, with the version they were given to."""

    class Status(models.TextChoices):
        # Sent, with a fee to pay online first; paid, it is received by itself.
        AWAITING_PAYMENT = "awaiting_payment", _("wartet auf Zahlung")
        RECEIVED = "received", _("eingegangen")
        IN_PROGRESS = "in_progress", _("in Bearbeitung")
        # Staff asked the citizen something; their answer moves it back to "in Bearbeitung".
        QUERY = "query", _("Rückfrage")
        DONE = "done", _("abgeschlossen")
        REJECTED = "rejected", _("abgelehnt")

    reference = models.CharField(_("Aktenzeichen"), max_length=20, unique=True)
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    answers = models.JSONField(_("Antworten"), default=dict)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application_submissions",
    )
    # Where the receipt went (an answer of the form, or the account's address).
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    language = models.CharField(max_length=8, blank=True)
    submitted_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Who applied, as the inbox searches and lists it (the form's ``applicant_name`` field).
    applicant_name = models.CharField(_("Antragsteller"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application_cases",
        verbose_name=_("zuständig"),
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        indexes = [
            models.Index(fields=["form", "status", "-submitted_at"], name="applications_inbox"),
            models.Index(fields=["-submitted_at", "-id"], name="applications_newest"),
            # The inbox's search (``icontains``: UPPER(...) LIKE) has trigram indexes on
            # the same expressions, made in SQL by migration 0005 (pg_trgm, in public).
        ]

    def __str__(self) -> str:
        return self.reference


class Draft(models.Model):
    """An application saved to finish later: by its link (signed, expiring) or in the account.

    It keeps the version it was begun with, like the session's draft does.
    """

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="drafts")
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="drafts")
    answers = models.JSONField(default=dict)
    done = models.JSONField(default=list)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="application_drafts",
    )
    saved_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = _("Entwurf")
        verbose_name_plural = _("Entwürfe")

    def __str__(self) -> str:
        return f"{self.form.slug} draft {self.pk}"


class CaseEvent(models.Model):
    """What happened on a case besides its status: a question to the citizen (Rückfrage),
    their answer, an internal note of staff, the decision sent.

    ``files`` lists stored private files in the shape ``services.uploads_store`` gives
    (name, file, size, sha256, type). Notes are internal; everything else the citizen sees.
    """

    class Kind(models.TextChoices):
        QUERY = "query", _("Rückfrage")
        ANSWER = "answer", _("Antwort")
        NOTE = "note", _("interne Notiz")
        DECISION = "decision", _("Bescheid")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(_("Text"), blank=True)
    files = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application_case_events",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Vorgang zum Antrag")
        verbose_name_plural = _("Vorgänge zu Anträgen")

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind}"

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.NOTE
