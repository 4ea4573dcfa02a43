"""Interventions by kind: the two shapes of the query give the same figures.

SQLite groups by kind (with the real total of persons in a subquery), PostgreSQL keeps one
conditional aggregate per kind and measure; both shapes run here on each database and must
give the figures of the conditional aggregation the table was first computed with.
"""

import datetime

from django.db.models import Count, Q, Sum

from relais.cases.enums import InterventionKind
from relais.stats.selectors import (
    Category,
    Config,
    Period,
    Scope,
    _aggregate,
    _interventions_filtered,
    _interventions_grouped,
    _interventions_measured,
    _scoped_interventions,
    statistics_tables,
)
from tests import factories

YEAR = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
KINDS = [Category(value, label, Q(kind=value)) for value, label in InterventionKind.choices]


def at(month, day, hour=10):
    return datetime.datetime(2025, month, day, hour, tzinfo=datetime.UTC)


def conditional_aggregation(scope):
    """The former query: every kind and measure as a filtered aggregate, in one pass."""
    measures = {
        "count": lambda c: Count("pk", filter=c),
        "minutes": lambda c: Sum("duration_minutes", filter=c),
        "persons": lambda c: Count("case__person", filter=c, distinct=True),
    }
    return _aggregate(_scoped_interventions(scope), {"k": KINDS}, measures)["k"]


def both_shapes(scope):
    """Each shape's (rows, total); they must agree with the former query."""
    interventions = _scoped_interventions(scope)
    grouped = _interventions_grouped(scope, interventions, KINDS)
    filtered = _interventions_filtered(interventions, KINDS)
    assert grouped == filtered == conditional_aggregation(scope)
    return grouped


def build(organisation, alice):
    def intervention(case, kind, when, minutes):
        factories.InterventionFactory(
            case=case, author=alice, kind=kind, occurred_at=when, duration_minutes=minutes
        )

    p1, p2, p3, p4 = (
        factories.PersonFactory(organisation=organisation, last_name=name)
        for name in ("Un", "Deux", "Trois", "Quatre")
    )
    # P1 has two cases: office and phone in the first, office and a home visit in the second.
    c1a = factories.CaseFactory(person=p1, opened_on=datetime.date(2024, 1, 1))
    c1b = factories.CaseFactory(person=p1, opened_on=datetime.date(2025, 3, 1))
    intervention(c1a, "office", at(1, 10), 45)
    intervention(c1a, "phone", at(2, 10), 15)
    intervention(c1b, "office", at(3, 10), 60)
    intervention(c1b, "home_visit", at(4, 10), 90)
    # P2: three office interviews (one of no recorded time) and a letter.
    c2 = factories.CaseFactory(person=p2, opened_on=datetime.date(2024, 6, 1))
    intervention(c2, "office", at(5, 10), 30)
    intervention(c2, "office", at(6, 10), 30)
    intervention(c2, "office", at(7, 10), 0)
    intervention(c2, "correspondence", at(8, 10), 10)
    # P3: a phone call in the year, an office interview in 2024 (not counted).
    c3 = factories.CaseFactory(person=p3, opened_on=datetime.date(2024, 6, 1))
    intervention(c3, "phone", at(9, 10), 20)
    intervention(c3, "office", datetime.datetime(2024, 12, 1, 10, tzinfo=datetime.UTC), 60)
    # P4: only a kind that is no longer in the list: in the totals, in no row.
    c4 = factories.CaseFactory(person=p4, opened_on=datetime.date(2024, 6, 1))
    intervention(c4, "legacy_kind", at(10, 10), 25)


def test_grouped_by_kind_gives_the_conditional_aggregations_figures(organisation, alice):
    build(organisation, alice)
    scope = Scope(organisation.pk, YEAR)
    measured, total = both_shapes(scope)
    assert (measured, total) == _interventions_measured(scope, KINDS)
    by_kind = dict(zip((c.key for c in KINDS), measured, strict=True))
    # Office: P1 (twice, two cases) and P2 (three times) = 5 interventions, 2 persons.
    assert by_kind["office"] == {"count": 5, "minutes": 165, "persons": 2}
    assert by_kind["phone"] == {"count": 2, "minutes": 35, "persons": 2}
    assert by_kind["home_visit"] == {"count": 1, "minutes": 90, "persons": 1}
    assert by_kind["video"] == {"count": 0, "minutes": 0, "persons": 0}
    # 4 + 4 + 1 + 1 = 10 interventions in 2025, 45+15+60+90+30+30+0+10+20+25 = 325
    # minutes, 4 persons (P1 once although she had three kinds in two cases), not the sum
    # of the rows (2 + 2 + 1 + 1 = 6).
    assert total == {"count": 10, "minutes": 325, "persons": 4}


def test_grouped_by_kind_follows_the_scope(organisation, alice, bob):
    build(organisation, alice)
    team = factories.TeamFactory(organisation=organisation)
    mine = factories.CaseFactory(
        person=factories.PersonFactory(organisation=organisation),
        opened_on=datetime.date(2025, 1, 1),
        team=team,
        referent=bob,
    )
    factories.InterventionFactory(
        case=mine, author=bob, kind="office", occurred_at=at(11, 3), duration_minutes=40
    )
    for scope in (
        Scope(organisation.pk, YEAR, team_id=team.pk),
        Scope(organisation.pk, YEAR, referent_id=bob.pk),
    ):
        assert both_shapes(scope)[1] == {"count": 1, "minutes": 40, "persons": 1}
    # Another organisation's interventions never count; an empty period gives zeros.
    nothing = {"count": 0, "minutes": 0, "persons": 0}
    assert both_shapes(Scope(factories.OrganisationFactory().pk, YEAR))[1] == nothing
    empty = Period(datetime.date(2000, 1, 1), datetime.date(2000, 12, 31))
    assert both_shapes(Scope(organisation.pk, empty)) == ([nothing] * len(KINDS), nothing)


def test_the_table_shows_the_grouped_figures(organisation, alice):
    build(organisation, alice)
    scope = Scope(organisation.pk, YEAR)
    table = statistics_tables(scope=scope, config=Config(), keys=["interventions-type"])[
        "interventions-type"
    ]
    assert [row.key for row in table.rows] == [c.key for c in KINDS]
    assert table.total.values == {"count": 10, "minutes": 325, "persons": 4}
