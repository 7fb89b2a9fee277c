from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

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
