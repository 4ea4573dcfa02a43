"""Display of money and counts, the French way; the case-page budget card."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

from relais.budget import selectors
from relais.www.jinja2 import fragment

register = template.Library()

NBSP = "\u00a0"
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _group(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NBSP.join(groups)


@register.filter
def euros(value, decimals=2) -> str:
    """1234.5 → "1 234,50 €" (no-break spaces); "" for None."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    whole, _, cents = format(abs(amount), "f").partition(".")
    text = _group(whole) + ("," + cents if cents else "")
    return f"{sign}{text}{NBSP}€"


@register.filter
def number(value) -> str:
    """2.30 → "2,3"; 18 → "18"."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


@register.filter
def month_name(value) -> str:
    """date(2026, 11, 1) → "novembre 2026"."""
    if not value:
        return ""
    return f"{MONTHS[value.month - 1]} {value.year}"


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{number(value)}{NBSP}%"


@register.simple_tag(takes_context=True)
def case_budget_card(context, case):
    """The budget section of a case page: latest month, what is left, debts (2 queries at
    most, none when the person has neither; the case question is the one the page already
    asked)."""
    from relais.cases.contents import holds

    request = context.get("request")
    user = getattr(request, "user", None)
    latest, debts = None, []
    # The case page already knows whether the person has any budget or debt.
    if user is not None and holds(context, "budgets"):
        latest = selectors.case_budget_months(case, user=user).first()
    if user is not None and holds(context, "debts"):
        debts = selectors.case_debts(case, user=user)
    # Jinja2 (relais/www/jinja2.py): templates/jinja2/budget/case_budget_card.html.
    return fragment(
        "budget/case_budget_card.html",
        {
            "case": case,
            "latest": latest,
            "debt_totals": selectors.debt_totals(debts),
            "today_month": selectors.first_of_month(timezone.localdate()),
            "euros": euros,
            "month_name": month_name,
        },
    )
