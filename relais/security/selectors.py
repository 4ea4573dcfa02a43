"""Reads of the security app: break-glass reads for the referent, supervision views."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from relais.accounts.enums import Role
from relais.accounts.models import User
from relais.cases.models import (
    BreakGlassAccess,
    CaseConcern,
    CaseReferent,
    FinancialAid,
    Goal,
    Intervention,
)
from relais.people.enums import IncomeSource
from relais.people.models import HouseholdMember, Person
from relais.policy import rules
from relais.scale.prepared import prepared
from relais.security.models import SupervisionShare

BREAK_GLASS_HOME_DAYS = 30
BREAK_GLASS_HOME_LIMIT = 20


def break_glass_reads_of_my_cases(
    *, user, days: int = BREAK_GLASS_HOME_DAYS, limit: int = BREAK_GLASS_HOME_LIMIT
) -> list[BreakGlassAccess]:
    """Break-glass reads of the cases the user is a referent of (one prepared query: the
    home page of every worker asks it)."""
    org = rules.organisation_id(user)
    if org is None or not rules.has_role(user, rules.CASEWORK_ROLES):
        return []
    since = timezone.now() - datetime.timedelta(days=days)
    return _break_glass_reads(shape={"limit": limit}, org=org, user=user.pk, since=since)


@prepared
def _break_glass_reads(p, *, limit: int):
    my_cases = CaseReferent.objects.filter(organisation_id=p.org, user_id=p.user).values("case_id")
    return (
        BreakGlassAccess.objects.filter(
            organisation_id=p.org, case_id__in=my_cases, created_at__gte=p.since
        )
        .exclude(user_id=p.user)
        .select_related("user", "user__membership", "case", "case__person")
        .order_by("-created_at")[:limit]
    )


def supervisors_of(organisation_id: int):
    return User.objects.filter(
        membership__organisation_id=organisation_id,
        membership__role=Role.SUPERVISOR,
        membership__is_active=True,
        is_active=True,
    ).order_by("last_name", "first_name")


def supervision_shares_of_case(*, case) -> list[SupervisionShare]:
    return list(
        SupervisionShare.objects.filter(organisation_id=case.organisation_id, case=case)
        .select_related("supervisor", "shared_by")
        .order_by("-created_at")
    )


def supervision_shares_for(*, user) -> list[SupervisionShare]:
    """The supervisor's active shares, with what the list shows (one query)."""
    return list(
        SupervisionShare.objects.visible_to(user)
        .select_related("case__person", "shared_by")
        .order_by("-created_at")
    )


# --- The pseudonymised view -----------------------------------------------------------

AGE_BANDS = [
    (0, 18, "moins de 18 ans"),
    (18, 25, "18 à 24 ans"),
    (25, 35, "25 à 34 ans"),
    (35, 45, "35 à 44 ans"),
    (45, 55, "45 à 54 ans"),
    (55, 65, "55 à 64 ans"),
    (65, 200, "65 ans et plus"),
]


def age_band(age: int | None) -> str:
    if age is None:
        return "âge non renseigné"
    for low, high, label in AGE_BANDS:
        if low <= age < high:
            return label
    return "âge non renseigné"


def initials(person: Person) -> str:
    letters = [name.strip()[0].upper() for name in (person.first_name, person.last_name) if name]
    return ". ".join(letters) + "." if letters else "?"


@dataclass
class PseudonymisedCase:
    """What a supervisor reads: the situation and the course of the support, without
    anything that names or locates the person (no name, contact, employer, free text
    other than the worker's own question)."""

    share: SupervisionShare
    initials: str
    age_band: str
    situation: list[tuple[str, str]]
    household: list[str]
    status: str
    opened: datetime.date
    concerns: list[str]
    interventions: list[Intervention]
    aids: list[FinancialAid]
    goals_total: int = 0
    goals_reached: int = 0
    worker_question: str = ""
    shared_by: str = ""


def _situation(person: Person) -> list[tuple[str, str]]:
    rows = [
        ("Situation familiale", person.get_family_situation_display()),
        ("Hébergement", person.get_accommodation_display()),
        ("Situation professionnelle", person.get_work_situation_display()),
        ("Contrat", person.get_contract_kind_display()),
        ("Temps de travail", person.get_working_time_display()),
        ("Mesure de protection", person.get_legal_protection_display()),
        (
            "Revenus",
            ", ".join(
                str(IncomeSource(code).label)
                for code in person.income_sources or []
                if code in IncomeSource.values
            ),
        ),
    ]
    return [(label, value) for label, value in rows if value]


def supervision_view(*, share: SupervisionShare) -> PseudonymisedCase:
    """Fixed number of queries whatever the size of the case (the share comes with its case
    and person already joined)."""
    case = share.case
    person = case.person
    org = case.organisation_id
    household = []
    if person.household_id:
        members = HouseholdMember.objects.filter(
            organisation_id=org, household_id=person.household_id
        )
        household = [
            f"{member.get_relation_display()} ({age_band(_age(member.birth_date))})"
            for member in members
        ]
    concerns = list(
        CaseConcern.objects.filter(organisation_id=org, case=case)
        .select_related("concern")
        .values_list("concern__label", flat=True)
    )
    interventions = list(
        Intervention.objects.filter(organisation_id=org, case=case)
        .only("kind", "occurred_at", "duration_minutes")
        .order_by("-occurred_at")[:100]
    )
    aids = list(
        FinancialAid.objects.filter(organisation_id=org, case=case)
        .only("kind", "status", "amount_requested", "amount_granted", "requested_on")
        .order_by("-requested_on")
    )
    goals = Goal.objects.filter(organisation_id=org, plan__case=case).aggregate(
        total=Count("pk"), reached=Count("pk", filter=Q(status="reached"))
    )
    return PseudonymisedCase(
        share=share,
        initials=initials(person),
        age_band=age_band(person.age()),
        situation=_situation(person),
        household=household,
        status=case.get_status_display(),
        opened=case.opened_on.replace(day=1),
        concerns=concerns,
        interventions=interventions,
        aids=aids,
        goals_total=goals["total"],
        goals_reached=goals["reached"],
        worker_question=share.question,
        shared_by=share.shared_by.display_name,
    )


def _age(birth_date: datetime.date | None) -> int | None:
    if birth_date is None:
        return None
    today = timezone.localdate()
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
