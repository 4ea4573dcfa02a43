from django import template

from relais.stats.formatting import cell_text, format_decimal, format_percent
from relais.stats.tables import SUPPRESSION_MARK

register = template.Library()


@register.filter
def cell(row, column) -> str:
    return cell_text(row, column)


@register.filter
def percent(row) -> str:
    if row.suppressed:
        return SUPPRESSION_MARK
    return format_percent(row.percent)


@register.filter
def decimal1(value) -> str:
    return format_decimal(value, 1)
