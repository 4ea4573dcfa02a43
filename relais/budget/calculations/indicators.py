"""The budget's indicators, each with the figures it is computed from.

- Balance ("solde") = all resources − all charges.
- "Reste à vivre" = resources − fixed charges (everything but daily living: food, hygiene,
  clothing, leisure), i.e. what is left to live on; per month and per day (÷ 30) for each
  unit of the household's divisor (consumption units, parts or persons).
- Debt-to-income ratio = debt and credit repayments ÷ resources.
- Housing effort = (housing costs − housing benefit) ÷ (resources − housing benefit): the
  share of its own income the household puts into its home.
"""

from dataclasses import dataclass
from decimal import Decimal

from relais.budget.calculations.household import Count
from relais.budget.calculations.money import percent, positive_part, to_cents

DAYS_PER_MONTH = Decimal(30)


@dataclass(frozen=True)
class Indicators:
    resources: Decimal
    charges: Decimal
    fixed_charges: Decimal
    balance: Decimal
    left_to_live: Decimal
    divisor: Count
    left_per_unit_month: Decimal
    left_per_unit_day: Decimal
    debt_repayments: Decimal
    debt_ratio: Decimal | None
    housing_costs: Decimal
    housing_benefit: Decimal
    housing_net: Decimal
    housing_effort: Decimal | None
    resources_without_housing_benefit: Decimal


def indicators(
    *,
    resources: Decimal,
    charges: Decimal,
    fixed_charges: Decimal,
    debt_repayments: Decimal,
    housing_costs: Decimal,
    housing_benefit: Decimal,
    divisor: Count,
) -> Indicators:
    left = resources - fixed_charges
    per_month = to_cents(left / divisor.total)
    per_day = to_cents(per_month / DAYS_PER_MONTH)
    housing_net = positive_part(housing_costs - housing_benefit)
    own_resources = resources - housing_benefit
    return Indicators(
        resources=resources,
        charges=charges,
        fixed_charges=fixed_charges,
        balance=resources - charges,
        left_to_live=left,
        divisor=divisor,
        left_per_unit_month=per_month,
        left_per_unit_day=per_day,
        debt_repayments=debt_repayments,
        debt_ratio=percent(debt_repayments, resources),
        housing_costs=housing_costs,
        housing_benefit=housing_benefit,
        housing_net=housing_net,
        housing_effort=percent(housing_net, own_resources),
        resources_without_housing_benefit=own_resources,
    )
