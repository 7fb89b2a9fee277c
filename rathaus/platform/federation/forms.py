"""The town admin's forms for the state account (Landeskonto: BundID / Servicekonto).

Set up from a preset: the admin chooses the provider (the vendor's presets,
or another provider by protocol), fills the few fields that preset leaves
open, and finds the rest (scopes, attributes, their mapping to account
fields) folded away as ordinary inputs, one per value, never as JSON.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rathaus.platform.federation.models import IdentityProvider, Protocol, TrustLevel
from rathaus.platform.federation.presets.models import FederationPreset
from rathaus.platform.federation.services import MAPPABLE_FIELDS

STATE_ACCOUNT = _("Landeskonto (BundID / Servicekonto)")

# What each account field is called on the page, for the mapping inputs.
ACCOUNT_FIELD_LABELS: dict[str, Promise] = {
    "email": _("E-Mail-Adresse"),
    "first_name": _("Vorname"),
    "last_name": _("Nachname"),
    "birth_date": _("Geburtsdatum"),
    "street": _("Straße und Hausnummer"),
    "postal_code": _("Postleitzahl"),
    "city": _("Ort"),
}

PROTOCOL_HINTS = {
    Protocol.SAML: _(
        "SAML 2.0 nutzen die BundID und viele Servicekonten der Länder. Sie brauchen die "
        "Metadaten-Adresse des Anbieters; Ihre eigenen Metadaten geben Sie dem Anbieter."
    ),
    Protocol.OIDC: _(
        "OpenID Connect nutzen manche Servicekonten der Länder. Sie brauchen die Adresse "
        "(Issuer), die Client-ID und das Client-Secret, die der Anbieter Ihnen gibt."
    ),
}


@dataclass(frozen=True)
class SetupChoice:
    """One way to set up the state account: a vendor preset, or any provider of a protocol."""

    key: str
    name: str
    protocol: str
    hint: str
    preset: FederationPreset | None = None

    @property
    def protocol_label(self) -> str:
        return str(Protocol(self.protocol).label)


def setup_choices() -> list[SetupChoice]:
    """The vendor's presets (BundID, the states' Servicekonten), then "another provider"."""
    choices = [
        SetupChoice(
            f"preset-{preset.key}",
            preset.name,
            preset.protocol,
            str(PROTOCOL_HINTS.get(Protocol(preset.protocol), "")),
            preset,
        )
        for preset in FederationPreset.objects.all()
    ]
    for protocol in Protocol:
        choices.append(
            SetupChoice(
                protocol.value,
                str(_("Anderer Anbieter mit %(protocol)s") % {"protocol": protocol.label}),
                protocol.value,
                str(PROTOCOL_HINTS[protocol]),
            )
        )
    return choices


def setup_choice(key: str) -> SetupChoice | None:
    return next((choice for choice in setup_choices() if choice.key == key), None)


class SetupChoiceForm(forms.Form):
    """Step 1: which state account the town connects to."""

    choice = forms.ChoiceField(
        label=_("Anbieter"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie, womit sich Bürgerinnen und Bürger anmelden.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = setup_choices()
        self.fields["choice"].choices = [  # type: ignore[attr-defined]
            (choice.key, f"{choice.name} ({choice.protocol_label})") for choice in self.choices
        ]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


class ProviderForm(forms.ModelForm):
    """Step 2, and every later change: the few fields needed, the rest under "Erweitert".

    ``required_fields`` are the ones the chosen preset leaves open; the
    template shows ``basic_fields`` first and ``advanced_fields`` folded away.
    """

    # The stored secret is never sent to the browser; empty keeps it.
    oidc_client_secret = forms.CharField(
        label=_("Client-Secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Vom Anbieter. Leer lassen, um das gespeicherte Secret zu behalten."),
    )
    saml_metadata_file = forms.FileField(
        label=_("Metadaten als Datei"),
        required=False,
        help_text=_("Statt der Adresse: die XML-Datei mit den Metadaten des Anbieters."),
    )
    scopes = forms.CharField(
        label=_("Scopes"),
        required=False,
        help_text=_("Durch Leerzeichen getrennt, z. B. openid email profile."),
    )
    attributes = forms.CharField(
        label=_("Angefragte Attribute"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Ein Attribut je Zeile. Leer: die üblichen Attribute des Protokolls."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "saml_metadata_url",
            "oidc_issuer",
            "oidc_client_id",
            "trust_level",
            "enabled",
        ]
        labels = {
            "name": _("Name auf der Schaltfläche"),
            "saml_metadata_url": _("Metadaten-Adresse des Anbieters"),
            "oidc_issuer": _("Adresse des Anbieters (Issuer)"),
            "oidc_client_id": _("Client-ID"),
            "trust_level": _("Nötiges Vertrauensniveau"),
            "enabled": _(
                "Anmeldung mit dem Landeskonto einschalten (erst, wenn der Verbindungstest gelingt)"
            ),
        }
        help_texts = {
            "name": _("Bürgerinnen und Bürger lesen „Weiter mit …“ und diesen Namen."),
            "saml_metadata_url": _("Beginnt mit https://, steht in den Unterlagen des Anbieters."),
            "oidc_issuer": _("Beginnt mit https://, z. B. https://id.example.de/realms/buerger."),
            "oidc_client_id": _("Vom Anbieter für Ihre Kommune vergeben."),
            "trust_level": _(
                "Das Niveau, das eine Anmeldung mindestens haben muss. „Substanziell“ "
                "entspricht z. B. Benutzername, Passwort und einem zweiten Faktor."
            ),
        }
        error_messages = {
            "name": {"required": _("Bitte geben Sie einen Namen für die Schaltfläche an.")},
            "saml_metadata_url": {
                "invalid": _("Bitte eine vollständige Adresse angeben, die mit https:// beginnt.")
            },
            "oidc_issuer": {
                "invalid": _("Bitte eine vollständige Adresse angeben, die mit https:// beginnt.")
            },
        }
        widgets = {"trust_level": forms.RadioSelect}

    def __init__(self, *args: Any, preset: FederationPreset | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preset = preset
        provider: IdentityProvider = self.instance
        protocol = provider.protocol
        self.fields["trust_level"].choices = TrustLevel.choices  # type: ignore[attr-defined]
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        if protocol == Protocol.SAML:
            for name in ("oidc_issuer", "oidc_client_id", "oidc_client_secret", "scopes"):
                del self.fields[name]
            # Asked for until the town has the provider's metadata (or uploads it instead).
            self.fields["saml_metadata_url"].required = not provider.saml_metadata_xml
            self.fields["saml_metadata_url"].error_messages["required"] = _(
                "Bitte geben Sie die Metadaten-Adresse des Anbieters an "
                "(oder laden Sie unter „Erweitert“ die Metadaten als Datei hoch)."
            )
        else:
            for name in ("saml_metadata_url", "saml_metadata_file"):
                del self.fields[name]
            self.fields["oidc_issuer"].required = True
            self.fields["oidc_issuer"].error_messages["required"] = _(
                "Bitte geben Sie die Adresse (Issuer) des Anbieters an."
            )
            self.fields["oidc_client_id"].required = True
            self.fields["oidc_client_id"].error_messages["required"] = _(
                "Bitte geben Sie die Client-ID an, die der Anbieter Ihrer Kommune gegeben hat."
            )
            self.initial.setdefault("scopes", provider.oidc_scopes)
        self.initial.setdefault("attributes", "\n".join(provider.requested_attributes or []))
        mapping = provider.attribute_mapping or {}
        for field in MAPPABLE_FIELDS:
            name = f"map_{field}"
            self.fields[name] = forms.CharField(
                label=_("Attribut für: %(field)s") % {"field": ACCOUNT_FIELD_LABELS[field]},
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
            )
            self.initial.setdefault(name, mapping.get(field, ""))
        self.fields["map_email"].help_text = _(
            "Wie der Anbieter das Feld nennt. Leer: wird nicht übernommen."
        )

    # Fields shown first, and the ones folded under "Erweitert".
    BASIC = (
        "name",
        "saml_metadata_url",
        "oidc_issuer",
        "oidc_client_id",
        "oidc_client_secret",
        "trust_level",
        "enabled",
    )

    def basic_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BASIC if name in self.fields]

    def advanced_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.BASIC]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        provider: IdentityProvider = self.instance
        upload = data.get("saml_metadata_file")
        if upload:
            data["saml_metadata_xml"] = upload.read().decode("utf-8", errors="replace")
            # The file stands in for the address.
            if not data.get("saml_metadata_url") and "saml_metadata_url" in self.errors:
                del self.errors["saml_metadata_url"]
        if provider.protocol == Protocol.SAML:
            has_metadata = (
                data.get("saml_metadata_url")
                or data.get("saml_metadata_xml")
                or provider.saml_metadata_xml
            )
            if not has_metadata and "saml_metadata_url" not in self.errors:
                self.add_error(
                    "saml_metadata_url",
                    _(
                        "Bitte geben Sie die Metadaten-Adresse des Anbieters an "
                        "(oder laden Sie unter „Erweitert“ die Metadaten als Datei hoch)."
                    ),
                )
        elif not data.get("oidc_client_secret") and not provider.oidc_client_secret:
            self.add_error(
                "oidc_client_secret",
                _("Bitte geben Sie das Client-Secret an, das der Anbieter Ihnen gegeben hat."),
            )
        for field in MAPPABLE_FIELDS:
            value = data.get(f"map_{field}", "")
            if value and any(char.isspace() for char in value):
                self.add_error(
                    f"map_{field}",
                    _("Ein Attributname enthält keine Leerzeichen, z. B. given_name."),
                )
        return data

    def save(self, commit: bool = True) -> IdentityProvider:
        provider: IdentityProvider = super().save(commit=False)
        data = self.cleaned_data
        if data.get("saml_metadata_xml"):
            provider.saml_metadata_xml = data["saml_metadata_xml"]
        if data.get("oidc_client_secret"):
            provider.oidc_client_secret = data["oidc_client_secret"]
        if "scopes" in data:
            provider.oidc_scopes = " ".join(data["scopes"].split()) or "openid email profile"
        provider.requested_attributes = _lines(data.get("attributes", ""))
        provider.attribute_mapping = {
            field: data[f"map_{field}"].strip()
            for field in MAPPABLE_FIELDS
            if data.get(f"map_{field}", "").strip()
        }
        if commit:
            provider.save()
        return provider
