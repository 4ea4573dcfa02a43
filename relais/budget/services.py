"""Writes of the budget: one function per action, in a transaction, with its audit row.

They assume clean input (forms validate at the edge, in French) and refuse impossible
states (a month that is not a first day, a line of another organisation).
"""

import datetime
from decimal import Decimal

from django.db import transaction

from relais.audit.log import record_change, snapshot
from relais.budget import enums
from relais.budget.models import (
    Budget,
    BudgetLine,
    BudgetSettings,
    Debt,
    OverindebtednessFile,
)
from relais.people.models import HouseholdMember, Person


class BudgetError(Exception):
    """An action the budget's rules do not allow."""


def _same_organisation(*objects) -> None:
    organisations = {obj.organisation_id for obj in objects if obj is not None}
    if len(organisations) > 1:
        raise BudgetError("Ces éléments n'appartiennent pas au même service.")


# --- Months and lines -----------------------------------------------------------------


@transaction.atomic
def budget_create(
    *, by, person: Person, month: datetime.date, copy_from: Budget | None = None
) -> Budget:
    """Start a month, empty or with the lines of an earlier month (amounts to check)."""
    if month.day != 1:
        raise BudgetError("Un budget commence le premier jour du mois.")
    if copy_from is not None and (copy_from.person_id != person.pk or copy_from.month >= month):
        raise BudgetError("On ne peut reprendre qu'un mois précédent de la même personne.")
    if Budget.objects.filter(
        organisation_id=person.organisation_id, person=person, month=month
    ).exists():
        raise BudgetError("Le budget de ce mois existe déjà.")
    budget = Budget.objects.create(
        organisation_id=person.organisation_id, person=person, month=month, created_by=by
    )
    after = snapshot(budget)
    if copy_from is not None:
        copies = [
            BudgetLine(
                organisation_id=budget.organisation_id,
                budget=budget,
                kind=line.kind,
                category=line.category,
                label=line.label,
                amount=line.amount,
                holder=line.holder,
                member_id=line.member_id,
                debt_id=line.debt_id,
                position=line.position,
            )
            for line in BudgetLine.objects.filter(
                organisation_id=copy_from.organisation_id, budget=copy_from
            ).order_by("kind", "position", "id")
        ]
        BudgetLine.objects.bulk_create(copies)
        after = {**after, "copied_from": copy_from.month.isoformat(), "copied_lines": len(copies)}
    record_change(user=by, verb="budget_create", obj=budget, after=after)
    return budget


