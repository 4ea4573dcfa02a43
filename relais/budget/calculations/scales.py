"""The dated reference figures, as values. ``relais.budget.reference`` loads them from data/."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class SeizureScale:
    """Code du travail R3252-2 / R3252-3: annual bands, their fractions, the dependant raise."""

    valid_from: datetime.date
    decree: str
    annual_limits: tuple[Decimal, ...]  # upper limit of each band but the last
    fractions: tuple[Fraction, ...]  # one more than the limits: the last band is "all"
    dependant_raise: Decimal  # added to every annual limit, per dependant

    def __post_init__(self):
        if len(self.fractions) != len(self.annual_limits) + 1:
            raise ValueError("Un barème a une fraction de plus que de seuils.")
        if list(self.annual_limits) != sorted(self.annual_limits):
            raise ValueError("Les seuils du barème doivent être croissants.")


@dataclass(frozen=True)
class RsaAmount:
    """Montant forfaitaire du RSA for one person (CASF L262-2, 2°), from a date."""

    valid_from: datetime.date
    amount: Decimal
    text: str
    confirmed: bool = True


@dataclass(frozen=True)
class RsaHouseholdRule:
    """CASF R262-1: how the single-person amount grows with the household."""

    valid_from: datetime.date
    second_person: Decimal
    each_further_person: Decimal
    third_child_onwards: Decimal
    text: str = ""


@dataclass(frozen=True)
class ConsumptionScale:
    """INSEE's modified OECD equivalence scale."""

    valid_from: datetime.date
    first_adult: Decimal
    other_aged_14_or_more: Decimal
    under_14: Decimal
    age_threshold: int = 14
