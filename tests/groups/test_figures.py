"""group_action_figures on a small dataset whose figures were worked out by hand.

Period: 1 January to 31 March 2026 (local days, Europe/Paris).

  #  status     kind          theme     company team  local start       min  count  linked
  1  held       info meeting  budget    E1      T1    15/01 10:00        90     20  P1, P2
  2  held       workshop      logement  —       T2    10/02 14:00       120      8  P1, P3 absent
  3  held       outing        —         E1      T2    31/03 23:30        60     35  —
  4  planned    info meeting  budget    E1      T1    20/02 10:00        60      —  P4
  5  cancelled  workshop      budget    —       T1    21/02 10:00        60      —  —
  6  held       outing        —         E1      T1    01/04 00:30        60     50  P4
  7  held       workshop      budget    E1      T1    31/12/25 23:30     60     50  P4
  8  held, in another service: budget             15/01 10:00        60     50  —

Whole service: held 3 (one of each kind 1-3); themes budget 1, logement 1, sans thème 1;
attendees 20 + 8 + 35 = 63; minutes 90 + 120 + 60 = 270, i.e. 4.5 h; linked persons
present P1, P2 = 2 (P3 was absent, P4 only in actions outside).
Team T1: action 1 → 1, 20, 90 min (1.5 h), 2 persons.
Team T2: actions 2, 3 → 2, 43, 180 min (3.0 h), 1 person (P1).
Company E1: actions 1, 3 → 2, 55, 150 min (2.5 h), 2 persons.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from relais.groups.selectors import group_action_figures
from tests import factories
from tests.groups.factories import GroupActionFactory, ParticipationFactory

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def dataset(organisation, other_organisation, concerns):
    e1 = factories.EmployerFactory(organisation=organisation, name="E1")
    t1 = factories.TeamFactory(organisation=organisation, name="T1")
    t2 = factories.TeamFactory(organisation=organisation, name="T2")
    p1, p2, p3, p4 = (factories.PersonFactory(organisation=organisation) for _ in range(4))
    budget, logement = concerns["budget"], concerns["logement"]

    def action(status, kind, theme, employer, team, starts_at, minutes, headcount, org=None):
        return GroupActionFactory(
            organisation=org or organisation,
            status=status,
            kind=kind,
            theme=theme,
            employer=employer,
            team=team,
            starts_at=starts_at,
            duration_minutes=minutes,
            headcount=headcount,
        )

    a1 = action("held", "information_meeting", budget, e1, t1, local(2026, 1, 15, 10), 90, 20)
    a2 = action("held", "workshop", logement, None, t2, local(2026, 2, 10, 14), 120, 8)
    action("held", "outing", None, e1, t2, local(2026, 3, 31, 23, 30), 60, 35)
    a4 = action("planned", "information_meeting", budget, e1, t1, local(2026, 2, 20, 10), 60, None)
    action("cancelled", "workshop", budget, None, t1, local(2026, 2, 21, 10), 60, None)
    a6 = action("held", "outing", None, e1, t1, local(2026, 4, 1, 0, 30), 60, 50)
    a7 = action("held", "workshop", budget, e1, t1, local(2025, 12, 31, 23, 30), 60, 50)
    foreign_theme = factories.ConcernFactory(organisation=other_organisation, label="Budget")
    action(
        "held", "workshop", foreign_theme, None, None, local(2026, 1, 15, 10), 60, 50,
        org=other_organisation,
    )  # fmt: skip
    for group_action, person, attended in [
        (a1, p1, True),
        (a1, p2, True),
        (a2, p1, True),
        (a2, p3, False),
        (a4, p4, True),
        (a6, p4, True),
        (a7, p4, True),
    ]:
        ParticipationFactory(group_action=group_action, person=person, attended=attended)
    return {"e1": e1, "t1": t1, "t2": t2}


def test_figures_of_the_whole_service(organisation, dataset, django_assert_num_queries):
    with django_assert_num_queries(4):
        figures = group_action_figures(organisation, START, END)
    assert figures.held == 3
    assert figures.by_kind == {"information_meeting": 1, "workshop": 1, "outing": 1}
    assert figures.by_theme == [
        ("Budget, endettement", 1),
        ("Logement, hébergement", 1),
        ("Sans thème", 1),
    ]
    assert figures.attendees == 63
    assert figures.minutes == 270 and figures.hours == Decimal("4.5")
    assert figures.linked_persons == 2


@pytest.mark.parametrize(
    "scope, held, attendees, minutes, persons",
    [
        ({"team": "t1"}, 1, 20, 90, 2),
        ({"team": "t2"}, 2, 43, 180, 1),
        ({"employer": "e1"}, 2, 55, 150, 2),
        ({"team": "t2", "employer": "e1"}, 1, 35, 60, 0),
    ],
)
def test_figures_of_a_team_or_a_company(
    organisation, dataset, scope, held, attendees, minutes, persons
):
    figures = group_action_figures(
        organisation, START, END, **{key: dataset[value] for key, value in scope.items()}
    )
    assert (figures.held, figures.attendees, figures.minutes, figures.linked_persons) == (
        held,
        attendees,
        minutes,
        persons,
    )


def test_a_period_without_actions_gives_zeros(organisation, dataset):
    figures = group_action_figures(
        organisation, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
    )
    assert (figures.held, figures.attendees, figures.minutes, figures.linked_persons) == (
        0,
        0,
        0,
        0,
    )
    assert figures.by_kind == {} and figures.by_theme == [] and figures.hours == Decimal("0.0")
