"""Money helpers: Decimal only, rounded to the cent half up at each shown step."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def to_cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def positive_part(value: Decimal) -> Decimal:
    return value if value > ZERO else ZERO


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal; None when ``whole`` is not positive."""
    if whole <= ZERO:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
