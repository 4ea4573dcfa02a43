"""Reads of the budget: a month with its indicators, the household as the calculations see
it, the debts, the over-indebtedness file. Callers pass rows already scoped by the policy
(a case from ``Case.objects.visible_to``); these functions scope their own queries too."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from relais.budget import enums, reference
from relais.budget.calculations import household as calc
from relais.budget.calculations.indicators import Indicators, indicators
from relais.budget.calculations.repayment import RepaymentCapacity, repayment_capacity
from relais.budget.calculations.seizure import SeizureResult, seizable_share
from relais.budget.models import Budget, BudgetLine, BudgetSettings, Debt, OverindebtednessFile
from relais.people.enums import Relation
from relais.people.models import HouseholdMember, Person

ZERO = Decimal("0")

_ROLE_OF_RELATION = {
    Relation.SPOUSE: calc.PARTNER,
    Relation.CHILD: calc.CHILD,
    Relation.GRANDCHILD: calc.CHILD,
}


def _age(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    if birth_date is None:
        return None
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return max(years, 0)


# --- Household --------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdRow:
    """One person of the household as shown on screen, and as the calculations see them."""

    key: str  # "person", or "member:<public_id>" for a household member
    name: str
    relation: str
    age: int | None
    member: calc.Member
    household_member: HouseholdMember | None = None


@dataclass
class Household:
    on: datetime.date
    rows: list[HouseholdRow]

    @property
    def members(self) -> list[calc.Member]:
        return [row.member for row in self.rows]

    @property
    def dependants(self) -> int:
        return sum(1 for row in self.rows if row.member.dependent)

    @property
    def has_partner(self) -> bool:
        return any(row.member.role == calc.PARTNER for row in self.rows)

    @property
    def household_members(self) -> list[HouseholdMember]:
        return [row.household_member for row in self.rows if row.household_member is not None]


def household_of(person: Person, on: datetime.date) -> Household:
    """The person first (the reference adult), then the members of their household.

    Other persons supported by the service and living in the same household count for the
    consumption units; they are not dependants.
    """
    rows = [
        HouseholdRow(
            key="person",
            name=person.first_name or person.full_name,
            relation="personne accompagnée",
            age=_age(person.birth_date, on),
            member=calc.Member(
                person.first_name or "La personne", _age(person.birth_date, on), calc.REFERENCE
            ),
        )
    ]
    if person.household_id is None:
        return Household(on, rows)
    members = HouseholdMember.objects.filter(
        organisation_id=person.organisation_id, household_id=person.household_id
    ).order_by("birth_date", "id")
    for member in members:
        age = _age(member.birth_date, on)
        name = str(member)
        rows.append(
            HouseholdRow(
                key=f"member:{member.public_id}",
                name=name,
                relation=member.get_relation_display(),
                age=age,
                member=calc.Member(
                    name,
                    age,
                    _ROLE_OF_RELATION.get(member.relation, calc.OTHER),
                    dependent=member.is_dependent,
                ),
                household_member=member,
            )
        )
    others = (
        Person.objects.filter(
            organisation_id=person.organisation_id,
            household_id=person.household_id,
            anonymised_at__isnull=True,
        )
        .exclude(pk=person.pk)
        .only("first_name", "last_name", "birth_date")
    )
    for other in others:
        age = _age(other.birth_date, on)
        rows.append(
            HouseholdRow(
                key=f"person:{other.public_id}",
                name=other.first_name or other.last_name,
                relation="personne du foyer également accompagnée",
                age=age,
                member=calc.Member(other.first_name or other.last_name, age, calc.OTHER),
            )
        )
    return Household(on, rows)


# --- Settings -------------------------------------------------------------------------


def divisor_of(organisation_id: int) -> str:
    row = BudgetSettings.objects.filter(organisation_id=organisation_id).only("divisor").first()
    return row.divisor if row else enums.Divisor.CONSUMPTION_UNITS


def divide_household(household: Household, divisor: str) -> calc.Count:
    if divisor == enums.Divisor.PARTS:
        return calc.parts(household.members)
    if divisor == enums.Divisor.PERSONS:
        return calc.persons(household.members)
    scale = reference.consumption_scale_on(household.on)
    return calc.consumption_units(household.members, scale)


# --- A month --------------------------------------------------------------------------


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _sum(lines) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


@dataclass
class Month:
    person: Person
    month: datetime.date
    budget: Budget | None
    household: Household
    divisor_kind: str
    lines: list[BudgetLine] = field(default_factory=list)
    latest_before: Budget | None = None

    @property
    def resources(self) -> list[BudgetLine]:
        return [line for line in self.lines if line.kind == enums.LineKind.RESOURCE]

    @property
    def charges(self) -> list[BudgetLine]:
        return [line for line in self.lines if line.kind == enums.LineKind.CHARGE]

    @property
    def fixed_charges(self) -> list[BudgetLine]:
        return [line for line in self.charges if line.category not in enums.DAILY_LIVING]

    @property
    def daily_charges(self) -> list[BudgetLine]:
        return [line for line in self.charges if line.category in enums.DAILY_LIVING]

    @property
    def total_resources(self) -> Decimal:
        return _sum(self.resources)

    @property
    def total_charges(self) -> Decimal:
        return _sum(self.charges)

    @property
    def total_fixed_charges(self) -> Decimal:
        return _sum(self.fixed_charges)

    @property
    def total_daily_charges(self) -> Decimal:
        return _sum(self.daily_charges)

    @property
    def current_expenses(self) -> Decimal:
        return _sum(c for c in self.charges if c.category not in enums.NOT_CURRENT_EXPENSES)

    @property
    def divisor(self) -> calc.Count:
        return divide_household(self.household, self.divisor_kind)

    @property
    def indicators(self) -> Indicators:
        return indicators(
            resources=self.total_resources,
            charges=self.total_charges,
            fixed_charges=self.total_fixed_charges,
            debt_repayments=_sum(c for c in self.charges if c.category in enums.DEBT_REPAYMENTS),
            housing_costs=_sum(c for c in self.charges if c.category in enums.HOUSING_COSTS),
            housing_benefit=_sum(r for r in self.resources if r.category in enums.HOUSING_BENEFITS),
            divisor=self.divisor,
        )

    @property
    def seizable_income(self) -> Decimal:
        """The person's incomes that follow the wage-seizure scale (not a member's)."""
        return _sum(
            r
            for r in self.resources
            if r.category in enums.SEIZURE_SCALE_INCOMES and r.holder != enums.Holder.MEMBER
        )


def budget_month(person: Person, month: datetime.date, *, user) -> Month:
    budget = Budget.objects.visible_to(user).filter(person_id=person.pk, month=month).first()
    lines = []
    latest_before = None
    if budget is not None:
        lines = list(
            BudgetLine.objects.filter(organisation_id=person.organisation_id, budget=budget)
            .select_related("member", "debt")
            .order_by("kind", "position", "id")
        )
        for line in lines:
            line.budget = budget  # for the audit log's person id, without a query
    else:
        latest_before = (
            Budget.objects.visible_to(user)
            .filter(person_id=person.pk, month__lt=month)
            .order_by("-month")
            .first()
        )
    return Month(
        person=person,
        month=month,
        budget=budget,
        household=household_of(person, month),
        divisor_kind=divisor_of(person.organisation_id),
        lines=lines,
        latest_before=latest_before,
    )


def budget_months(person: Person, *, user):
    """The person's budgets, newest first, with their totals (one query)."""
    return _with_totals(Budget.objects.visible_to(user).filter(person_id=person.pk))


