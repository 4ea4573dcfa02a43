"""Demo budgets: a household's budget over two months, its debts, an over-indebtedness file.

Budgets go to the demo's existing cases (the first three, by opening date). When the demo
has no case yet, one example person with a household and a case is created so that the
budget pages can be tried.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from relais.accounts.enums import Role
from relais.accounts.models import Membership, Organisation
from relais.budget import enums, services
from relais.budget.models import Budget
from relais.cases import services as case_services
from relais.cases.models import Case, CaseReferent
from relais.people import services as person_services
from relais.people.models import HouseholdMember

D = Decimal

# (kind, category, amount, holder) — a couple with two children, the person works part-time.
HOUSEHOLD_LINES = [
    ("resource", "salary", D("1420.00"), "person"),
    ("resource", "salary", D("980.00"), "partner"),
    ("resource", "family_benefits", D("148.52"), "household"),
    ("resource", "housing_benefit", D("212.00"), "household"),
    ("charge", "rent", D("745.00"), "household"),
    ("charge", "rental_charges", D("95.00"), "household"),
    ("charge", "energy", D("128.00"), "household"),
    ("charge", "water", D("32.00"), "household"),
    ("charge", "home_insurance", D("19.50"), "household"),
    ("charge", "health_insurance", D("86.00"), "household"),
    ("charge", "phone_internet", D("54.99"), "household"),
    ("charge", "transport", D("140.00"), "person"),
    ("charge", "school", D("62.00"), "household"),
    ("charge", "credit", D("189.00"), "household"),
    ("charge", "food", D("620.00"), "household"),
    ("charge", "hygiene", D("60.00"), "household"),
]
SINGLE_LINES = [
    ("resource", "daily_allowance", D("1104.00"), "person"),
    ("resource", "housing_benefit", D("236.00"), "person"),
    ("charge", "rent", D("560.00"), "household"),
    ("charge", "energy", D("74.00"), "household"),
    ("charge", "phone_internet", D("29.99"), "household"),
    ("charge", "health_insurance", D("48.00"), "household"),
    ("charge", "debt_plan", D("80.00"), "household"),
    ("charge", "food", D("280.00"), "household"),
]


def _example_case(organisation: Organisation, worker) -> Case:
    person = person_services.person_create(
        by=worker,
        last_name="Exemple-Budget",
        civility="mme",
        first_name="Samia",
        birth_date=datetime.date(1986, 4, 12),
        job_title="Agente de quai",
    )
    person_services.person_update_situation(
        by=worker,
        person=person,
        family_situation="married",
        accommodation="social_tenant",
        work_situation="at_work",
    )
    for first_name, relation, birth_date, dependent in [
        ("Karim", "spouse", datetime.date(1983, 9, 3), False),
        ("Inès", "child", datetime.date(2011, 6, 20), True),
        ("Yanis", "child", datetime.date(2018, 1, 15), True),
    ]:
        person_services.household_member_add(
            by=worker,
            person=person,
            relation=relation,
            first_name=first_name,
            birth_date=birth_date,
            is_dependent=dependent,
        )
    person.refresh_from_db()
    return case_services.case_open(
        by=worker,
        person=person,
        opened_on=timezone.localdate() - datetime.timedelta(days=60),
    )


def _referent(case: Case):
    link = CaseReferent.objects.filter(organisation_id=case.organisation_id, case=case).first()
    return link.user if link else None


def _lines(budget, lines, person):
    partner = HouseholdMember.objects.filter(
        organisation_id=person.organisation_id, household_id=person.household_id, relation="spouse"
    ).first()
    for kind, category, amount, holder in lines:
        member = None
        if holder == "partner":
            if partner is None:
                continue
            holder, member = enums.Holder.MEMBER, partner
        yield kind, category, amount, holder, member


@transaction.atomic
def create_demo_budgets(organisation: Organisation) -> int:
    """Budgets for up to three cases of the demo organisation (idempotent). Returns how many."""
    cases = list(
        Case.objects.filter(organisation=organisation)
        .exclude(status="closed")
        .select_related("person")
        .order_by("opened_on", "id")[:3]
    )
    if not cases:
        worker = (
            Membership.objects.filter(organisation=organisation, role=Role.SOCIAL_WORKER)
            .select_related("user")
            .order_by("user__email")
            .first()
        )
        if worker is None:
            return 0
        cases = [_example_case(organisation, worker.user)]
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    created = 0
    for index, case in enumerate(cases):
        person, worker = case.person, _referent(case)
        if worker is None or Budget.objects.filter(person=person).exists():
            continue
        plan = HOUSEHOLD_LINES if index % 2 == 0 else SINGLE_LINES
        first = services.budget_create(by=worker, person=person, month=last_month)
        for kind, category, amount, holder, member in _lines(first, plan, person):
            services.budget_line_add(
                by=worker,
                budget=first,
                kind=kind,
                category=category,
                amount=amount,
                holder=holder,
                member=member,
            )
        services.budget_create(by=worker, person=person, month=this_month, copy_from=first)
        created += 2
        if index == 0:
            _debts_and_file(worker, person)
    return created


def _debts_and_file(worker, person):
    services.debt_create(
        by=worker,
        person=person,
        creditor="Sofinco",
        kind=enums.DebtKind.CONSUMER_CREDIT,
        amount_owed=D("6240.00"),
        monthly_payment=D("189.00"),
        arrears=D("567.00"),
        status=enums.DebtStatus.UNPAID,
        court_action=enums.CourtAction.PAYMENT_ORDER,
        court_action_on=timezone.localdate() - datetime.timedelta(days=20),
        has_document=True,
        notes="Trois échéances impayées depuis l'arrêt maladie du printemps.",
    )
    services.debt_create(
        by=worker,
        person=person,
        creditor="Gironde Habitat",
        kind=enums.DebtKind.RENT,
        amount_owed=D("1490.00"),
        monthly_payment=None,
        arrears=D("1490.00"),
        status=enums.DebtStatus.UNPAID,
        court_action=enums.CourtAction.FORMAL_NOTICE,
        court_action_on=None,
        has_document=False,
        notes="Deux loyers résiduels impayés ; un plan d'apurement est à proposer au bailleur.",
    )
    services.debt_create(
        by=worker,
        person=person,
        creditor="Engie",
        kind=enums.DebtKind.ENERGY,
        amount_owed=D("312.40"),
        monthly_payment=None,
        arrears=D("312.40"),
        status=enums.DebtStatus.UNPAID,
        court_action=enums.CourtAction.NONE,
        court_action_on=None,
        has_document=True,
        notes="",
    )
    services.overindebtedness_file_save(
        by=worker,
        person=person,
        joint_filing=True,
        documents={"identity": "received", "tax_notice": "received", "payslips": "received"},
        savings=D("120.00"),
        vehicles="Clio de 2012, valeur estimée 2 500 €.",
        causes="Arrêt maladie de Madame au printemps, puis fin de mission de Monsieur.",
    )
