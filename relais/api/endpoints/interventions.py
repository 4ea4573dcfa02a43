"""Interventions and notes.

Notes come through ``Note.objects.visible_to``: fact notes for those who see the case,
assessment notes for their author and the colleagues the author named — nobody else.
"""

import datetime
import uuid
from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictInt

from relais.api import refs
from relais.api.endpoints.cases import editable_case
from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    In,
    PageQuery,
    UserRef,
    day_end,
    day_start,
    log_reads,
    public_id,
    require_role,
    user_ref,
)
from relais.api.errors import Forbidden
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate, IsoDateTime, Text
from relais.cases import enums, services
from relais.cases.models import (
    LONG_TEXT_MAX_LENGTH,
    Appointment,
    Case,
    Intervention,
    Note,
    NoteShare,
)
from relais.policy import rules

router = Router(tags=["Interventions et notes"])


class InterventionOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    kind: enums.InterventionKind
    occurred_at: datetime.datetime
    duration_minutes: int
    place: str
    participants: str
    author: UserRef
    concern_ids: list[uuid.UUID] | None = Field(
        description="Null pour les rôles qui ne voient pas les problématiques."
    )
    created_at: datetime.datetime


class NoteOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    intervention_id: uuid.UUID | None
    kind: enums.NoteKind
    body: str
    author: UserRef
    shared_with: list[UserRef] = Field(
        description="Collègues nommés par l'auteur·e (notes d'analyse professionnelle)."
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime


class InterventionQuery(PageQuery):
    sort: Literal["occurred_at", "-occurred_at"] = "-occurred_at"
    case: uuid.UUID | None = Field(None, description="Identifiant de l'accompagnement.")
    kind: enums.InterventionKind | None = None
    occurred_from: IsoDate | None = Field(None, description="À partir du (inclus).")
    occurred_to: IsoDate | None = Field(None, description="Jusqu'au (inclus).")


class NoteQuery(PageQuery):
    sort: Literal["created_at", "-created_at"] = "-created_at"
    case: uuid.UUID | None = Field(None, description="Identifiant de l'accompagnement.")
    intervention: uuid.UUID | None = Field(None, description="Identifiant de l'intervention.")
    kind: enums.NoteKind | None = None


def interventions_for(user):
    require_role(user, rules.CONTENT_ROLES)
    return (
        Intervention.objects.visible_to(user)
        .select_related("case", "author")
        .prefetch_related("concerns")
    )


def intervention_out(i: Intervention, user) -> dict:
    return {
        "id": i.public_id,
        "case_id": i.case.public_id,
        "kind": i.kind,
        "occurred_at": i.occurred_at,
        "duration_minutes": i.duration_minutes,
        "place": i.place,
        "participants": i.participants,
        "author": user_ref(i.author),
        "concern_ids": [c.public_id for c in i.concerns.all()]
        if rules.can_see_concerns(user)
        else None,
        "created_at": i.created_at,
    }


def notes_for(user):
    require_role(user, rules.CONTENT_ROLES)
    return (
        Note.objects.visible_to(user)
        .select_related("case", "intervention", "author")
        .prefetch_related(
            Prefetch("share_links", queryset=NoteShare.objects.select_related("user"))
        )
    )


def note_out(n: Note) -> dict:
    return {
        "id": n.public_id,
        "case_id": n.case.public_id,
        "intervention_id": public_id(n.intervention),
        "kind": n.kind,
        "body": n.body,
        "author": user_ref(n.author),
        "shared_with": [user_ref(link.user) for link in n.share_links.all()],
        "created_at": n.created_at,
        "updated_at": n.updated_at,
    }


@router.get(
    "/interventions",
    response={200: page_of(InterventionOut), **LIST_ERRORS},
    summary="Interventions (entretiens, visites, démarches…)",
)
def list_interventions(request, query: Query[InterventionQuery]):
    qs = interventions_for(request.user)
    if query.case is not None:
        qs = qs.filter(case__public_id=query.case)
    if query.kind is not None:
        qs = qs.filter(kind=query.kind)
    if query.occurred_from is not None:
        qs = qs.filter(occurred_at__gte=day_start(query.occurred_from))
    if query.occurred_to is not None:
        qs = qs.filter(occurred_at__lt=day_end(query.occurred_to))
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"occurred_at": "occurred_at"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [intervention_out(i, request.user) for i in rows], "next_cursor": cursor}


@router.get(
    "/interventions/{uuid:intervention_id}",
    response={200: InterventionOut, **DETAIL_ERRORS},
    summary="Une intervention",
)
def get_intervention(request, intervention_id: uuid.UUID):
    row = get_object_or_404(interventions_for(request.user), public_id=intervention_id)
    log_reads(request, [row])
    return intervention_out(row, request.user)


@router.get(
    "/notes",
    response={200: page_of(NoteOut), **LIST_ERRORS},
    summary="Notes",
    description="Les notes de faits des accompagnements que vous voyez, et les notes "
    "d'analyse dont vous êtes l'auteur·e ou que l'auteur·e vous a ouvertes.",
)
def list_notes(request, query: Query[NoteQuery]):
    qs = notes_for(request.user)
    if query.case is not None:
        qs = qs.filter(case__public_id=query.case)
    if query.intervention is not None:
        qs = qs.filter(intervention__public_id=query.intervention)
    if query.kind is not None:
        qs = qs.filter(kind=query.kind)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"created_at": "created_at"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [note_out(n) for n in rows], "next_cursor": cursor}


