"""The forms of working a case: a Rückfrage and its answer, a note, assignment, the
decision, and the inbox's filters."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.identity.models import User

from . import selectors
from .forms import UploadsField
from .models import Form, Submission

# A Rückfrage's answer takes the documents a form's upload field takes by default.
ANSWER_ACCEPT = ["pdf", "jpg", "png"]
ANSWER_MAX_MB = 10
ANSWER_MAX_FILES = 5
TEXT_MAX = 4000


class QueryForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Ihre Frage an die Antragstellerin oder den Antragsteller"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Schreiben Sie Ihre Frage auf.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "query-%s")  # unique ids beside the other forms
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Ihre Antwort"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Schreiben Sie Ihre Antwort auf.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "answer-%s")  # unique ids beside the other forms
        super().__init__(*args, **kwargs)
        label = _("Unterlagen")
        self.fields["files"] = UploadsField(
            label=label,
            accept=ANSWER_ACCEPT,
            max_mb=ANSWER_MAX_MB,
            max_files=ANSWER_MAX_FILES,
            required=False,
            help_text=_("PDF, JPG oder PNG, höchstens %(n)s Dateien mit je %(mb)s MB.")
            % {"n": ANSWER_MAX_FILES, "mb": ANSWER_MAX_MB},
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Interne Notiz"),
        help_text=gettext_lazy("Nur für die Verwaltung sichtbar."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Schreiben Sie die Notiz auf.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note-%s")  # unique ids beside the other forms
        super().__init__(*args, **kwargs)


class AssignForm(forms.Form):
    def __init__(self, *args: Any, clerks: list[User], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign-%s")  # unique ids beside the other forms
        super().__init__(*args, **kwargs)
        self.clerks = {str(user.pk): user for user in clerks}
        self.fields["assignee"] = forms.ChoiceField(
            label=_("Zuständig"),
            choices=[("", _("niemand"))]
            + [(pk, user.get_full_name() or user.email) for pk, user in self.clerks.items()],
            required=False,
        )

    def chosen(self) -> User | None:
        return self.clerks.get(self.cleaned_data.get("assignee") or "")


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Entscheidung"),
        choices=[
            (Submission.Status.DONE, gettext_lazy("abschließen (bewilligt)")),
            (Submission.Status.REJECTED, gettext_lazy("ablehnen")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Wählen Sie die Entscheidung aus.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Text des Bescheids"),
        help_text=gettext_lazy(
            "Aus dem Text wird ein PDF-Bescheid, wenn Sie keinen eigenen hochladen."
        ),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "decision-%s")  # unique ids beside the other forms
        super().__init__(*args, **kwargs)
        self.fields["document"] = UploadsField(
            label=_("Oder: Bescheid als PDF hochladen"),
            accept=["pdf"],
            max_mb=ANSWER_MAX_MB,
            max_files=1,
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("text") or "").strip() and not cleaned.get("document"):
            self.add_error(
                "text", _("Schreiben Sie den Text des Bescheids oder laden Sie ein PDF hoch.")
            )
        return cleaned


class InboxFilterForm(forms.Form):
    """The inbox's filters; ``q`` searches the case number and the applicant's name."""

    MINE, NOBODY = "mine", "none"

    form = forms.ModelChoiceField(
        label=gettext_lazy("Formular"),
        queryset=Form.objects.all(),
        required=False,
        empty_label=gettext_lazy("alle Formulare"),
        to_field_name="slug",
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("alle")), *Submission.Status.choices],
        required=False,
    )
    assignee = forms.ChoiceField(label=gettext_lazy("Zuständig"), required=False)
    since = forms.DateField(
        label=gettext_lazy("Eingegangen ab"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Geben Sie ein Datum ein, z. B. 01.03.2026.")},
    )
    until = forms.DateField(
        label=gettext_lazy("Eingegangen bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Geben Sie ein Datum ein, z. B. 31.03.2026.")},
    )
    q = forms.CharField(
        label=gettext_lazy("Suche"),
        help_text=gettext_lazy("Aktenzeichen oder Name, z. B. A-2026-000123"),
        required=False,
        max_length=100,
    )

    def __init__(self, *args: Any, clerks: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clerks = {str(user.pk): user for user in clerks}
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("alle")),
            (self.MINE, _("mir zugewiesen")),
            (self.NOBODY, _("niemandem zugewiesen")),
        ] + [(pk, user.get_full_name() or user.email) for pk, user in self.clerks.items()]

    def cases(self, *, user: User) -> QuerySet[Submission]:
        """The inbox with the chosen filters (all cases while the filters are not valid);
        "mir zugewiesen" is ``user``'s."""
        chosen: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        wanted = chosen.get("assignee") or ""
        assignee: User | str | None = None
        if wanted == self.MINE:
            assignee = user
        elif wanted == self.NOBODY:
            assignee = selectors.NOBODY
        elif wanted:
            assignee = self.clerks.get(wanted)
        return selectors.inbox(
            form=chosen.get("form"),
            status=chosen.get("status", ""),
            reference=chosen.get("q", ""),
            assignee=assignee,
            since=chosen.get("since"),
            until=chosen.get("until"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("„Eingegangen bis“ liegt vor „Eingegangen ab“."))
        return cleaned
