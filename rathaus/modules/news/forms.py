from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Topic

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class TopicChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Themen"))
        super().__init__(queryset=Topic.objects.order_by("name"), **kwargs)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    topics = TopicChoiceField(error_messages={"required": _("Bitte mindestens ein Thema wählen.")})


class MyTopicsForm(forms.Form):
    topics = TopicChoiceField(required=False, label=_("Meine Themen"))


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Beschreibung"), max_length=300, required=False)


class PostForm(forms.Form):
    NOW, LATER, DRAFT = "now", "later", "draft"

    title = forms.CharField(label=_("Titel"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("Anhang (optional, höchstens 10 MB)"), required=False)
    topics = TopicChoiceField(error_messages={"required": _("Bitte mindestens ein Thema wählen.")})
    when = forms.ChoiceField(
        label=_("Veröffentlichen"),
        choices=[
            (NOW, _("jetzt")),
            (LATER, _("zu einem festen Zeitpunkt")),
            (DRAFT, _("noch nicht (Entwurf)")),
        ],
        widget=forms.RadioSelect,
        initial=NOW,
    )
    publish_at = forms.DateTimeField(
        label=_("Zeitpunkt"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Der Anhang ist größer als 10 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == self.LATER:
            at: datetime | None = data.get("publish_at")
            if at is None:
                self.add_error("publish_at", _("Bitte den Zeitpunkt angeben."))
            elif at <= timezone.now():
                self.add_error("publish_at", _("Der Zeitpunkt muss in der Zukunft liegen."))
        return data
