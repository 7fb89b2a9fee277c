"""``{{ minutes|duration }}``: "1 Std. 30 Min." (``|duration:"long"``: "1 Stunde 30 Minuten")."""

from django import template

from rathaus.platform.durations import duration_text

register = template.Library()


@register.filter
def duration(minutes: int | None, style: str = "") -> str:
    return duration_text(minutes, long=style == "long")
