from django import forms
from django.utils.translation import gettext_lazy as _


class SearchInput(forms.TextInput):
    input_type = "search"


class CatalogueSearchForm(forms.Form):
    """The search box of the home page and the search page (a GET form: it never has errors).

    Required, so its label says no "optional"; but without the browser's
    ``required``: an empty search shows the life situations instead.
    """

    use_required_attribute = False

    q = forms.CharField(
        label=_("Was möchten Sie erledigen?"),
        help_text=_("Zum Beispiel: Personalausweis, Hund anmelden, Umzug"),
        max_length=200,
        widget=SearchInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
    )
