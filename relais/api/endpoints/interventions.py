"""Interventions and notes.

Notes come through ``Note.objects.visible_to``: fact notes for those who see the case,
assessment notes for their author and the colleagues the author named — nobody else.
"""

import datetime
import uuid
from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    PageQuery,
    UserRef,
    day_end,
    day_start,
    log_reads,
    public_id,
    require_role,
    user_ref,
)
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate
from relais.cases import enums
from relais.cases.models import Intervention, Note, NoteShare
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
    concern_ids: list[uuid.UUID]
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


def intervention_out(i: Intervention) -> dict:
    return {
        "id": i.public_id,
        "case_id": i.case.public_id,
        "kind": i.kind,
        "occurred_at": i.occurred_at,
        "duration_minutes": i.duration_minutes,
        "place": i.place,
        "participants": i.participants,
        "author": user_ref(i.author),
        "concern_ids": [c.public_id for c in i.concerns.all()],
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
    return {"items": [intervention_out(i) for i in rows], "next_cursor": cursor}


@router.get(
    "/interventions/{uuid:intervention_id}",
    response={200: InterventionOut, **DETAIL_ERRORS},
    summary="Une intervention",
)
def get_intervention(request, intervention_id: uuid.UUID):
    row = get_object_or_404(interventions_for(request.user), public_id=intervention_id)
    log_reads(request, [row])
    return intervention_out(row)


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