def case_budget_months(case, *, user):
    """``budget_months`` of the case's person, for a page that already fetched the case."""
    return _with_totals(Budget.objects.in_case_visible_to(user, case))


def _with_totals(budgets):
    money = DecimalField(max_digits=12, decimal_places=2)
    zero = Value(ZERO, output_field=money)
    return (
        budgets.annotate(
            resources=Coalesce(
                Sum("lines__amount", filter=Q(lines__kind=enums.LineKind.RESOURCE)), zero
            ),
            charges=Coalesce(
                Sum("lines__amount", filter=Q(lines__kind=enums.LineKind.CHARGE)), zero
            ),
            line_count=Count("lines"),
        )
        .annotate(balance=ExpressionWrapper(F("resources") - F("charges"), output_field=money))
        .order_by("-month")
    )


# --- Seizure and repayment capacity --------------------------------------------------


def seizure_on(
    income: Decimal, dependants: int, on: datetime.date
) -> tuple[SeizureResult, reference.RsaAmount]:
    rsa = reference.rsa_on(on)
    scale = reference.seizure_scale_on(on)
    return seizable_share(income, dependants, scale, rsa.amount), rsa


def capacity_on(
    *,
    resources: Decimal,
    dependants: int,
    members: list[calc.Member],
    on: datetime.date,
    current_expenses: Decimal | None,
) -> RepaymentCapacity:
    rsa = calc.rsa_household(members, reference.rsa_on(on), reference.rsa_household_rule_on(on))
    return repayment_capacity(
        resources=resources,
        dependants=dependants,
        scale=reference.seizure_scale_on(on),
        rsa=rsa,
        current_expenses=current_expenses,
    )


