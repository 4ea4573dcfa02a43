"""The statistics queries run side by side (relais.stats.parallel).

Side by side needs committed data (other connections never see a transaction's writes):
these tests use transactional databases, and check that inside a transaction (every
other test of the statistics) the queries run one after the other, in the caller's
thread, on its connection.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import override_settings

from relais.accounts.models import Organisation
from relais.stats import selectors
from relais.stats.parallel import run_side_by_side
from relais.stats.selectors import TABLE_KEYS, Config, Scope, statistics_tables
from tests import factories
from tests.stats.population import YEAR_2025, build_population

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's synchronized snapshots"
)


def thread_name() -> str:
    return threading.current_thread().name


def meet(barrier: threading.Barrier):
    """A call that returns only once ``barrier``'s other parties have come too."""

    def call():
        barrier.wait(timeout=10)
        return thread_name()

    return call


@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=2)
def test_calls_run_at_the_same_time_in_two_threads():
    # Two calls that each wait for the other: they finish only if they overlap.
    barrier = threading.Barrier(2)
    names = run_side_by_side([meet(barrier), meet(barrier)], using="default")
    assert thread_name() in names
    assert any(name.startswith("relais-stats") for name in names)


@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=2)
def test_the_callers_execute_wrappers_see_the_helpers_queries():
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append((thread_name(), sql))
        return execute(sql, params, many, context)

    barrier = threading.Barrier(2)

    def count():
        barrier.wait(timeout=10)
        return Organisation.objects.count()

    with connection.execute_wrapper(spy):
        assert run_side_by_side([count, count], using="default") == [0, 0]
    counts = [(name, sql) for name, sql in seen if "accounts_organisation" in sql]
    assert {name.startswith("relais-stats") for name, _ in counts} == {True, False}


@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=3)
def test_results_come_back_in_the_order_of_the_calls():
    results = run_side_by_side(
        [lambda n=n: (n, Organisation.objects.count()) for n in range(7)], using="default"
    )
    assert results == [(n, 0) for n in range(7)]


@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=2)
def test_inside_a_transaction_calls_run_one_after_the_other_on_its_connection():
    with transaction.atomic():
        factories.OrganisationFactory()  # uncommitted: another connection would miss it
        results = run_side_by_side(
            [lambda: (thread_name(), Organisation.objects.count())] * 3, using="default"
        )
    assert results == [(thread_name(), 1)] * 3


@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=1)
def test_one_connection_means_one_after_the_other():
    assert run_side_by_side([thread_name, thread_name], using="default") == [thread_name()] * 2


@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=2)
def test_an_error_in_one_call_is_raised_once_the_other_call_has_finished():
    both_started, finished = threading.Barrier(2), []

    def fail():
        both_started.wait(timeout=10)
        raise ValueError("boom")

    def other():
        both_started.wait(timeout=10)
        finished.append(Organisation.objects.count())

    with pytest.raises(ValueError, match="boom"):
        run_side_by_side([fail, other], using="default")
    assert finished == [0]


@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=3)
def test_side_by_side_the_tables_are_those_computed_one_after_the_other(organisation, alice, bob):
    population = build_population(organisation, alice, bob)
    scope = Scope(organisation_id=population.organisation.pk, period=YEAR_2025)
    side_by_side = statistics_tables(scope=scope, config=Config(), keys=TABLE_KEYS)
    with override_settings(STATISTICS_PARALLEL_QUERIES=1):
        one_by_one = statistics_tables(scope=scope, config=Config(), keys=TABLE_KEYS)
    assert list(side_by_side) == list(TABLE_KEYS)
    assert side_by_side == one_by_one
    assert side_by_side["activite"].rows[0].values == {"count": 9, "persons": 8}


def test_every_builder_has_its_place_in_the_longest_first_order():
    builders = [build for build, _ in selectors._BUILDERS]
    assert sorted(selectors._LONGEST_FIRST, key=builders.index) == builders


@postgresql_only
@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=2)
def test_every_call_reads_the_snapshot_of_the_start_of_the_report():
    factories.OrganisationFactory()
    committed = threading.Event()

    def commit_another_organisation():
        # Committed by a third connection once the report has started.
        def create():
            try:
                factories.OrganisationFactory(name="Arrivée pendant le rapport")
            finally:
                connections.close_all()

        writer = threading.Thread(target=create)
        writer.start()
        writer.join()
        committed.set()
        return Organisation.objects.count()

    def count_after_the_commit():
        assert committed.wait(timeout=10)
        return Organisation.objects.count()

    counts = run_side_by_side(
        [commit_another_organisation, count_after_the_commit], using="default"
    )
    assert counts == [1, 1]
    assert Organisation.objects.count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
@override_settings(STATISTICS_PARALLEL_QUERIES=3)
def test_the_helpers_connections_are_closed_when_the_report_is_done():
    def backends() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            return cursor.fetchone()[0]

    before = backends()
    barrier = threading.Barrier(3)
    run_side_by_side([meet(barrier)] * 3, using="default")
    # A backend leaves pg_stat_activity a moment after its client has disconnected.
    for _ in range(100):
        if backends() == before:
            break
        time.sleep(0.05)
    assert backends() == before
