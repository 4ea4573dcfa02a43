"""Prepared querysets (relais.scale.prepared): the rows of the queryset they stand for,
compiled once, and loud when used outside their rules."""

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import Count, Prefetch
from django.test.utils import override_settings
from django.utils import timezone

from relais.cases.models import Case, CaseReferent, Goal, Intervention, SupportPlan
from relais.scale.prepared import PreparedQueryMismatch, prepared, set_prefetched
from tests import factories


@pytest.fixture
def case(organisation, alice):
    case = factories.CaseFactory(person__organisation=organisation, referent=alice)
    now = timezone.now()
    for hours in (1, 2, 3):
        factories.InterventionFactory(
            organisation=organisation,
            case=case,
            author=alice,
            occurred_at=now - datetime.timedelta(hours=hours),
        )
    return case


@prepared
def interventions_before(p):
    return (
        Intervention.objects.filter(organisation_id=p.org, case_id=p.case, occurred_at__lt=p.before)
        .select_related("author", "case__person")
        .order_by("-occurred_at", "-pk")
    )


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_it_returns_the_rows_and_related_rows_of_its_queryset(case):
    values = {"org": case.organisation_id, "case": case.pk, "before": timezone.now()}
    expected = list(interventions_before.queryset(**values))
    got = interventions_before(**values)
    assert len(got) == 3
    assert [_fields(row) for row in got] == [_fields(row) for row in expected]
    assert [_fields(row.author) for row in got] == [_fields(row.author) for row in expected]
    assert got[0].case.person.last_name == expected[0].case.person.last_name
    assert all(row._state.adding is False and row._state.db == "default" for row in got)


def test_a_new_value_gives_new_rows_from_the_same_compiled_sql(case, monkeypatch):
    values = {"org": case.organisation_id, "case": case.pk}
    assert len(interventions_before(**values, before=timezone.now())) == 3
    compiles = []
    original = interventions_before._compile
    monkeypatch.setattr(
        interventions_before,
        "_compile",
        lambda *args: compiles.append(args) or original(*args),
    )
    two_hours_ago = timezone.now() - datetime.timedelta(hours=2, minutes=30)
    assert len(interventions_before(**values, before=two_hours_ago)) == 1
    assert interventions_before(**values, before=two_hours_ago - datetime.timedelta(days=1)) == []
    assert compiles == []


def test_annotations_values_lists_and_prefetches_come_as_the_queryset_gives_them(
    case, alice, organisation
):
    plan = factories.SupportPlanFactory(case=case)
    for position in (2, 1):
        factories.GoalFactory(plan=plan, position=position)

    @prepared
    def counted(p):
        return Case.objects.filter(organisation_id=p.org, pk=p.case).annotate(
            n=Count("interventions")
        )

    @prepared
    def dates(p):
        return (
            Intervention.objects.filter(organisation_id=p.org, case_id=p.case)
            .order_by("occurred_at")
            .values_list("pk", "occurred_at")
        )

    @prepared
    def authors(p):
        return (
            Intervention.objects.filter(organisation_id=p.org, case_id=p.case)
            .order_by("pk")
            .values_list("author_id", flat=True)
        )

    @prepared
    def plans(p):
        return SupportPlan.objects.filter(organisation_id=p.org, case_id=p.case).prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("position"))
        )

    ids = {"org": organisation.pk, "case": case.pk}
    assert counted(**ids)[0].n == 3
    assert dates(**ids) == list(dates.queryset(**ids))
    assert isinstance(dates(**ids)[0][1], datetime.datetime)
    assert authors(**ids) == [alice.pk] * 3
    (got,) = plans(**ids)
    assert [goal.position for goal in got.goals.all()] == [1, 2]


def test_dates_datetimes_and_uuids_are_sent_as_the_orm_sends_them(case, organisation):
    @prepared
    def by_public_id(p):
        return Case.objects.filter(
            organisation_id=p.org, public_id=p.public_id, opened_on__lte=p.day
        )

    found = by_public_id(org=organisation.pk, public_id=case.public_id, day=case.opened_on)
    assert [row.pk for row in found] == [case.pk]
    assert (
        by_public_id(
            org=organisation.pk,
            public_id=case.public_id,
            day=case.opened_on - datetime.timedelta(1),
        )
        == []
    )


