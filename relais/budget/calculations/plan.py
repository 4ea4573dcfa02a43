"""Repayment plan ("plan d'apurement") simulator.

``plan_for_amount``: one debt, either a monthly payment (→ how many months) or a number of
months (→ the monthly payment, rounded up to the cent so the plan never falls short). The
last payment is whatever remains.

``prorata_plan``: a monthly amount shared between several creditors in proportion to what
each is owed, as commissions do; each share rounded down to the cent (the total of the
shares never exceeds the amount available).
"""

import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from relais.budget.calculations.money import CENT, ZERO

MAX_PLAN_MONTHS = 84  # Code de la consommation L733-3: measures last seven years at most


@dataclass(frozen=True)
class Plan:
    amount: Decimal
    monthly_payment: Decimal
    months: int
    last_payment: Decimal

    @property
    def regular_months(self) -> int:
        return self.months - 1

    @property
    def total(self) -> Decimal:
        return self.monthly_payment * self.regular_months + self.last_payment


def plan_for_amount(
    *, amount: Decimal, monthly_payment: Decimal | None = None, months: int | None = None
) -> Plan:
    if amount <= ZERO:
        raise ValueError("Le montant à rembourser doit être positif.")
    if (monthly_payment is None) == (months is None):
        raise ValueError("Indiquez soit une mensualité, soit une durée.")
    if months is not None:
        if months < 1:
            raise ValueError("La durée doit être d'au moins un mois.")
        monthly_payment = (amount / months).quantize(CENT, rounding=ROUND_UP)
    if monthly_payment <= ZERO:
        raise ValueError("La mensualité doit être positive.")
    count = math.ceil(amount / monthly_payment)
    last = amount - monthly_payment * (count - 1)
    return Plan(amount=amount, monthly_payment=monthly_payment, months=count, last_payment=last)


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    amount: Decimal
    monthly_share: Decimal
    months: int | None  # None: the share is zero, the debt is never repaid


@dataclass(frozen=True)
class ProrataPlan:
    monthly_amount: Decimal
    total_owed: Decimal
    shares: list[Share]

    @property
    def months(self) -> int | None:
        if any(share.months is None for share in self.shares):
            return None
        return max((share.months for share in self.shares), default=0)

    @property
    def within_legal_duration(self) -> bool:
        return self.months is not None and self.months <= MAX_PLAN_MONTHS


def prorata_plan(debts: list[tuple[str, str, Decimal]], monthly_amount: Decimal) -> ProrataPlan:
    if monthly_amount < ZERO:
        raise ValueError("Le montant mensuel ne peut pas être négatif.")
    total = sum((amount for _, _, amount in debts), ZERO)
    shares = []
    for key, label, amount in debts:
        if total <= ZERO:
            share = ZERO
        else:
            share = (monthly_amount * amount / total).quantize(CENT, rounding=ROUND_DOWN)
        months = math.ceil(amount / share) if share > ZERO else (0 if amount <= ZERO else None)
        shares.append(Share(key, label, amount, share, months))
    return ProrataPlan(monthly_amount=monthly_amount, total_owed=total, shares=shares)
