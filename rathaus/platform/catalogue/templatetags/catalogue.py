from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rathaus.platform.catalogue.forms import CatalogueSearchForm

register = template.Library()


@register.filter
def fee(value: object) -> str:
    """A fee for people: "37,00 €", "kostenlos", or the text as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        if value == 0:
            return _("kostenlos")
        return f"{number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)} €"
    return str(value)


@register.filter
def has_fee(value: object) -> bool:
    return value is not None and value != ""


@register.inclusion_tag("catalogue/_search_form.html", takes_context=True)
def catalogue_search_box(context: template.Context, term: str = "") -> dict[str, Any]:
    """The search box, filled with ``term`` (the search page's own query)."""
    return {"search_form": CatalogueSearchForm(initial={"q": term})}
