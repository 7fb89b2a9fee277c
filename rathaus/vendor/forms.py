"""The vendor console's forms: finding towns, and onboarding one with its identity."""

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import modules as module_registry
from rathaus.platform.branding.models import DEFAULT_PRIMARY_COLOR
from rathaus.platform.branding.validators import IMAGE_FORMATS, readable_primary_color, small_image
from rathaus.tenants.models import FederalState, Municipality
from rathaus.vendor.selectors import TownFilters


class ConsoleLoginForm(AuthenticationForm):
    """E-mail and password of a vendor staff account, with messages that say what went wrong."""

    error_messages = {
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie beide Angaben."
        ),
        "inactive": _("Dieses Konto ist gesperrt."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-Mail-Adresse")
        self.fields["username"].error_messages["required"] = _(
            "Bitte geben Sie Ihre E-Mail-Adresse ein."
        )
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "type": "email"})
        self.fields["password"].error_messages["required"] = _("Bitte geben Sie Ihr Passwort ein.")
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            # The same answer as a wrong password: the console does not say who has an account.
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class TownFilterForm(forms.Form):
    """The search and filters above the console's town list (sent by GET)."""

    q = forms.CharField(
        label=_("Suche"),
        required=False,
        max_length=200,
        help_text=_("Name, Kurzname, Gemeindeschlüssel oder Host-Name"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle")), *Municipality.Status.choices],
    )
    state = forms.ChoiceField(
        label=_("Bundesland"),
        required=False,
        choices=[("", _("Alle")), *FederalState.choices],
    )
    module = forms.ChoiceField(label=_("Aktiver Dienst"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["module"])
        field.choices = [("", _("Alle")), *((m.key, m.title) for m in module_registry)]

    def filters(self) -> TownFilters:
        """What the form asks for; a value that is no choice counts as no filter."""
        data = self.cleaned_data if self.is_valid() else {}
        return TownFilters(
            query=data.get("q", ""),
            status=data.get("status", ""),
            state=data.get("state", ""),
            module=data.get("module", ""),
        )


class OnboardForm(forms.Form):
    """A new town: its name and keys, its first administrator, services and public identity."""

    name = forms.CharField(
        label=_("Name der Kommune"),
        max_length=200,
        help_text=_("Der amtliche Name, z. B. Tangerhütte"),
        error_messages={"required": _("Bitte den Namen der Kommune angeben.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    ags = forms.CharField(
        label=_("Amtlicher Gemeindeschlüssel"),
        max_length=8,
        help_text=_("8 Ziffern, z. B. 15090520"),
        error_messages={
            "required": _("Bitte den Amtlichen Gemeindeschlüssel angeben."),
            "max_length": _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    slug = forms.CharField(
        label=_("Kurzname"),
        max_length=63,
        help_text=_(
            "Teil der Adresse: kurzname.rathaus.de; Kleinbuchstaben, Ziffern, Bindestriche"
        ),
        error_messages={"required": _("Bitte einen Kurznamen für die Adresse angeben.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    admin_email = forms.EmailField(
        label=_("E-Mail der ersten Verwaltungskraft"),
        help_text=_("Diese Person erhält eine Einladung und legt ihr Passwort selbst fest."),
        error_messages={
            "required": _("Bitte die E-Mail-Adresse der ersten Verwaltungskraft angeben."),
            "invalid": _("Bitte eine E-Mail-Adresse im Format name@beispiel.de angeben."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    modules = forms.MultipleChoiceField(
        label=_("Dienste"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        help_text=_("Die Kommune kann freigegebene Dienste selbst ein- und ausschalten."),
    )
    # The town's public identity: what a German authority's portal must show.
    authority_name = forms.CharField(
        label=_("Name der Behörde"),
        max_length=200,
        help_text=_(
            "So, wie er in Kopfzeile und Impressum steht: „Stadt Tangerhütte“, "
            "„Gemeinde Hohe Börde“"
        ),
        error_messages={"required": _("Bitte den Namen der Behörde angeben.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Postanschrift der Behörde"),
        max_length=500,
        help_text=_("Straße und Hausnummer, Postleitzahl und Ort; Pflichtangabe des Impressums"),
        error_messages={"required": _("Bitte die Postanschrift der Behörde angeben.")},
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    imprint_url = forms.URLField(
        label=_("Adresse des Impressums"),
        assume_scheme="https",
        help_text=_("z. B. https://www.tangerhuette.de/impressum"),
        error_messages={
            "required": _("Bitte die Adresse des Impressums angeben; jede Behörde braucht eines."),
            "invalid": _("Bitte eine Web-Adresse angeben, z. B. https://www.stadt.de/impressum."),
        },
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )
    privacy_url = forms.URLField(
        label=_("Adresse der Datenschutzerklärung"),
        assume_scheme="https",
        help_text=_("z. B. https://www.tangerhuette.de/datenschutz"),
        error_messages={
            "required": _("Bitte die Adresse der Datenschutzerklärung angeben."),
            "invalid": _("Bitte eine Web-Adresse angeben, z. B. https://www.stadt.de/datenschutz."),
        },
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )
    coat_of_arms = forms.ImageField(
        label=_("Wappen"),
        required=False,
        validators=[FileExtensionValidator(list(IMAGE_FORMATS)), small_image],
        help_text=_(
            "PNG, JPG oder WebP, höchstens 2 MB. Fehlt es, erinnert die Checkliste "
            "der Verwaltung daran."
        ),
        error_messages={
            "invalid_image": _("Diese Datei ist kein Bild. Bitte ein PNG, JPG oder WebP wählen."),
            "invalid_extension": _("Bitte ein Bild als PNG, JPG oder WebP wählen."),
            "empty": _("Die gewählte Datei ist leer."),
        },
    )
    primary_color = forms.CharField(
        label=_("Hauptfarbe"),
        initial=DEFAULT_PRIMARY_COLOR,
        max_length=7,
        validators=[readable_primary_color],
        help_text=_("Farbe der Kopfzeile; weiße Schrift muss darauf gut lesbar sein."),
        error_messages={"required": _("Bitte eine Hauptfarbe wählen.")},
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    contact_email = forms.EmailField(
        label=_("Kontakt-E-Mail der Behörde"),
        required=False,
        help_text=_("Für Fragen der Bürgerinnen und Bürger, z. B. info@stadt.de"),
        error_messages={
            "invalid": _("Bitte eine E-Mail-Adresse im Format name@beispiel.de angeben.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    IDENTITY_FIELDS = (
        "authority_name",
        "address",
        "imprint_url",
        "privacy_url",
        "coat_of_arms",
        "primary_color",
        "contact_email",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["modules"])
        field.choices = [(m.key, m.title) for m in module_registry]
        field.initial = [m.key for m in module_registry if m.default_enabled]

    def identity(self) -> dict[str, Any]:
        """The identity fields as branding values (an empty upload is left out)."""
        data = {name: self.cleaned_data[name] for name in self.IDENTITY_FIELDS}
        if not data["coat_of_arms"]:
            del data["coat_of_arms"]
        return data
