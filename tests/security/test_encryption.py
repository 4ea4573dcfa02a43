import pytest
from django.db import connection

from relais.cases.models import Note
from relais.crypto import keyring
from relais.crypto.models import DataKey
from tests import factories


def _raw_body(note_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_note WHERE id = %s", [note_id])
        return cursor.fetchone()[0]


def test_a_note_is_not_readable_from_the_raw_database(db):
    note = factories.NoteFactory(body="Violences conjugales évoquées, plainte déposée.")
    raw = _raw_body(note.pk)
    assert raw.startswith(keyring.PREFIX)
    assert "plainte" not in raw
    assert Note.objects.get(pk=note.pk).body == "Violences conjugales évoquées, plainte déposée."


def test_each_organisation_has_its_own_key(db):
    note_a = factories.NoteFactory()
    note_b = factories.NoteFactory()
    assert note_a.organisation_id != note_b.organisation_id
    key_a = int.from_bytes(__import__("base64").urlsafe_b64decode(_raw_body(note_a.pk)[4:])[:8])
    key_b = int.from_bytes(__import__("base64").urlsafe_b64decode(_raw_body(note_b.pk)[4:])[:8])
    assert key_a != key_b


def test_plaintext_cannot_reach_an_encrypted_column_by_update(db):
    note = factories.NoteFactory()
    with pytest.raises(ValueError):
        Note.objects.filter(pk=note.pk).update(body="en clair")
    with pytest.raises(ValueError):
        Note.objects.filter(body="x").count()


def test_data_keys_are_stored_wrapped(db):
    note = factories.NoteFactory()
    key_row = DataKey.objects.get(organisation=note.organisation)
    assert len(bytes(key_row.wrapped_key)) == 12 + 32 + 16  # nonce + key + tag


def test_a_new_data_key_keeps_old_notes_readable(db):
    note = factories.NoteFactory(body="avant rotation")
    keyring.create_data_key(note.organisation_id)
    newer = factories.NoteFactory(case=note.case, body="après rotation")
    keyring.forget_cached_keys()
    assert Note.objects.get(pk=note.pk).body == "avant rotation"
    assert Note.objects.get(pk=newer.pk).body == "après rotation"
    assert _raw_body(note.pk)[:16] != _raw_body(newer.pk)[:16]
