from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Message


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Suchen"), required=False, max_length=100)


class ConsentForm(forms.Form):
    consented = forms.TypedChoiceField(
        label=_("Elektronische Zustellung von Bescheiden"),
        choices=[
            ("yes", _("Ja, Bescheide dürfen mir in mein Postfach zugestellt werden.")),
            ("no", _("Nein, Bescheide sollen mir per Brief zugehen.")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class SmsChoiceForm(forms.Form):
    by_sms = forms.BooleanField(
        label=_("Zusätzlich per SMS benachrichtigen"),
        help_text=_("Die SMS sagt nur, dass etwas angekommen ist, nie was."),
        required=False,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); a list of uploads."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}))
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SendForm(forms.Form):
    """The staff's form to send one message with documents to one account."""

    recipient = forms.EmailField(
        label=_("E-Mail-Adresse des Bürgerkontos"),
        help_text=_("Die Nachricht geht in das Postfach des Kontos mit dieser Adresse."),
    )
    kind = forms.ChoiceField(
        label=_("Art"),
        widget=forms.RadioSelect,
        choices=Message.Kind.choices,
        initial=Message.Kind.NOTICE,
    )
    sender_office = forms.CharField(label=_("Absender (Amt)"), max_length=200)
    subject = forms.CharField(label=_("Betreff"), max_length=200)
    reference = forms.CharField(label=_("Aktenzeichen"), max_length=60, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea, required=False)
    documents = MultipleFileField(
        label=_("Dokumente (PDF)"), required=False, help_text=_("Eine oder mehrere PDF-Dateien.")
    )
    allows_reply = forms.BooleanField(label=_("Antworten erlauben"), required=False)


class SentFilterForm(forms.Form):
    q = forms.CharField(label=_("Betreff, Aktenzeichen oder E-Mail-Adresse"), required=False)
    state = forms.ChoiceField(
        label=_("Zustand"),
        required=False,
        choices=[
            ("", _("alle")),
            ("unread", _("noch nicht geöffnet")),
            ("opened", _("geöffnet")),
        ],
    )


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Ihre Antwort"), widget=forms.Textarea, max_length=10_000)
    documents = MultipleFileField(
        label=_("Anlagen (PDF)"), required=False, help_text=_("Eine oder mehrere PDF-Dateien.")
    )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Löschsperre"),
        help_text=_("Zum Beispiel: Klageverfahren, Aktenzeichen des Gerichts."),
        max_length=300,
    )
