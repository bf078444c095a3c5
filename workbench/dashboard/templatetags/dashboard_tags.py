from decimal import Decimal

from django import template

from workbench.dashboard.metrics import STATUSES

register = template.Library()


@register.filter
def thousands(value):
    """12345 -> "12,345"; 12.5 -> "12.5"."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@register.filter
def money(value, places=2):
    if value is None:
        return ""
    return f"{Decimal(value):,.{int(places)}f}"


@register.filter
def by_status(progress):
    """(status, segments, words) in lifecycle order, for a row of the progress table."""
    return [(status, progress.segments[status], progress.words[status]) for status in STATUSES]
