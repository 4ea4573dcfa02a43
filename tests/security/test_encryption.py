import base64 as _b64
import io
import os
import time

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from relais.audit.models import ChangeEvent
from relais.cases.models import Note, Request
from relais.crypto import keyring, rotation
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
    key_a = int.from_bytes(_b64.urlsafe_b64decode(_raw_body(note_a.pk)[4:])[:8])
    key_b = int.from_bytes(_b64.urlsafe_b64decode(_raw_body(note_b.pk)[4:])[:8])
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


# --- Rotation ---------------------------------------------------------------------------

OLD = "test1:" + "A" * 43 + "="


def _new_key(key_id: str) -> str:
    return f"{key_id}:{_b64.urlsafe_b64encode(os.urandom(32)).decode()}"


def _command(*args) -> str:
    out = io.StringIO()
    call_command("crypto", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def notes(db):
    first = factories.NoteFactory(body="Dette de loyer : 2 400 €, plan d'apurement proposé.")
    second = factories.NoteFactory(body="Rendez-vous CAF le 12.")
    return first, second


def test_rotate_master_rewraps_every_data_key_and_data_stays_readable(notes, settings):
    new = _new_key("k2")
    settings.RELAIS_MASTER_KEYS = f"{new},{OLD}"  # new first, old still known
    output = _command("rotate-master")
    assert "2 clé(s) de données ré-enveloppée(s) par la clé k2" in output
    assert "test1" in output  # no longer used: may be retired once backups allow
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"k2"}
    assert ChangeEvent.objects.filter(verb="data_key_rewrap").count() == 2
    settings.RELAIS_MASTER_KEYS = new  # the old master key is gone
    keyring.forget_cached_keys()
    assert Note.objects.get(pk=notes[0].pk).body.startswith("Dette de loyer")
    assert Note.objects.get(pk=notes[1].pk).body == "Rendez-vous CAF le 12."


def test_without_the_right_master_key_nothing_can_be_read(notes, settings):
    settings.RELAIS_MASTER_KEYS = _new_key("k2")
    keyring.forget_cached_keys()
    with pytest.raises(ImproperlyConfigured):
        Note.objects.get(pk=notes[0].pk)
    settings.RELAIS_MASTER_KEYS = "test1:" + _new_key("x").split(":")[1]  # same id, other key
    keyring.forget_cached_keys()
    with pytest.raises(InvalidTag):
        Note.objects.get(pk=notes[0].pk)


def test_rotate_master_is_resumable_and_idempotent(notes, settings):
    settings.RELAIS_MASTER_KEYS = f"{_new_key('k2')},{OLD}"
    assert rotation.rotate_master(batch=1) == 2
    assert rotation.rotate_master() == 0


def test_rotate_master_generates_a_key_in_the_key_file(notes, settings, tmp_path):
    key_file = tmp_path / "master.keys"
    key_file.write_text(OLD + "\n")
    settings.RELAIS_MASTER_KEYS = ""
    settings.RELAIS_MASTER_KEY_FILE = key_file
    output = _command("rotate-master", "--generate")
    lines = key_file.read_text().splitlines()
    assert lines[0].startswith("k2:") and lines[1] == OLD
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert "ré-enveloppée(s) par la clé k2" in output
    keyring.forget_cached_keys()
    assert Note.objects.get(pk=notes[0].pk).body.startswith("Dette")


def test_generate_refuses_when_keys_come_from_the_environment(notes, settings):
    with pytest.raises(CommandError, match="RELAIS_MASTER_KEYS"):
        _command("rotate-master", "--generate")


def test_status_reports_which_master_key_wraps_what(notes, settings):
    output = _command("status")
    assert "test1 : 2 clé(s) de données — configurée" in output
    settings.RELAIS_MASTER_KEYS = _new_key("k9")
    with pytest.raises(CommandError, match="test1"):
        _command("status")


def _key_id_of_row(model, pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return keyring.key_id_of(cursor.fetchone()[0])


def test_rotate_data_key_keeps_old_rows_readable_and_new_rows_use_the_new_key(notes):
    note = notes[0]
    old_key = _key_id_of_row(Note, note.pk, "body")
    output = _command("rotate-data-key", "--organisation", str(note.organisation.public_id))
    assert "Nouvelle clé de données" in output
    newer = factories.NoteFactory(case=note.case, body="Après rotation.")
    new_key = _key_id_of_row(Note, newer.pk, "body")
    assert new_key != old_key
    assert _key_id_of_row(Note, note.pk, "body") == old_key
    keyring.forget_cached_keys()
    assert Note.objects.get(pk=note.pk).body.startswith("Dette de loyer")
    assert ChangeEvent.objects.filter(verb="data_key_rotate").exists()


def test_rotate_data_key_can_reencrypt_existing_rows_in_batches(notes):
    note = notes[0]
    org = note.organisation
    request = factories.RequestFactory(person=note.case.person, summary="Demande urgente.")
    other_org_note = notes[1]
    other_before = _key_id_of_row(Note, other_org_note.pk, "body")
    output = _command(
        "rotate-data-key",
        "--organisation",
        str(org.public_id),
        "--reencrypt",
        "--no-wait",
        "--batch-size",
        "1",
    )
    new_key = DataKey.objects.filter(organisation=org).order_by("-id").first().pk
    assert _key_id_of_row(Note, note.pk, "body") == new_key
    assert _key_id_of_row(Request, request.pk, "summary") == new_key
    assert "cases.Note : 1 valeur(s) réécrite(s)" in output
    assert _key_id_of_row(Note, other_org_note.pk, "body") == other_before  # other tenant
    keyring.forget_cached_keys()
    assert Note.objects.get(pk=note.pk).body.startswith("Dette de loyer")
    assert Request.objects.get(pk=request.pk).summary == "Demande urgente."
    again = rotation.reencrypt_organisation(organisation_id=org.pk)
    assert again.values_rewritten == 0


def test_every_process_follows_a_data_key_rotation_within_the_cache_delay(notes, settings):
    note = notes[0]
    org_id = note.organisation_id
    stale = keyring.current_key_id(org_id)
    newer = keyring.create_data_key(org_id)
    # Another process still remembers the old key, read long enough ago:
    keyring._current_key_id_by_org[org_id] = (stale, time.monotonic())
    assert keyring.key_id_of(keyring.encrypt(org_id, "x")) == stale
    keyring._current_key_id_by_org[org_id] = (
        stale,
        time.monotonic() - settings.RELAIS_DATA_KEY_CACHE_SECONDS - 1,
    )
    assert keyring.key_id_of(keyring.encrypt(org_id, "x")) == newer.pk


def test_encrypted_columns_are_found_across_apps(db):
    found = {model._meta.label: columns for model, columns in rotation.encrypted_columns()}
    assert found["cases.Note"] == ["body"]
    assert found["security.SupervisionShare"] == ["question"]
