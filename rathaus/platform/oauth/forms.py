from django import forms
from django.utils.translation import gettext_lazy as _


class AppRegisterForm(forms.Form):
    """A town admin registers an app (a public client) with the town."""

    name = forms.CharField(
        label=_("Name der App"),
        max_length=255,
        help_text=_("So steht sie auf der Seite, auf der Bürgerinnen und Bürger zustimmen."),
    )
    redirect_uris = forms.CharField(
        label=_("Rücksprungadressen (redirect URIs)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eine je Zeile, z. B. de.rathaus.app:/oauth/callback"),
    )