def _next_position(budget: Budget, kind: str) -> int:
    last = (
        BudgetLine.objects.filter(organisation_id=budget.organisation_id, budget=budget, kind=kind)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def _check_line(budget, kind, category, holder, member, debt) -> None:
    if category not in enums.categories_for(kind).values:
        raise BudgetError("Catégorie inconnue pour ce type de ligne.")
    if holder == enums.Holder.MEMBER and member is None:
        raise BudgetError("Indiquez le membre du foyer concerné.")
    if member is not None and member.household_id != budget.person.household_id:
        raise BudgetError("Ce membre ne fait pas partie du foyer.")
    if debt is not None and debt.person_id != budget.person_id:
        raise BudgetError("Cette dette n'est pas celle de la personne.")
    _same_organisation(budget, member, debt)


@transaction.atomic
def budget_line_add(
    *,
    by,
    budget: Budget,
    kind: str,
    category: str,
    amount: Decimal,
    label: str = "",
    holder: str = enums.Holder.HOUSEHOLD,
    member: HouseholdMember | None = None,
    debt: Debt | None = None,
) -> BudgetLine:
    if holder != enums.Holder.MEMBER:
        member = None
    _check_line(budget, kind, category, holder, member, debt)
    line = BudgetLine(
        organisation_id=budget.organisation_id,
        budget=budget,
        kind=kind,
        category=category,
        label=label,
        amount=amount,
        holder=holder,
        member=member,
        debt=debt,
        position=_next_position(budget, kind),
    )
    line.save()
    record_change(user=by, verb="budget_line_add", obj=line, after=snapshot(line))
    return line


@transaction.atomic
def budget_line_update(
    *,
    by,
    line: BudgetLine,
    category: str,
    amount: Decimal,
    label: str = "",
    holder: str = enums.Holder.HOUSEHOLD,
    member: HouseholdMember | None = None,
    debt: Debt | None = None,
) -> BudgetLine:
    if holder != enums.Holder.MEMBER:
        member = None
    _check_line(line.budget, line.kind, category, holder, member, debt)
    before = snapshot(line)
    line.category = category
    line.amount = amount
    line.label = label
    line.holder = holder
    line.member = member
    line.debt = debt
    line.save()
    record_change(user=by, verb="budget_line_update", obj=line, before=before, after=snapshot(line))
    return line


@transaction.atomic
def budget_line_delete(*, by, line: BudgetLine) -> None:
    before = snapshot(line)
    record_change(user=by, verb="budget_line_delete", obj=line, before=before, after=None)
    line.delete()


@transaction.atomic
def budget_note_update(*, by, budget: Budget, note: str) -> Budget:
    before = snapshot(budget, ["note"])
    budget.note = note
    budget.save(update_fields=["note", "updated_at"])
    record_change(
        user=by,
        verb="budget_note_update",
        obj=budget,
        before=before,
        after=snapshot(budget, ["note"]),
    )
    return budget


# --- Debts ----------------------------------------------------------------------------

DEBT_FIELDS = (
    "creditor",
    "kind",
    "amount_owed",
    "monthly_payment",
    "arrears",
    "status",
    "court_action",
    "court_action_on",
    "has_document",
    "notes",
)


def _check_debt(values: dict) -> None:
    owed = values["amount_owed"]
    if owed < 0 or values.get("arrears", 0) < 0 or (values.get("monthly_payment") or 0) < 0:
        raise BudgetError("Les montants d'une dette ne peuvent pas être négatifs.")
    if values.get("arrears", 0) > owed:
        raise BudgetError("Les impayés font partie du montant restant dû.")


@transaction.atomic
def debt_create(*, by, person: Person, **values) -> Debt:
    unknown = set(values) - set(DEBT_FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    _check_debt(values)
    debt = Debt(organisation_id=person.organisation_id, person=person, created_by=by, **values)
    debt.save()
    record_change(user=by, verb="debt_create", obj=debt, after=snapshot(debt))
    return debt


@transaction.atomic
def debt_update(*, by, debt: Debt, **values) -> Debt:
    unknown = set(values) - set(DEBT_FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    before = snapshot(debt)
    for name, value in values.items():
        setattr(debt, name, value)
    _check_debt({name: getattr(debt, name) for name in DEBT_FIELDS})
    debt.save()
    record_change(user=by, verb="debt_update", obj=debt, before=before, after=snapshot(debt))
    return debt


@transaction.atomic
def debt_delete(*, by, debt: Debt) -> None:
    record_change(user=by, verb="debt_delete", obj=debt, before=snapshot(debt), after=None)
    debt.delete()


# --- Settings and over-indebtedness file ---------------------------------------------


@transaction.atomic
def budget_settings_update(*, by, organisation_id: int, divisor: str) -> BudgetSettings:
    if divisor not in enums.Divisor.values:
        raise BudgetError("Diviseur inconnu.")
    row, created = BudgetSettings.objects.select_for_update().get_or_create(
        organisation_id=organisation_id
    )
    before = None if created else snapshot(row)
    row.divisor = divisor
    row.save()
    record_change(
        user=by,
        verb="budget_settings_update",
        obj=row,
        before=before or {"divisor": enums.Divisor.CONSUMPTION_UNITS},
        after=snapshot(row),
    )
    return row


FILE_FIELDS = (
    "joint_filing",
    "documents",
    "savings",
    "real_estate",
    "vehicles",
    "other_assets",
    "causes",
    "sent_on",
)


@transaction.atomic
def overindebtedness_file_save(*, by, person: Person, **values) -> OverindebtednessFile:
    unknown = set(values) - set(FILE_FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    documents = values.get("documents")
    if documents is not None and any(
        status not in enums.DocumentStatus.values for status in documents.values()
    ):
        raise BudgetError("Statut de pièce inconnu.")
    file = (
        OverindebtednessFile.objects.select_for_update()
        .filter(organisation_id=person.organisation_id, person=person)
        .first()
    )
    before = None
    if file is None:
        file = OverindebtednessFile(
            organisation_id=person.organisation_id, person=person, created_by=by
        )
    else:
        before = snapshot(file)
    for name, value in values.items():
        setattr(file, name, value)
    file.save()
    record_change(
        user=by, verb="overindebtedness_file_save", obj=file, before=before, after=snapshot(file)
    )
    return file
