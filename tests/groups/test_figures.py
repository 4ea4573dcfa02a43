"""The statistics of collective actions (``relais.stats``, tables "actions-collectives" and
"actions-collectives-theme") on a small dataset whose figures were worked out by hand.

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
attendees 20 + 8 + 35 = 63; minutes 90 + 120 + 60 = 270, i.e. 4.5 h. (Linked persons do
not change the figures: participations are counted by the headcount, without names.)
Team T1: action 1 → 1, 20, 90 min.
Team T2: actions 2, 3 → 2, 43, 180 min.
Company E1: actions 1, 3 → 2, 55, 150 min.
"""

import datetime

import pytest
from django.utils import timezone

from relais.stats.selectors import Config, Period, Scope, statistics_tables
from tests import factories
from tests.groups.factories import GroupActionFactory, ParticipationFactory

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
KEYS = ("actions-collectives", "actions-collectives-theme")


def figures(organisation, start=START, end=END, **filters):
    scope = Scope(organisation_id=organisation.pk, period=Period(start, end), **filters)
    return statistics_tables(scope=scope, config=Config(), keys=KEYS)


def non_zero(table, measure="count"):
    values = {row.label: row.values[measure] for row in table.rows if row.values[measure]}
    return values, table.total.values[measure]


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
    # The level-1 concerns (rows by theme), then one query for both tables.
    with django_assert_num_queries(2):
        tables = figures(organisation)
    by_kind, by_theme = tables["actions-collectives"], tables["actions-collectives-theme"]
    assert non_zero(by_kind) == (
        {"Réunion d'information": 1, "Atelier": 1, "Sortie / activité": 1},
        3,
    )
    assert non_zero(by_theme) == (
        {"Budget, endettement": 1, "Logement, hébergement": 1, "Sans thème": 1},
        3,
    )
    assert non_zero(by_kind, "attendees") == (
        {"Réunion d'information": 20, "Atelier": 8, "Sortie / activité": 35},
        63,
    )
    assert by_kind.total.values["minutes"] == by_theme.total.values["minutes"] == 270
    # Every row of the service's themes is there, unused ones at zero, "Sans thème" last.
    assert by_theme.rows[-1].label == "Sans thème" and by_theme.rows[-1].unknown
    assert len(by_theme.rows) > 3


@pytest.mark.parametrize(
    "scope, held, attendees, minutes",
    [
        ({"team_id": "t1"}, 1, 20, 90),
        ({"team_id": "t2"}, 2, 43, 180),
        ({"employer_id": "e1"}, 2, 55, 150),
        ({"team_id": "t2", "employer_id": "e1"}, 1, 35, 60),
    ],
)
def test_figures_of_a_team_or_a_company(organisation, dataset, scope, held, attendees, minutes):
    table = figures(organisation, **{key: dataset[value].pk for key, value in scope.items()})[
        "actions-collectives"
    ]
    total = table.total.values
    assert (total["count"], total["attendees"], total["minutes"]) == (held, attendees, minutes)


def test_a_period_without_actions_gives_zeros(organisation, dataset):
    tables = figures(organisation, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    for table in tables.values():
        assert table.total.values == {"count": 0, "attendees": 0, "minutes": 0}
        assert all(row.percent is None for row in table.rows)