@router.get("/notes/{uuid:note_id}", response={200: NoteOut, **DETAIL_ERRORS}, summary="Une note")
def get_note(request, note_id: uuid.UUID):
    row = get_object_or_404(notes_for(request.user), public_id=note_id)
    log_reads(request, [row])
    return note_out(row)


# --- Writes -----------------------------------------------------------------------------


class NoteFields(In):
    kind: enums.NoteKind = Field(
        enums.NoteKind.FACT,
        description="fact : lue par qui voit le dossier ; assessment : par l'auteur·e et "
        "les collègues nommés dans shared_with.",
    )
    shared_with: list[uuid.UUID] = Field(default_factory=list, max_length=20)


class NoteIn(NoteFields):
    body: Text(LONG_TEXT_MAX_LENGTH, min_length=1) = Field(
        description="Écrite comme si la personne allait la lire : elle peut la demander."
    )


class NoteUpdateIn(In):
    """Only the fields sent are changed."""

    body: Text(LONG_TEXT_MAX_LENGTH, min_length=1) | None = None
    kind: enums.NoteKind | None = None
    shared_with: list[uuid.UUID] | None = Field(None, max_length=20)


class InterventionIn(In):
    kind: enums.InterventionKind
    occurred_at: IsoDateTime = Field(description="Date et heure, avec le fuseau horaire.")
    duration_minutes: StrictInt = Field(0, ge=0, le=24 * 60)
    place: Text(150) = ""
    participants: Text(250) = Field(
        "", description="Fonction plutôt que nom : « conjointe », « médecin du travail »."
    )
    concern_ids: list[uuid.UUID] = Field(default_factory=list, max_length=30)
    note: NoteIn | None = Field(None, description="La note de l'entretien, s'il y en a une.")
    appointment_id: uuid.UUID | None = Field(
        None, description="Le rendez-vous prévu que cet entretien honore."
    )


def _readers(user, ids):
    return refs.many(refs.colleagues(user), ids, "shared_with")


def _intervention_response(request, pk):
    row = interventions_for(request.user).get(pk=pk)
    log_reads(request, [row])
    return intervention_out(row, request.user)


def _note_response(request, pk):
    row = notes_for(request.user).get(pk=pk)
    log_reads(request, [row])
    return note_out(row)


@router.post(
    "/cases/{uuid:case_id}/interventions",
    response={201: InterventionOut, **WRITE_ERRORS},
    summary="Enregistrer un entretien, une visite, un appel, une démarche…",
    description="Saisi une fois, il alimente la chronologie, les rapports et les "
    "statistiques. Avec `note`, sa note ; avec `appointment_id`, le rendez-vous honoré.",
)
def record_intervention(request, case_id: uuid.UUID, payload: InterventionIn):
    user = request.user
    case = editable_case(user, case_id)
    appointment = refs.one(
        Appointment.objects.visible_to(user).filter(status=enums.AppointmentStatus.PLANNED),
        payload.appointment_id,
        "appointment_id",
    )
    note = payload.note
    intervention = services.intervention_record(
        by=user,
        case=case,
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        duration_minutes=payload.duration_minutes,
        place=payload.place,
        participants=payload.participants,
        concerns=refs.concerns(user, payload.concern_ids),
        note_body=note.body if note else "",
        note_kind=note.kind if note else enums.NoteKind.FACT,
        note_shared_with=_readers(user, note.shared_with) if note else (),
        appointment=appointment,
    )
    return Status(201, _intervention_response(request, intervention.pk))


@router.post(
    "/cases/{uuid:case_id}/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    summary="Ajouter une note",
)
def add_note(request, case_id: uuid.UUID, payload: NoteIn):
    user = request.user
    case = editable_case(user, case_id)
    note = services.note_add(
        by=user,
        case=case,
        body=payload.body,
        kind=payload.kind,
        shared_with=_readers(user, payload.shared_with),
    )
    return Status(201, _note_response(request, note.pk))


@router.patch(
    "/notes/{uuid:note_id}",
    response={200: NoteOut, **WRITE_ERRORS},
    summary="Modifier sa note",
    description="Seul·e l'auteur·e modifie une note ; le journal garde ce qu'elle disait.",
)
def update_note(request, note_id: uuid.UUID, payload: NoteUpdateIn):
    user = request.user
    note = refs.target(notes_for(user), note_id)
    if not (
        rules.can_edit_note(user, note)
        and Case.objects.editable_by(user).filter(pk=note.case_id).exists()
    ):
        raise Forbidden("Seul·e l'auteur·e d'une note peut la modifier.")
    services.note_update(
        by=user,
        note=note,
        body=payload.body,
        kind=payload.kind,
        shared_with=None if payload.shared_with is None else _readers(user, payload.shared_with),
    )
    return _note_response(request, note.pk)
