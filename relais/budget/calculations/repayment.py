"""Over-indebtedness repayment capacity (Code de la consommation L731-1, L731-2, R731-1).

1. The seizure scale (R3252-2, with the household's dependants) applied to the household's
   monthly resources: the part that may go to the debts (L731-1).
2. R731-1 caps it: it may not exceed resources minus the RSA lump sum *of the household*
   (single amount with the household multipliers): the household never keeps less.
3. L731-2: the part needed for the household's current expenses is reserved first. With the
   expenses declared in the budget (debt repayments excluded, since they are what the plan
   reorganises), the capacity is also at most resources minus those expenses. The commission
   may use its own flat-rate expenses instead: this last figure is an estimate.
"""

from dataclasses import dataclass
from decimal import Decimal

from relais.budget.calculations.household import RsaHousehold
from relais.budget.calculations.money import positive_part
from relais.budget.calculations.scales import SeizureScale
from relais.budget.calculations.seizure import ScaleResult, apply_scale


@dataclass(frozen=True)
class RepaymentCapacity:
    resources: Decimal
    scale: ScaleResult
    rsa: RsaHousehold
    room_above_rsa: Decimal  # resources − household RSA, never below zero
    legal_maximum: Decimal  # min(scale, room above RSA)
    rsa_applied: bool
    current_expenses: Decimal | None
    room_above_expenses: Decimal | None
    capacity: Decimal
    expenses_applied: bool

    @property
    def left_to_live(self) -> Decimal:
        return self.resources - self.capacity


def repayment_capacity(
    *,
    resources: Decimal,
    dependants: int,
    scale: SeizureScale,
    rsa: RsaHousehold,
    current_expenses: Decimal | None = None,
) -> RepaymentCapacity:
    scale_result = apply_scale(resources, dependants, scale)
    room_above_rsa = positive_part(resources - rsa.amount)
    legal_maximum = min(scale_result.total, room_above_rsa)
    capacity = legal_maximum
    room_above_expenses = None
    if current_expenses is not None:
        if current_expenses < 0:
            raise ValueError("Les dépenses courantes ne peuvent pas être négatives.")
        room_above_expenses = positive_part(resources - current_expenses)
        capacity = min(legal_maximum, room_above_expenses)
    return RepaymentCapacity(
        resources=resources,
        scale=scale_result,
        rsa=rsa,
        room_above_rsa=room_above_rsa,
        legal_maximum=legal_maximum,
        rsa_applied=legal_maximum < scale_result.total,
        current_expenses=current_expenses,
        room_above_expenses=room_above_expenses,
        capacity=capacity,
        expenses_applied=capacity < legal_maximum,
    )
