"""Drafting a report from what the case already holds: one entry, many outputs.

Each section of a template names a rule here. A rule reads the case's structured data
(never its notes: those are the worker's to quote or not) and writes Markdown the worker
then corrects. Rules write nothing they do not know: an empty result leaves the section
for the worker.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch
from django.utils import timezone

from relais.cases import enums as case_enums
from relais.cases.models import (
    Action,
    Case,
    FinancialAid,
    Goal,
    Intervention,
    Request,
    SupportPlan,
)
from relais.people import enums as people_enums

HEALTH_RELATED_SITUATIONS = {
    people_enums.WorkSituation.SICK_LEAVE,
    people_enums.WorkSituation.LONG_SICK_LEAVE,
    people_enums.WorkSituation.WORK_ACCIDENT,
    people_enums.WorkSituation.THERAPEUTIC_PART_TIME,
    people_enums.WorkSituation.DISABILITY,
    people_enums.WorkSituation.UNFIT,
}
MARKDOWN_SPECIALS = "\\`*_[]<>#|"


def md(value) -> str:
    """A value from the database, written so that Markdown shows it as typed."""
    text = str(value or "")
    for char in MARKDOWN_SPECIALS:
        text = text.replace(char, "\\" + char)
    return text


def fr_date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def euros(amount) -> str:
    return f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def age_on(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    if birth_date is None:
        return None
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


@dataclass
class InterventionSummary:
    kind_label: str
    count: int
    first: datetime.datetime
    last: datetime.datetime


@dataclass
class CaseFacts:
    """What a case holds, fetched in a fixed number of queries."""

    case: Case
    today: datetime.date
    members: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    concerns: list = field(default_factory=list)
    referents: list = field(default_factory=list)
    interventions: list[InterventionSummary] = field(default_factory=list)
    plan: SupportPlan | None = None
    aids: list = field(default_factory=list)

    @property
    def person(self):
        return self.case.person


def case_facts(case: Case) -> CaseFacts:
    case = (
        Case.objects.select_related(
            "person", "person__employer", "person__establishment", "person__household"
        )
        .prefetch_related("concerns", "referents")
        .get(pk=case.pk, organisation_id=case.organisation_id)
    )
    facts = CaseFacts(case=case, today=timezone.localdate())
    person = case.person
    if person.household_id:
        facts.members = list(person.household.members.order_by("birth_date", "id"))
    facts.requests = list(
        Request.objects.filter(organisation_id=case.organisation_id, case=case)
        .prefetch_related("concerns")
        .order_by("received_on", "id")
    )
    facts.concerns = list(case.concerns.all())
    facts.referents = list(case.referents.all())
    labels = dict(case_enums.InterventionKind.choices)
    facts.interventions = [
        InterventionSummary(
            labels.get(row["kind"], row["kind"]), row["n"], row["first"], row["last"]
        )
        for row in Intervention.objects.filter(organisation_id=case.organisation_id, case=case)
        .values("kind")
        .annotate(n=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("-n", "kind")
    ]
    facts.plan = (
        SupportPlan.objects.filter(organisation_id=case.organisation_id, case=case)
        .prefetch_related(
            Prefetch("goals", Goal.objects.order_by("position", "id")),
            Prefetch("goals__actions", Action.objects.order_by("due_on", "id")),
        )
        .order_by("-started_on", "-id")
        .first()
    )
    facts.aids = list(
        FinancialAid.objects.filter(organisation_id=case.organisation_id, case=case).order_by(
            "requested_on", "id"
        )
    )
    return facts


# --- The rules -------------------------------------------------------------------------


def _request(facts: CaseFacts) -> str:
    parts = []
    for request in facts.requests:
        line = (
            f"Demande reçue le {fr_date(request.received_on)} ({md(request.get_origin_display())}"
        )
        line += f", {md(request.get_channel_display().lower())})."
        if request.urgency != case_enums.Urgency.NORMAL:
            line += f" Urgence : {md(request.get_urgency_display().lower())}."
        parts.append(line)
        if request.summary:
            parts.append(md(request.summary))
    if facts.concerns:
        parts.append("Motifs : " + ", ".join(md(c.label) for c in facts.concerns) + ".")
    return "\n\n".join(parts)


def _member_line(member, today: datetime.date) -> str:
    name = " ".join(filter(None, [member.first_name, member.last_name])) or "Sans nom indiqué"
    details = [member.get_relation_display().lower()]
    age = age_on(member.birth_date, today)
    if age is not None:
        details.append(f"{age} an{'s' if age > 1 else ''}")
    if member.is_hosted:
        details.append("hébergé·e")
    if member.is_dependent:
        details.append("à charge")
    return f"- {md(name)} : {md(', '.join(details))}"


def _household(facts: CaseFacts) -> str:
    person = facts.person
    parts = []
    intro = md(person.full_name)
    age = age_on(person.birth_date, facts.today)
    if age is not None:
        intro += f", {age} ans"
    if person.family_situation:
        intro += f", {md(person.get_family_situation_display().lower())}"
    parts.append(intro + ".")
    if facts.members:
        count = len(facts.members) + 1
        parts.append(
            f"Le foyer compte {count} personnes :\n\n"
            + "\n".join(_member_line(m, facts.today) for m in facts.members)
        )
    else:
        parts.append("La personne vit seule.")
    if person.legal_protection and person.legal_protection != people_enums.LegalProtection.NONE:
        parts.append(f"Mesure de protection : {md(person.get_legal_protection_display())}.")
    return "\n\n".join(parts)


def _work(facts: CaseFacts) -> str:
    person = facts.person
    lines = []
    if person.employer_id:
        place = person.employer.name
        if person.establishment_id:
            place += f" ({person.establishment.name})"
        lines.append(f"Employeur : {md(place)}.")
    if person.job_title:
        lines.append(f"Poste : {md(person.job_title)}.")
    contract = ", ".join(
        md(label)
        for label in [person.get_contract_kind_display(), person.get_working_time_display()]
        if label
    )
    if contract:
        lines.append(f"Contrat : {contract}.")
    if person.hired_on:
        lines.append(f"Dans l'entreprise depuis le {fr_date(person.hired_on)}.")
    if person.work_situation:
        line = f"Situation : {md(person.get_work_situation_display())}"
        if person.work_situation_since:
            line += f" depuis le {fr_date(person.work_situation_since)}"
        lines.append(line + ".")
    return "\n\n".join(lines)


def _resources(facts: CaseFacts) -> str:
    labels = dict(people_enums.IncomeSource.choices)
    sources = [labels.get(code, code) for code in facts.person.income_sources or []]
    if not sources:
        return ""
    return "Sources de revenus : " + ", ".join(md(s) for s in sources) + "."


def _housing(facts: CaseFacts) -> str:
    person = facts.person
    if not person.accommodation:
        return ""
    line = f"Hébergement : {md(person.get_accommodation_display())}"
    if person.city:
        line += f", à {md(person.city)}"
    return line + "."


def _health(facts: CaseFacts) -> str:
    """Only the work consequence (an absence and its start), never a diagnosis."""
    person = facts.person
    if person.work_situation not in HEALTH_RELATED_SITUATIONS:
        return ""
    line = f"{md(person.get_work_situation_display())}"
    if person.work_situation_since:
        line += f" depuis le {fr_date(person.work_situation_since)}"
    return line + "."


def _pathway(facts: CaseFacts) -> str:
    case = facts.case
    line = f"Accompagnement ouvert le {fr_date(case.opened_on)}"
    if facts.referents:
        line += " ; référent·e : " + ", ".join(md(u.display_name) for u in facts.referents)
    parts = [line + "."]
    if facts.interventions:
        rows = []
        for item in facts.interventions:
            when = (
                f"le {fr_date(item.first)}"
                if fr_date(item.first) == fr_date(item.last)
                else f"du {fr_date(item.first)} au {fr_date(item.last)}"
            )
            rows.append(f"- {md(item.kind_label)} : {item.count} ({when})")
        parts.append("Interventions :\n\n" + "\n".join(rows))
    if facts.aids:
        rows = []
        for aid in facts.aids:
            row = f"- {md(aid.get_kind_display())}, {md(aid.funder)} : "
            row += f"{euros(aid.amount_requested)} demandés le {fr_date(aid.requested_on)}"
            row += f" — {md(aid.get_status_display().lower())}"
            if aid.amount_granted is not None:
                row += f" ({euros(aid.amount_granted)} accordés)"
            rows.append(row)
        parts.append("Aides financières :\n\n" + "\n".join(rows))
    return "\n\n".join(parts)


def _plan(facts: CaseFacts) -> str:
    plan = facts.plan
    if plan is None:
        return ""
    rows = []
    for goal in plan.goals.all():
        rows.append(f"- « {md(goal.person_words)} » ({md(goal.get_status_display().lower())})")
        for action in goal.actions.all():
            due = f", pour le {fr_date(action.due_on)}" if action.due_on else ""
            owner = md(action.get_owner_display().lower())
            rows.append(f"    - {md(action.description)} ({owner}{due})")
    if not rows:
        return ""
    return (
        f"Objectifs définis avec la personne (plan du {fr_date(plan.started_on)}) :\n\n"
        + "\n".join(rows)
    )


def _summary(facts: CaseFacts) -> str:
    return "\n\n".join(part for part in [_household(facts), _work(facts), _housing(facts)] if part)


def _minors(facts: CaseFacts) -> str:
    rows = []
    for member in facts.members:
        age = age_on(member.birth_date, facts.today)
        if member.relation != "child" or age is None or age >= 18:
            continue
        name = " ".join(
            filter(None, [member.first_name, member.last_name or facts.person.last_name])
        )
        rows.append(f"- {md(name)}, né·e le {fr_date(member.birth_date)} ({age} ans)")
    return "\n".join(rows)


def _parents(facts: CaseFacts) -> str:
    person = facts.person
    line = md(person.full_name)
    address = " ".join(filter(None, [person.address, person.postal_code, person.city]))
    if address:
        line += f", {md(address)}"
    parts = [line + "."]
    spouses = [m for m in facts.members if m.relation == "spouse"]
    for spouse in spouses:
        name = " ".join(filter(None, [spouse.first_name, spouse.last_name])) or "nom non indiqué"
        parts.append(f"Conjoint·e au foyer : {md(name)}.")
    if person.legal_protection and person.legal_protection != people_enums.LegalProtection.NONE:
        parts.append(f"Mesure de protection : {md(person.get_legal_protection_display())}.")
    return "\n\n".join(parts)


def _letter(facts: CaseFacts) -> str:
    return (
        "Madame, Monsieur,\n\n\n\n"
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."
    )


RULES: dict[str, Callable[[CaseFacts], str]] = {
    "request": _request,
    "household": _household,
    "work": _work,
    "resources": _resources,
    "housing": _housing,
    "health": _health,
    "pathway": _pathway,
    "plan": _plan,
    "summary": _summary,
    "minors": _minors,
    "parents": _parents,
    "letter": _letter,
}


def prefill_sections(template, facts: CaseFacts) -> dict[str, str]:
    return {
        section["key"]: RULES[section["prefill"]](facts) if section.get("prefill") else ""
        for section in template.sections
    }
