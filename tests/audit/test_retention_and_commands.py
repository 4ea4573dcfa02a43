import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from relais.audit import log, retention
from relais.audit.log import record_access
from relais.audit.models import AccessEvent, ChainHead, ChangeEvent, Stream
from relais.audit.verify import verify_all
from tests import factories
from tests.audit import tamper


def _read(user, person, *, days_ago: int, monkeypatch) -> AccessEvent:
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    monkeypatch.setattr(log.timezone, "now", lambda: moment)
    event = record_access(user=user, organisation_id=person.organisation_id, obj=person)
    monkeypatch.undo()
    return event


@pytest.fixture
def year_of_reads(alice, organisation, monkeypatch):
    """Five reads older than a year, then two recent ones."""
    person = factories.PersonFactory(organisation=organisation)
    for days_ago in (500, 450, 420, 400, 380, 30, 1):
        _read(alice, person, days_ago=days_ago, monkeypatch=monkeypatch)
    return person


def _run(*args) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_verify_reports_intact_chains(year_of_reads, organisation):
    output = _run("verify")
    assert "Vérification du journal d'audit" in output
    assert f"{organisation.name} · Consultations : 7 ligne(s) (n° 1 à 7) : intègre" in output
    assert "Résultat : 1 chaîne(s) intègre(s)." in output


def test_verify_fails_with_a_non_zero_status_on_a_tampered_row(year_of_reads):
    row = AccessEvent.objects.order_by("seq")[2]
    tamper.execute("UPDATE audit_accessevent SET ip = '10.0.0.9' WHERE id = %s", [row.pk])
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify", stdout=out)
    assert error.value.returncode == 1
    assert "1 chaîne(s) rompue(s)" in str(error.value)
    assert "ROMPUE" in out.getvalue()
    assert "n° 3 : contenu modifié" in out.getvalue()


def test_verify_can_check_one_organisation(year_of_reads, charlie, other_organisation):
    record_access(user=charlie, organisation_id=other_organisation.pk, object_type="x")
    output = _run("verify", "--organisation", str(other_organisation.public_id))
    assert other_organisation.name in output
    assert "7 ligne(s)" not in output


def test_purge_removes_what_is_older_than_a_year_and_verification_still_passes(
    year_of_reads, organisation
):
    output = _run("purge")
    assert f"{organisation.name} : 5 ligne(s) purgée(s) (n° 1 à 5)" in output
    assert list(AccessEvent.objects.order_by("seq").values_list("seq", flat=True)) == [6, 7]
    head = ChainHead.objects.get(organisation=organisation, stream=Stream.ACCESS)
    assert head.anchor_seq == 5
    assert all(report.ok for report in verify_all())
    assert "intègre" in _run("verify")


def test_the_purge_logs_what_it_purged(year_of_reads, organisation):
    _run("purge")
    event = ChangeEvent.objects.get(organisation=organisation, verb="access_log_purge")
    assert event.before["rows"] == 5
    assert (event.before["first_seq"], event.before["last_seq"]) == (1, 5)
    assert event.object_id == "1-5"


def test_the_purge_works_in_batches_each_logged(year_of_reads, organisation):
    reports = retention.purge_access_log(batch=2)
    assert reports[0].rows == 5 and reports[0].batches == 3
    assert ChangeEvent.objects.filter(verb="access_log_purge").count() == 3
    assert all(report.ok for report in verify_all())


def test_a_dry_run_deletes_nothing(year_of_reads):
    output = _run("purge", "--dry-run")
    assert "5 ligne(s) à purger" in output
    assert AccessEvent.objects.count() == 7
    assert not ChangeEvent.objects.filter(verb="access_log_purge").exists()


def test_tampering_after_a_purge_is_still_detected(year_of_reads):
    _run("purge")
    first_kept = AccessEvent.objects.order_by("seq").first()
    tamper.execute("DELETE FROM audit_accessevent WHERE id = %s", [first_kept.pk])
    assert not all(report.ok for report in verify_all())


def test_purge_with_an_explicit_date(year_of_reads):
    cutoff = (timezone.localdate() - datetime.timedelta(days=410)).isoformat()
    _run("purge", "--before", cutoff)
    assert AccessEvent.objects.count() == 4  # 500, 450, 420 days purged


def test_an_unknown_organisation_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Service introuvable"):
        _run("verify", "--organisation", "pas-un-uuid")


# --- PostgreSQL: the database itself refuses edits ------------------------------------


@pytest.fixture
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("Les déclencheurs d'ajout seul n'existent que sur PostgreSQL.")


def _refused(sql, params=()):
    refused = r"ajouts|recule|ancre|supprime"
    with (
        pytest.raises(DatabaseError, match=refused),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_postgresql_refuses_a_direct_update_of_the_access_log(postgresql_only, year_of_reads):
    row = AccessEvent.objects.first()
    _refused("UPDATE audit_accessevent SET reason = 'x' WHERE id = %s", [row.pk])


def test_postgresql_refuses_a_direct_delete_of_the_access_log(postgresql_only, year_of_reads):
    _refused("DELETE FROM audit_accessevent")
    assert AccessEvent.objects.count() == 7


def test_postgresql_refuses_edits_of_the_change_log(postgresql_only, year_of_reads):
    with transaction.atomic():
        log.record_change(user=None, verb="x", obj=year_of_reads, after={"a": 1})
    _refused("UPDATE audit_changeevent SET verb = 'y'")
    _refused("DELETE FROM audit_changeevent")


def test_postgresql_refuses_to_rewind_a_chain_head(postgresql_only, year_of_reads):
    _refused("UPDATE audit_chainhead SET last_seq = last_seq - 1")
    _refused("UPDATE audit_chainhead SET anchor_seq = 3")
    _refused("DELETE FROM audit_chainhead")


def test_postgresql_orm_delete_is_refused_too(postgresql_only, year_of_reads):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all().delete()
