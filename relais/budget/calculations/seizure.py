"""The seizable share of a monthly income (Code du travail L3252-2, R3252-2, R3252-3, R3252-5).

The decree gives annual bands. Each annual limit is raised by the dependant raise times
the number of dependants, then divided by 12 and rounded to the cent: that is the monthly
band. Each band's fraction applies to the part of the income that falls in the band; each
band's result is rounded to the cent; the scale amount is their sum. Whatever the scale
says, the person keeps at least the single-person RSA lump sum (L3252-5, R3252-5).
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from relais.budget.calculations.money import ZERO, positive_part, to_cents
from relais.budget.calculations.scales import SeizureScale

TWELVE = Decimal(12)


@dataclass(frozen=True)
class Band:
    number: int
    lower: Decimal  # monthly, excluded
    upper: Decimal | None  # monthly, included; None for the last band (no ceiling)
    fraction: Fraction
    portion: Decimal  # the part of the income inside this band
    seized: Decimal  # portion × fraction, rounded to the cent

    @property
    def fraction_label(self) -> str:
        return (
            "la totalité"
            if self.fraction == 1
            else f"{self.fraction.numerator}/{self.fraction.denominator}"
        )


@dataclass(frozen=True)
class ScaleResult:
    income: Decimal
    dependants: int
    scale: SeizureScale
    monthly_raise: Decimal  # dependant raise per month, for the explanation
    bands: list[Band]
    total: Decimal


@dataclass(frozen=True)
class SeizureResult:
    scale: ScaleResult
    floor: Decimal  # the single-person RSA, always left to the person
    room_above_floor: Decimal  # income − floor, never below zero
    seizable: Decimal
    floor_applied: bool

    @property
    def income(self) -> Decimal:
        return self.scale.income

    @property
    def left(self) -> Decimal:
        return self.income - self.seizable


def monthly_limits(scale: SeizureScale, dependants: int) -> list[Decimal]:
    raise_ = scale.dependant_raise * dependants
    return [to_cents((limit + raise_) / TWELVE) for limit in scale.annual_limits]


def apply_scale(income: Decimal, dependants: int, scale: SeizureScale) -> ScaleResult:
    """The scale alone (no RSA floor): also the first step of the repayment capacity."""
    if income < ZERO:
        raise ValueError("Le revenu ne peut pas être négatif.")
    if dependants < 0:
        raise ValueError("Le nombre de personnes à charge ne peut pas être négatif.")
    limits = monthly_limits(scale, dependants)
    bands = []
    lower = ZERO
    for number, fraction in enumerate(scale.fractions, 1):
        upper = limits[number - 1] if number <= len(limits) else None
        top = income if upper is None else min(income, upper)
        portion = positive_part(top - lower)
        seized = to_cents(portion * fraction.numerator / fraction.denominator)
        bands.append(Band(number, lower, upper, fraction, portion, seized))
        if upper is not None:
            lower = upper
    return ScaleResult(
        income=income,
        dependants=dependants,
        scale=scale,
        monthly_raise=to_cents(scale.dependant_raise / TWELVE),
        bands=bands,
        total=sum((band.seized for band in bands), ZERO),
    )


def seizable_share(
    income: Decimal, dependants: int, scale: SeizureScale, rsa_single: Decimal
) -> SeizureResult:
    result = apply_scale(income, dependants, scale)
    room = positive_part(income - rsa_single)
    seizable = min(result.total, room)
    return SeizureResult(
        scale=result,
        floor=rsa_single,
        room_above_floor=room,
        seizable=seizable,
        floor_applied=seizable < result.total,
    )
