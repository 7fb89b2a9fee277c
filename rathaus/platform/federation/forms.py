"""The town admin's form for state-account settings."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.platform.federation.models import IdentityProvider


class ProviderForm(forms.ModelForm):
    # The stored secret is never sent to the browser; empty keeps it.
    oidc_client_secret = forms.CharField(
        label=_("Client-Secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leer lassen, um das gespeicherte Secret zu behalten."),
    )
    saml_metadata_file = forms.FileField(label=_("Metadaten-Datei hochladen"), required=False)

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "enabled",
            "saml_metadata_url",
            "saml_metadata_xml",
            "oidc_issuer",
            "oidc_client_id",
            "oidc_scopes",
            "requested_attributes",
            "attribute_mapping",
            "trust_level",
        ]
        widgets = {"saml_metadata_xml": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        protocol = self.instance.protocol
        hidden = (
            ["oidc_issuer", "oidc_client_id", "oidc_scopes", "oidc_client_secret"]
            if protocol == "saml"
            else ["saml_metadata_url", "saml_metadata_xml", "saml_metadata_file"]
        )
        for name in hidden:
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("saml_metadata_file")
        if upload:
            data["saml_metadata_xml"] = upload.read().decode("utf-8", errors="replace")
        return data
