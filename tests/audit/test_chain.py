import pytest
from django.db import transaction

from relais.audit.log import record_access, record_change, snapshot
from relais.audit.models import AccessEvent, ChangeEvent
from relais.audit.verify import verify_all
from relais.crypto import keyring
from tests import factories
from tests.audit import tamper


@pytest.fixture
def logged(alice, organisation):
    person = factories.PersonFactory(organisation=organisation)
    for _ in range(3):
        record_access(user=alice, organisation_id=organisation.pk, obj=person)
    with transaction.atomic():
        before = snapshot(person)
        person.city = "Bordeaux"
        person.save()
        record_change(
            user=alice, verb="person_update", obj=person, before=before, after=snapshot(person)
        )
    return person


def test_a_clean_chain_verifies(logged):
    assert all(report.ok for report in verify_all())


def test_an_edited_access_row_is_detected(logged):
    row = AccessEvent.objects.order_by("seq")[1]
    tamper.execute("UPDATE audit_accessevent SET user_id = NULL WHERE id = %s", [row.pk])
    problems = [p for r in verify_all() for p in r.problems]
    assert any("contenu modifié" in p for p in problems)


def test_a_deleted_access_row_is_detected(logged):
    row = AccessEvent.objects.order_by("seq")[1]
    tamper.execute("DELETE FROM audit_accessevent WHERE id = %s", [row.pk])
    problems = [p for r in verify_all() for p in r.problems]
    assert any("manquant" in p for p in problems)


def test_an_edited_change_row_is_detected(logged):
    event = ChangeEvent.objects.get(verb="person_update")
    tamper.execute(
        "UPDATE audit_changeevent SET verb = 'person_view' WHERE id = %s",
        [event.pk],
    )
    problems = [p for r in verify_all() for p in r.problems]
    assert any("contenu modifié" in p for p in problems)


def test_deleting_the_last_rows_and_rewinding_the_head_is_detected_by_the_rehash(logged):
    last = AccessEvent.objects.order_by("-seq").first()
    tamper.execute("DELETE FROM audit_accessevent WHERE id = %s", [last.pk])
    problems = [p for r in verify_all() for p in r.problems]
    assert any("s'arrête" in p for p in problems)


def test_a_forged_row_inserted_in_the_middle_is_detected(logged, alice, organisation):
    second = AccessEvent.objects.order_by("seq")[1]
    tamper.execute(
        "UPDATE audit_accessevent SET prev_hash = %s WHERE id = %s",
        ["f" * 64, second.pk],
    )
    problems = [p for r in verify_all() for p in r.problems]
    assert any("chaînage rompu" in p for p in problems)


def test_a_deleted_chain_head_is_reported(logged):
    tamper.execute("DELETE FROM audit_chainhead", ())
    reports = verify_all()
    assert reports and not all(r.ok for r in reports)
    assert any("tête de chaîne absente" in p for r in reports for p in r.problems)


def test_a_change_keeps_only_what_changed(logged):
    event = ChangeEvent.objects.get(verb="person_update")
    assert event.after == {"city": "Bordeaux"}
    assert event.person_id == logged.pk


@pytest.mark.django_db(transaction=True)
def test_a_change_outside_a_transaction_is_refused():
    alice = factories.UserFactory()
    person = factories.PersonFactory()
    with pytest.raises(RuntimeError):
        record_change(user=alice, verb="x", obj=person, after=snapshot(person))


def test_encrypted_fields_stay_encrypted_in_the_change_log(alice):
    note = factories.NoteFactory(body="secret du jour")
    with transaction.atomic():
        record_change(user=alice, verb="note_add", obj=note, after=snapshot(note))
    event = ChangeEvent.objects.get(verb="note_add")
    assert event.after["body"].startswith(keyring.PREFIX)
    assert keyring.decrypt(event.after["body"]) == "secret du jour"


def test_a_batch_of_reads_is_chained_like_single_reads(alice, organisation):
    from relais.audit.log import record_accesses

    persons = [factories.PersonFactory(organisation=organisation) for _ in range(3)]
    record_access(user=alice, organisation_id=organisation.pk, obj=persons[0])
    events = record_accesses(
        user=alice,
        organisation_id=organisation.pk,
        objects=[(person, None) for person in persons],
        action="api",
    )
    assert [e.seq for e in events] == [2, 3, 4]
    assert {e.person_id for e in events} == {p.pk for p in persons}
    assert all(report.ok for report in verify_all())