def test_shapes_are_compiled_apart(case, organisation):
    @prepared
    def latest(p, *, limit):
        return Intervention.objects.filter(organisation_id=p.org, case_id=p.case).order_by(
            "-occurred_at"
        )[:limit]

    ids = {"org": organisation.pk, "case": case.pk}
    assert len(latest(shape={"limit": 1}, **ids)) == 1
    assert len(latest(shape={"limit": 2}, **ids)) == 2
    assert len(latest(shape={"limit": 1}, **ids)) == 1


def test_the_check_finds_a_value_frozen_inside_the_builder(case, organisation):
    @prepared
    def past(p):
        # Wrong on purpose: the moment is computed when the query is compiled, not bound.
        return Intervention.objects.filter(organisation_id=p.org, occurred_at__lte=timezone.now())

    with (
        override_settings(RELAIS_PREPARED_QUERIES_CHECK=True),
        pytest.raises(PreparedQueryMismatch, match="not the queryset it stands for"),
    ):
        past(org=organisation.pk)


def test_the_check_finds_a_builder_that_branches_on_a_value(case, organisation):
    @prepared
    def branching(p):
        queryset = Intervention.objects.filter(organisation_id=p.org)
        # Wrong on purpose: a placeholder is always true, so this filter is always there.
        return queryset.filter(case_id=p.case) if p.case else queryset

    with override_settings(RELAIS_PREPARED_QUERIES_CHECK=True):
        assert len(branching(org=organisation.pk, case=case.pk)) == 3
        with pytest.raises(PreparedQueryMismatch):
            branching(org=organisation.pk, case=0)


def test_values_it_cannot_stand_for_are_refused(case, organisation):
    values = {"org": organisation.pk, "case": case.pk}
    with pytest.raises(ValueError, match="IS NULL"):
        interventions_before(**values, before=None)
    with pytest.raises(TypeError, match="plain values"):
        interventions_before(**values, before=[timezone.now()])
    with pytest.raises(TypeError, match="plain values"):
        interventions_before(org=organisation.pk, case=case, before=timezone.now())
    with pytest.raises(TypeError, match="needs a value for 'before'"):
        interventions_before(**values)


def test_it_refuses_to_lock_rows(organisation):
    @prepared
    def locked(p):
        return Case.objects.select_for_update().filter(organisation_id=p.org)

    with pytest.raises(TypeError, match="select_for_update"):
        locked(org=organisation.pk)


@pytest.mark.django_db(transaction=True)
def test_another_thread_runs_it_on_its_own_connection(organisation, alice):
    case = factories.CaseFactory(person__organisation=organisation, referent=alice)
    factories.InterventionFactory(organisation=organisation, case=case, author=alice)
    values = {"org": organisation.pk, "case": case.pk, "before": timezone.now()}
    assert len(interventions_before(**values)) == 1
    results = []

    def run():
        try:
            results.append(len(interventions_before(**values)))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert results == [1]


def test_prefetched_rows_are_what_the_relation_gives_and_it_still_filters(case, alice, bob):
    CaseReferent.objects.create(organisation=case.organisation, case=case, user=bob)
    links = list(case.referent_links.select_related("user").order_by("pk"))
    fresh = Case.objects.get(pk=case.pk)
    set_prefetched(fresh, "referent_links", links)
    assert [link.user.first_name for link in fresh.referent_links.all()] == ["Alice", "Bob"]
    assert fresh.referent_links.filter(user=bob).count() == 1


def test_a_query_that_asks_for_nothing_returns_nothing(case, organisation):
    @prepared
    def window(p, *, start, stop):
        return Intervention.objects.filter(organisation_id=p.org).order_by("pk")[start:stop]

    assert window(shape={"start": 0, "stop": 0}, org=organisation.pk) == []
    assert len(window(shape={"start": 0, "stop": 2}, org=organisation.pk)) == 2