def simulated_members(*, has_partner: bool, young: int, other: int) -> list[calc.Member]:
    """A household described by counts (the simulator's form), for the RSA multipliers."""
    members = [calc.Member("La personne", None, calc.REFERENCE)]
    if has_partner:
        members.append(calc.Member("Conjoint ou partenaire", None, calc.PARTNER))
    members += [
        calc.Member(f"Personne à charge n° {i}", 30, calc.OTHER, True) for i in range(1, other + 1)
    ]
    members += [
        calc.Member(f"Enfant ou jeune à charge n° {i}", 10, calc.CHILD, True)
        for i in range(1, young + 1)
    ]
    return members


# --- Debts ----------------------------------------------------------------------------


@dataclass
class DebtTotals:
    count: int
    owed: Decimal
    monthly: Decimal
    arrears: Decimal
    with_court_action: int


def person_debts(person: Person, *, user, include_settled: bool = True) -> list[Debt]:
    debts = Debt.objects.visible_to(user).filter(person_id=person.pk)
    if not include_settled:
        debts = debts.exclude(status=enums.DebtStatus.SETTLED)
    return list(debts.order_by("creditor", "id"))


def case_debts(case, *, user) -> list[Debt]:
    """``person_debts`` of the case's person, for a page that already fetched the case."""
    return list(Debt.objects.in_case_visible_to(user, case).order_by("creditor", "id"))


def debt_totals(debts: list[Debt]) -> DebtTotals:
    active = [d for d in debts if d.status != enums.DebtStatus.SETTLED]
    return DebtTotals(
        count=len(active),
        owed=sum((d.amount_owed for d in active), ZERO),
        monthly=sum((d.monthly_payment or ZERO for d in active), ZERO),
        arrears=sum((d.arrears for d in active), ZERO),
        with_court_action=sum(1 for d in active if d.court_action != enums.CourtAction.NONE),
    )


# --- Over-indebtedness file -----------------------------------------------------------


def overindebtedness_file(person: Person, *, user) -> OverindebtednessFile | None:
    return OverindebtednessFile.objects.visible_to(user).filter(person_id=person.pk).first()


@dataclass(frozen=True)
class DocumentRow:
    code: str
    label: str
    section: str
    status: str

    @property
    def is_missing(self) -> bool:
        return self.status == enums.DocumentStatus.MISSING


def _conditions(person, file, month: Month | None, debts: list[Debt], household: Household):
    resources = month.resources if month else []
    charges = month.charges if month else []
    active_debts = [d for d in debts if d.status != enums.DebtStatus.SETTLED]
    return {
        "always": True,
        "joint_filing": bool(file and file.joint_filing),
        "legal_protection": person.legal_protection not in ("", "none"),
        "separated": person.family_situation in {"separated", "divorced", "single_parent"}
        or any(
            line.category in {"alimony_received", "alimony_paid"} for line in [*resources, *charges]
        ),
        "children": any(row.member.role == calc.CHILD for row in household.rows),
        "earned_income": any(r.category in enums.SEIZURE_SCALE_INCOMES for r in resources),
        "benefits": any(r.category not in enums.SEIZURE_SCALE_INCOMES for r in resources),
        "savings": bool(file and file.savings),
        "real_estate": bool(file and file.real_estate) or person.accommodation == "owner",
        "vehicles": bool(file and file.vehicles),
        "housing": any(c.category in enums.HOUSING_COSTS for c in charges)
        or person.accommodation in {"social_tenant", "private_tenant", "owner"},
        "childcare": any(c.category in {"childcare", "school"} for c in charges),
        "bank_debts": any(d.kind in enums.BANK_DEBTS for d in active_debts),
        "debts": bool(active_debts),
        "court_actions": any(d.court_action != enums.CourtAction.NONE for d in active_debts),
    }


def document_checklist(
    person, file, month: Month | None, debts: list[Debt], household: Household
) -> list[DocumentRow]:
    """The supporting documents that apply to this situation, with their status."""
    conditions = _conditions(person, file, month, debts, household)
    statuses = (file.documents if file else {}) or {}
    rows = []
    for doc in reference.overindebtedness_documents()["documents"]:
        if not conditions.get(doc["when"], False):
            continue
        status = statuses.get(doc["code"], enums.DocumentStatus.MISSING)
        if status not in enums.DocumentStatus.values:
            status = enums.DocumentStatus.MISSING
        rows.append(DocumentRow(doc["code"], doc["label"], doc["section"], status))
    return rows


def latest_budget_month(person: Person, *, user) -> datetime.date | None:
    return (
        Budget.objects.visible_to(user)
        .filter(person_id=person.pk)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
