"""A small hand-made population whose figures are worked out by hand in the tests.

Period: the year 2025 (1 January to 31 December), ages on 31 December 2025.

Persons (F woman, M man, - not recorded):

    person  sex  born        age  family         work           contract        employer
    P1      F    1995-12-31  30   single         at_work        cdi             E1 Transports
    P2      F    1996-01-01  29   married        sick_leave     cdi             E1
    P3      M    1985-06-15  40   single_parent  at_work        cdd             E1
    P4      M    1984-02-29  41   divorced       work_accident  cdi             E2 Mairie (FPT)
    P5      F    1974-07-01  51   widowed        at_work        civil_servant   E2   (not in file)
    P6      F    2007-03-01  18   single         -              apprenticeship  E1
    P7      -    -           -    -              -              -               -
    P8      F    1980-03-14  45   pacs           at_work        cdi             E2   (not in file)
    P9      M    1960-01-01  65   married        retired        -               -
    P10     F    1990-10-10  35   cohabiting     at_work        cdi             E1

Cases (team, referent):

    C1  P1   opened 2024-11-10, open                                    T1 alice
    C2  P1   opened 2025-03-01, closed 2025-06-30 goals_reached         T1 bob
    C3  P2   opened 2025-02-01, open                                    T1 alice
    C4  P3   opened 2023-05-01, closed 2025-01-01 person_ended          T2 bob
    C5  P4   opened 2025-12-31, open                                    T2 bob
    C6  P5   opened 2024-01-01, closed 2024-12-31 (before the period)   T2 bob
    C7  P6   opened 2025-09-01, open                                    T1 alice
    C8  P7   opened 2025-04-04, closed 2025-11-30 no_contact            T2 bob
    C9  P8   opened 2026-01-01 (after the period)                       T2 bob
    C10 P9   opened 2022-01-01, open                                    T2 bob
    C11 P10  opened 2025-07-07, closed 2025-12-31 goals_reached         T1 alice

Referrals to partners: see REFERRALS below. Plus, in another organisation, one person with
a case and an interview in 2025 (never counted here).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from relais.accounts.enums import EmployerKind
from relais.cases.enums import AidStatus
from relais.cases.models import CaseConcern, CaseReferent
from relais.stats.selectors import Period
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
YEAR_2025 = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def paris(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=PARIS)


@dataclass
class Population:
    organisation: object
    alice: object
    bob: object
    t1: object
    t2: object
    e1: object
    e2: object
    persons: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    concerns: dict = field(default_factory=dict)


PERSONS = {
    # key: (sex, birth, family, work, contract, employer)
    "P1": ("f", "1995-12-31", "single", "at_work", "cdi", "e1"),
    "P2": ("f", "1996-01-01", "married", "sick_leave", "cdi", "e1"),
    "P3": ("m", "1985-06-15", "single_parent", "at_work", "cdd", "e1"),
    "P4": ("m", "1984-02-29", "divorced", "work_accident", "cdi", "e2"),
    "P5": ("f", "1974-07-01", "widowed", "at_work", "civil_servant", "e2"),
    "P6": ("f", "2007-03-01", "single", "", "apprenticeship", "e1"),
    "P7": ("", None, "", "", "", None),
    "P8": ("f", "1980-03-14", "pacs", "at_work", "cdi", "e2"),
    "P9": ("m", "1960-01-01", "married", "retired", "", None),
    "P10": ("f", "1990-10-10", "cohabiting", "at_work", "cdi", "e1"),
}

CASES = {
    # key: (person, opened, closed, reason, team, referent)
    "C1": ("P1", "2024-11-10", None, "", "t1", "alice"),
    "C2": ("P1", "2025-03-01", "2025-06-30", "goals_reached", "t1", "bob"),
    "C3": ("P2", "2025-02-01", None, "", "t1", "alice"),
    "C4": ("P3", "2023-05-01", "2025-01-01", "person_ended", "t2", "bob"),
    "C5": ("P4", "2025-12-31", None, "", "t2", "bob"),
    "C6": ("P5", "2024-01-01", "2024-12-31", "goals_reached", "t2", "bob"),
    "C7": ("P6", "2025-09-01", None, "", "t1", "alice"),
    "C8": ("P7", "2025-04-04", "2025-11-30", "no_contact", "t2", "bob"),
    "C9": ("P8", "2026-01-01", None, "", "t2", "bob"),
    "C10": ("P9", "2022-01-01", None, "", "t2", "bob"),
    "C11": ("P10", "2025-07-07", "2025-12-31", "goals_reached", "t1", "alice"),
}

REQUESTS = [
    # (person, origin, received_on, case it led to, worker it is given to)
    ("P1", "person", "2025-01-15", None, None),
    ("P2", "occupational_doctor", "2025-02-01", "C3", "alice"),
    ("P2", "occupational_doctor", "2025-08-01", None, None),
    ("P3", "hr", "2025-03-03", None, None),
    ("P7", "person", "2025-04-01", None, "bob"),  # waiting, given to Bob
    ("P8", "person", "2025-12-31", None, None),
    ("P5", "occupational_doctor", "2025-06-06", None, None),
    ("P9", "person", "2024-12-31", None, None),  # before the period
    ("P10", "partner", "2026-01-01", None, None),  # after the period
]

INTERVENTIONS = [
    # (case, kind, minutes, when in Paris time)
    ("C1", "office", 45, "2025-01-10 10:00"),
    ("C1", "office", 60, "2025-03-10 14:00"),
    ("C3", "phone", 15, "2025-02-02 09:00"),
    ("C4", "home_visit", 90, "2025-01-01 00:30"),  # 23:30 UTC on 31/12/2024: in 2025
    ("C7", "office", 30, "2025-12-31 23:30"),  # 22:30 UTC: still 2025
    ("C10", "phone", 20, "2026-01-01 00:15"),  # 23:15 UTC on 31/12/2025: NOT 2025
    ("C11", "video", 40, "2025-07-08 11:00"),
    ("C2", "phone", 10, "2025-04-01 16:00"),
    ("C6", "office", 60, "2024-12-31 23:59"),  # before the period
]

CASE_CONCERNS = [
    ("C1", "dettes"),
    ("C1", "saisie"),
    ("C2", "dettes"),
    ("C3", "expulsion"),
    ("C3", "budget"),
    ("C4", "sante"),
    ("C6", "dettes"),  # case not in the file active
    ("C9", "expulsion"),  # case not in the file active
    ("C10", "saisie"),
    ("C10", "expulsion"),
]

AIDS = [
    # (case, kind, requested, granted, status, requested_on)
    ("C1", "emergency_grant", "300", "250", AidStatus.GRANTED, "2025-02-10"),
    ("C3", "loan", "1000", None, AidStatus.REFUSED, "2025-03-01"),
    ("C3", "emergency_grant", "200", None, AidStatus.UNDER_REVIEW, "2025-11-01"),
    ("C10", "emergency_grant", "150", "150", AidStatus.GRANTED, "2025-05-05"),
    ("C6", "loan", "500", None, AidStatus.UNDER_REVIEW, "2024-12-01"),  # before the period
]


REFERRALS = [
    # (case, partner, sent_on, status, decision)
    ("C1", "caf", "2025-02-01", "granted", "granted"),
    ("C3", "caf", "2025-03-01", "refused", "refused"),
    ("C3", "secours", "2025-04-01", "in_progress", ""),
    ("C10", "caf", "2025-05-01", "closed", "granted"),  # answered, then closed
    ("C8", "adil", "2025-06-01", "closed", ""),  # closed without an answer
    ("C7", "adil", None, "prepared", ""),  # never sent
    ("C6", "caf", "2024-12-01", "granted", "granted"),  # before the period
]


def build_population(organisation, alice, bob) -> Population:
    t1 = factories.TeamFactory(organisation=organisation, name="Équipe Nord")
    t2 = factories.TeamFactory(organisation=organisation, name="Équipe Sud")
    for user, team in ((alice, t1), (bob, t2)):
        user.membership.team = team
        user.membership.save(update_fields=["team"])
    e1 = factories.EmployerFactory(
        organisation=organisation, name="Transports", kind=EmployerKind.PRIVATE_COMPANY
    )
    e2 = factories.EmployerFactory(organisation=organisation, name="Mairie", kind=EmployerKind.FPT)
    pop = Population(organisation, alice, bob, t1, t2, e1, e2)
    employers = {"e1": e1, "e2": e2, None: None}
    for key, (sex, born, family, work, contract, employer) in PERSONS.items():
        pop.persons[key] = factories.PersonFactory(
            organisation=organisation,
            last_name=f"Xylo{key}",
            sex=sex,
            birth_date=d(born) if born else None,
            family_situation=family,
            work_situation=work,
            contract_kind=contract,
            employer=employers[employer],
        )
    teams = {"t1": t1, "t2": t2}
    referents = {"alice": alice, "bob": bob}
    for key, (person, opened, closed, reason, team, referent) in CASES.items():
        case = factories.CaseFactory(
            person=pop.persons[person],
            opened_on=d(opened),
            closed_on=d(closed) if closed else None,
            status="closed" if closed else "active",
            closing_reason=reason,
            team=teams[team],
        )
        CaseReferent.objects.create(organisation=organisation, case=case, user=referents[referent])
        pop.cases[key] = case
    for person, origin, received, case, assignee in REQUESTS:
        factories.RequestFactory(
            person=pop.persons[person],
            origin=origin,
            received_on=d(received),
            case=pop.cases[case] if case else None,
            assigned_to=referents[assignee] if assignee else None,
            status="converted" if case else "waiting",
        )
    for case, kind, minutes, when in INTERVENTIONS:
        factories.InterventionFactory(
            case=pop.cases[case],
            kind=kind,
            duration_minutes=minutes,
            occurred_at=paris(when),
            author=alice,
        )
    budget = factories.ConcernFactory(
        organisation=organisation, code="budget", label="Budget", position=0
    )
    housing = factories.ConcernFactory(
        organisation=organisation, code="logement", label="Logement", position=1
    )
    health = factories.ConcernFactory(
        organisation=organisation, code="sante", label="Santé", position=2
    )
    pop.concerns = {
        "budget": budget,
        "logement": housing,
        "sante": health,
        "dettes": factories.ConcernFactory(
            organisation=organisation, parent=budget, code="dettes", label="Dettes", position=0
        ),
        "saisie": factories.ConcernFactory(
            organisation=organisation, parent=budget, code="saisie", label="Saisie", position=1
        ),
        "expulsion": factories.ConcernFactory(
            organisation=organisation,
            parent=housing,
            code="expulsion",
            label="Expulsion",
            position=0,
        ),
    }
    for case, concern in CASE_CONCERNS:
        CaseConcern.objects.create(
            organisation=organisation, case=pop.cases[case], concern=pop.concerns[concern]
        )
    for case, kind, requested, granted, status, requested_on in AIDS:
        factories.FinancialAidFactory(
            case=pop.cases[case],
            kind=kind,
            amount_requested=Decimal(requested),
            amount_granted=Decimal(granted) if granted else None,
            status=status,
            requested_on=d(requested_on),
            created_by=alice,
        )
    partners = {
        "caf": factories.PartnerFactory(
            organisation=organisation, name="CAF", kind="social_security"
        ),
        "secours": factories.PartnerFactory(
            organisation=organisation, name="Secours populaire", kind="charity"
        ),
        "adil": factories.PartnerFactory(organisation=organisation, name="ADIL", kind="housing"),
    }
    for case, partner, sent_on, status, decision in REFERRALS:
        factories.ReferralFactory(
            case=pop.cases[case],
            partner=partners[partner],
            prepared_on=d(sent_on) if sent_on else d("2025-07-01"),
            sent_on=d(sent_on) if sent_on else None,
            status=status,
            decision=decision,
            created_by=alice,
        )
    # Another organisation's work, on the same days: never counted.
    stranger = factories.CaseFactory(
        person=factories.PersonFactory(sex="f", birth_date=d("1990-01-01")),
        opened_on=d("2025-01-01"),
    )
    factories.InterventionFactory(case=stranger, occurred_at=paris("2025-06-01 10:00"))
    factories.RequestFactory(person=stranger.person, received_on=d("2025-06-01"))
    return pop
