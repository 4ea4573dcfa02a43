"""A stolen database or media folder reveals nothing of the documents."""

from django.core.files.storage import default_storage
from django.db import connection

from relais.crypto import keyring
from relais.documents import services
from relais.documents.models import Document
from relais.documents.validation import InspectedFile
from tests import factories
from tests.documents.files import pdf_bytes

SECRET = "Loyer impaye de Madame Zorglub"


def _upload(alice, person, content, name="avis-expulsion-zorglub.pdf"):
    return services.document_upload(
        by=alice,
        person=person,
        file=InspectedFile(content, "application/pdf", "pdf", name),
        kind="housing",
        title="Commandement de payer Zorglub",
    )


def test_the_stored_file_is_ciphertext_under_a_random_name(alice, _media):
    person = factories.PersonFactory(organisation=alice.membership.organisation)
    factories.CaseFactory(person=person, referent=alice)
    content = pdf_bytes(SECRET)
    document = _upload(alice, person, content)

    files = [p for p in _media.rglob("*") if p.is_file()]
    assert len(files) == 1
    raw = files[0].read_bytes()
    assert SECRET.encode() not in raw and b"%PDF" not in raw
    assert "zorglub" not in str(files[0]).lower() and "expulsion" not in str(files[0])
    assert files[0].suffix == ".bin"
    assert keyring.decrypt_bytes(raw) == content
    with default_storage.open(document.storage_name, "rb") as handle:
        assert handle.read() == raw


def test_the_database_row_holds_no_clear_name_or_title(alice):
    person = factories.PersonFactory(organisation=alice.membership.organisation)
    document = _upload(alice, person, pdf_bytes(SECRET))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, original_name, fingerprint FROM documents_document WHERE id = %s",
            [document.pk],
        )
        title, original_name, fingerprint = cursor.fetchone()
        cursor.execute("SELECT key FROM documents_fingerprintkey")
        (stored_key,) = cursor.fetchone()
    assert "Zorglub" not in title and title.startswith("rx1:")
    assert "zorglub" not in original_name and original_name.startswith("rx1:")
    assert stored_key.startswith("rx1:")
    # The fingerprint is keyed: a plain SHA-256 of a known file does not find it.
    import hashlib

    assert fingerprint != hashlib.sha256(pdf_bytes(SECRET)).hexdigest()
    assert Document.objects.get(pk=document.pk).title == "Commandement de payer Zorglub"


def test_fingerprints_differ_between_organisations(alice, charlie):
    mine = _upload(
        alice, factories.PersonFactory(organisation=alice.membership.organisation), pdf_bytes()
    )
    theirs = _upload(
        charlie, factories.PersonFactory(organisation=charlie.membership.organisation), pdf_bytes()
    )
    assert mine.fingerprint != theirs.fingerprint


def test_deleting_a_document_removes_its_file(alice, _media, django_capture_on_commit_callbacks):
    person = factories.PersonFactory(organisation=alice.membership.organisation)
    document = _upload(alice, person, pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(by=alice, document=document)
    assert not Document.objects.exists()
    assert not [p for p in _media.rglob("*") if p.is_file()]
