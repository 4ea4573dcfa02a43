"""Numbers as a French reader expects them, the same on the page, in charts and in PDFs."""

from decimal import ROUND_HALF_UP, Decimal

from relais.stats.tables import SUPPRESSION_MARK, Measure, hours_minutes

NARROW_NBSP = "\u202f"


def group_thousands(number: int) -> str:
    return f"{number:,}".replace(",", NARROW_NBSP)


def format_decimal(value, places: int = 1) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(value).quantize(quantum, ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    text = sign + group_thousands(int(whole.lstrip("-") or 0))
    return f"{text},{fraction}" if places else text


def format_measure(value, measure: Measure) -> str:
    if value is None:
        return ""
    if measure == Measure.MINUTES:
        return hours_minutes(value)
    if measure == Measure.MONEY:
        return f"{format_decimal(value, 2)}{NARROW_NBSP}€"
    return group_thousands(int(value))


def format_percent(value) -> str:
    if value is None:
        return ""
    return f"{format_decimal(value, 1)}{NARROW_NBSP}%"


def cell_text(row, column) -> str:
    if row.suppressed:
        return SUPPRESSION_MARK
    return format_measure(row.values.get(column.key), column.measure)
