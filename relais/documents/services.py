"""Writes on documents, each in a transaction with its audit row."""

import base64
import datetime
import hashlib
import hmac
import os

from django.db import IntegrityError, transaction

from relais.audit.log import record_change, snapshot
from relais.documents.models import Document, DocumentTag, DocumentTagLink, FingerprintKey
from relais.documents.storage import delete_stored, store_encrypted
from relais.documents.validation import InspectedFile

FOLDER = "documents"


class DuplicateDocument(Exception):
    def __init__(self, existing: Document):
        super().__init__("Ce document a déjà été déposé pour cette personne.")
        self.existing = existing


def _fingerprint_key(organisation_id: int) -> bytes:
    row = FingerprintKey.objects.filter(organisation_id=organisation_id).first()
    if row is None:
        try:
            with transaction.atomic():
                row = FingerprintKey.objects.create(
                    organisation_id=organisation_id,
                    key=base64.b64encode(os.urandom(32)).decode(),
                )
        except IntegrityError:
            row = FingerprintKey.objects.get(organisation_id=organisation_id)
    return base64.b64decode(row.key)


def fingerprint(organisation_id: int, data: bytes) -> str:
    """HMAC-SHA256 of the plaintext under the organisation's secret."""
    return hmac.new(_fingerprint_key(organisation_id), data, hashlib.sha256).hexdigest()


def _tags(organisation_id: int, names: list[str]) -> list[DocumentTag]:
    tags = []
    for name in names:
        tag = DocumentTag.objects.filter(organisation_id=organisation_id, name__iexact=name).first()
        if tag is None:
            tag = DocumentTag.objects.create(organisation_id=organisation_id, name=name)
        tags.append(tag)
    return tags


@transaction.atomic
def document_upload(
    *,
    by,
    person,
    case=None,
    file: InspectedFile,
    kind: str,
    title: str,
    document_date: datetime.date | None = None,
    tags: list[str] = (),
) -> Document:
    """File a checked upload on the person (and case), encrypted at rest.

    Refuses a file already held for this person (same fingerprint), naming the copy held.
    """
    organisation_id = person.organisation_id
    digest = fingerprint(organisation_id, file.data)
    existing = (
        Document.objects.filter(organisation_id=organisation_id, person=person, fingerprint=digest)
        .select_related("case")
        .first()
    )
    if existing is not None:
        raise DuplicateDocument(existing)
    storage_name = store_encrypted(organisation_id=organisation_id, folder=FOLDER, data=file.data)
    try:
        document = _create(
            by=by,
            person=person,
            case=case,
            file=file,
            kind=kind,
            title=title,
            document_date=document_date,
            tags=list(tags),
            digest=digest,
            storage_name=storage_name,
        )
    except Exception:
        delete_stored(storage_name)
        raise
    return document


def _create(*, by, person, case, file, kind, title, document_date, tags, digest, storage_name):
    organisation_id = person.organisation_id
    document = Document.objects.create(
        organisation_id=organisation_id,
        person=person,
        case=case,
        kind=kind,
        title=title,
        original_name=file.original_name,
        document_date=document_date,
        content_type=file.content_type,
        extension=file.extension,
        size=len(file.data),
        fingerprint=digest,
        storage_name=storage_name,
        uploaded_by=by,
    )
    DocumentTagLink.objects.bulk_create(
        [
            DocumentTagLink(organisation_id=organisation_id, document=document, tag=tag)
            for tag in _tags(organisation_id, list(tags))
        ]
    )
    record_change(
        user=by,
        verb="document_upload",
        obj=document,
        after={**snapshot(document), "tags": sorted(tags)},
    )
    return document


@transaction.atomic
def document_delete(*, by, document: Document) -> None:
    """Remove a document filed by mistake: its row and its stored file."""
    before = snapshot(document)
    storage_name = document.storage_name
    record_change(user=by, verb="document_delete", obj=document, before=before, after=None)
    document.delete()
    transaction.on_commit(lambda: delete_stored(storage_name))
