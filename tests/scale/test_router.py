import copy

import pytest
from django.conf import settings
from django.test import override_settings

from relais.cases.models import Intervention
from relais.people.models import Person
from relais.scale.routers import REPLICA_ALIAS, ReplicaRouter, replica_reads, use_replica

# The router reads settings.DATABASES only; no connection to the fake replica is opened.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def with_replica():
    databases = copy.deepcopy(settings.DATABASES)
    databases[REPLICA_ALIAS] = copy.deepcopy(databases["default"])
    return override_settings(DATABASES=databases)


class FakeStatsModel:
    class _meta:
        app_label = "stats"


def test_without_a_replica_the_router_changes_nothing():
    router = ReplicaRouter()
    assert router.db_for_read(FakeStatsModel) is None
    assert router.db_for_write(FakeStatsModel) is None
    with replica_reads():
        assert router.db_for_read(Intervention) is None
        assert Intervention.objects.all().db == "default"


def test_reads_of_the_stats_app_go_to_the_replica_when_configured():
    with with_replica():
        router = ReplicaRouter()
        assert router.db_for_read(FakeStatsModel) == REPLICA_ALIAS
        assert router.db_for_write(FakeStatsModel) == "default"
        assert router.db_for_read(Person) is None  # other apps: the primary


def test_statistics_reads_of_other_apps_tables_go_to_the_replica_inside_the_block():
    with with_replica():
        assert Intervention.objects.all().db == "default"
        with replica_reads():
            assert Intervention.objects.all().db == REPLICA_ALIAS
            assert Person.objects.filter(last_name="x").db == REPLICA_ALIAS
        assert Intervention.objects.all().db == "default"


def test_a_decorated_view_reads_from_the_replica():
    seen = []

    @use_replica
    def statistics_view(request):
        seen.append(Intervention.objects.all().db)
        return "page"

    with with_replica():
        assert statistics_view(None) == "page"
    assert seen == [REPLICA_ALIAS]
    assert Intervention.objects.all().db == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_write_transaction_stay_on_the_primary():
    from django.db import transaction

    with with_replica(), replica_reads(), transaction.atomic():
        assert Intervention.objects.all().db == "default"


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA_ALIAS, "cases") is False
    assert router.allow_migrate("default", "cases") is None


def test_statistics_pages_ask_for_the_replica(client, manager, monkeypatch):
    """The stats views run inside replica_reads(): with a replica configured, their reads
    of the cases tables go there. (Here none is: the spy only records the flag.)"""
    from django.urls import reverse

    from relais.scale import routers

    seen = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append((model._meta.app_label, routers._replica_reads.get()))
        return original(self, model, **hints)

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    client.force_login(manager)
    assert client.get(reverse("stats:index")).status_code == 200
    assert ("cases", True) in seen
    seen.clear()
    client.get(reverse("cases:caseload"))
    assert all(not flag for _, flag in seen)
