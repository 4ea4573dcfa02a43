"""Reads on documents, scoped through the policy querysets."""

from django.shortcuts import get_object_or_404

from relais.documents.models import Document


def _listing(user, documents=None):
    if documents is None:
        documents = Document.objects.visible_to(user)
    return documents.select_related("uploaded_by", "case").prefetch_related("tags")


def documents_of_case(user, case) -> list[Document]:
    # The case question is asked once for the case, not probed again for each document.
    return list(_listing(user, Document.objects.in_case_visible_to(user, case)))


def documents_of_person(user, person) -> list[Document]:
    """All the person's documents the user may see: on the person and in visible cases."""
    return list(_listing(user).filter(organisation_id=person.organisation_id, person_id=person.pk))


def document_for(user, public_id) -> Document:
    return get_object_or_404(
        Document.objects.visible_to(user).select_related("person", "case"), public_id=public_id
    )
