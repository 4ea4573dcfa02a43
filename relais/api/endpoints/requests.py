"""Intake requests: recorded (the secretary too), assigned, closed, or turned into a case.

The secretary reads a request's summary (she wrote it) but not its concerns; the manager
routes requests without reading them (same rules as the request pages).
"""

import datetime
import uuid
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from relais.api import refs
from relais.api.endpoints.cases import CaseOut, case_response
from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    In,
    PageQuery,
    PersonRef,
    UserRef,
    choice,
    log_reads,
    person_ref,
    public_id,
    require_role,
    user_ref,
)
from relais.api.endpoints.persons import persons_for
from relais.api.errors import Forbidden
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate, Text
from relais.cases import enums, services
from relais.cases.models import LONG_TEXT_MAX_LENGTH, Case, Request
from relais.policy import rules

router = Router(tags=["Demandes (accueil)"])

REQUEST_ROLES = rules.PERSON_ROLES


class RequestOut(Schema):
    id: uuid.UUID
    person: PersonRef
    origin: enums.RequestOrigin
    channel: enums.RequestChannel
    received_on: datetime.date
    urgency: enums.Urgency
    summary: str | None = Field(description="Null pour les rôles qui ne le lisent pas.")
    concern_ids: list[uuid.UUID] | None = Field(
        description="Null pour les rôles qui ne voient pas les problématiques."
    )
    status: enums.RequestStatus
    closing_reason: enums.RequestClosingReason | None
    closed_on: datetime.date | None
    received_by: UserRef
    assigned_to: UserRef | None
    case_id: uuid.UUID | None
    created_at: datetime.datetime


class RequestQuery(PageQuery):
    sort: Literal["received_on", "-received_on", "created_at", "-created_at"] = "-received_on"
    status: enums.RequestStatus | None = None
    urgency: enums.Urgency | None = None
    person: uuid.UUID | None = Field(None, description="Identifiant de la personne.")
    mine: bool | None = Field(None, description="Seulement celles qui me sont confiées (true).")


def requests_for(user):
    require_role(user, REQUEST_ROLES)
    return (
        Request.objects.visible_to(user)
        .select_related("person", "received_by", "assigned_to", "case")
        .prefetch_related("concerns")
    )


def request_out(r: Request, user) -> dict:
    return {
        "id": r.public_id,
        "person": person_ref(r.person),
        "origin": r.origin,
        "channel": r.channel,
        "received_on": r.received_on,
        "urgency": r.urgency,
        "summary": r.summary if rules.can_see_request_summary(user) else None,
        "concern_ids": [concern.public_id for concern in r.concerns.all()]
        if rules.can_see_concerns(user)
        else None,
        "status": r.status,
        "closing_reason": choice(r.closing_reason),
        "closed_on": r.closed_on,
        "received_by": user_ref(r.received_by),
        "assigned_to": user_ref(r.assigned_to),
        "case_id": public_id(r.case),
        "created_at": r.created_at,
    }


def _response(request, request_pk) -> dict:
    row = requests_for(request.user).get(pk=request_pk)
    log_reads(request, [row])
    return request_out(row, request.user)


@router.get(
    "/requests", response={200: page_of(RequestOut), **LIST_ERRORS}, summary="Demandes (accueil)"
)
def list_requests(request, query: Query[RequestQuery]):
    qs = requests_for(request.user)
    if query.status is not None:
        qs = qs.filter(status=query.status)
    if query.urgency is not None:
        qs = qs.filter(urgency=query.urgency)
    if query.person is not None:
        qs = qs.filter(person__public_id=query.person)
    if query.mine:
        qs = qs.filter(assigned_to_id=request.user.pk)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"received_on": "received_on", "created_at": "created_at"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [request_out(r, request.user) for r in rows], "next_cursor": cursor}


@router.get(
    "/requests/{uuid:request_id}",
    response={200: RequestOut, **DETAIL_ERRORS},
    summary="Une demande",
)
def get_request(request, request_id: uuid.UUID):
    row = get_object_or_404(requests_for(request.user), public_id=request_id)
    log_reads(request, [row])
    return request_out(row, request.user)


# --- Writes -----------------------------------------------------------------------------


class RequestIn(In):
    origin: enums.RequestOrigin
    channel: enums.RequestChannel
    received_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")
    urgency: enums.Urgency = enums.Urgency.NORMAL
    summary: Text(LONG_TEXT_MAX_LENGTH) = ""
    concern_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=30,
        description="Réservé aux assistant·es de service social.",
    )
    assigned_to: uuid.UUID | None = Field(
        None, description="Identifiant de l'assistant·e à qui la confier."
    )


class AssignIn(In):
    assigned_to: uuid.UUID


class RequestCloseIn(In):
    reason: enums.RequestClosingReason


class ConvertIn(In):
    case_id: uuid.UUID | None = Field(
        None,
        description="Rattacher à cet accompagnement encore ouvert de la personne ; sinon un "
        "nouvel accompagnement est ouvert.",
    )
    referents: list[uuid.UUID] | None = Field(None, max_length=10)
    concern_ids: list[uuid.UUID] | None = Field(None, max_length=30)


@router.post(
    "/persons/{uuid:person_id}/requests",
    response={201: RequestOut, **WRITE_ERRORS},
    summary="Enregistrer une demande",
)
def record_request(request, person_id: uuid.UUID, payload: RequestIn):
    user = request.user
    if not rules.can_record_request(user):
        raise Forbidden()
    person = refs.target(persons_for(user), person_id)
    row = services.request_record(
        by=user,
        person=person,
        origin=payload.origin,
        channel=payload.channel,
        received_on=payload.received_on,
        urgency=payload.urgency,
        summary=payload.summary,
        concerns=refs.concerns(user, payload.concern_ids),
        assigned_to=refs.one(refs.colleagues(user), payload.assigned_to, "assigned_to"),
    )
    return Status(201, _response(request, row.pk))


def _waiting_request(user, request_id, allowed: bool) -> Request:
    row = refs.target(requests_for(user), request_id)
    if not allowed:
        raise Forbidden()
    return row


@router.post(
    "/requests/{uuid:request_id}/assign",
    response={200: RequestOut, **WRITE_ERRORS},
    summary="Confier une demande",
)
def assign_request(request, request_id: uuid.UUID, payload: AssignIn):
    user = request.user
    row = _waiting_request(user, request_id, rules.can_assign_request(user))
    services.request_assign(
        by=user,
        request=row,
        to=refs.one(refs.colleagues(user), payload.assigned_to, "assigned_to"),
    )
    return _response(request, row.pk)


@router.post(
    "/requests/{uuid:request_id}/close",
    response={200: RequestOut, **WRITE_ERRORS},
    summary="Clore une demande sans accompagnement",
)
def close_request(request, request_id: uuid.UUID, payload: RequestCloseIn):
    user = request.user
    row = _waiting_request(user, request_id, rules.can_close_request(user))
    services.request_close(by=user, request=row, reason=payload.reason)
    return _response(request, row.pk)


@router.post(
    "/requests/{uuid:request_id}/convert",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Transformer une demande en accompagnement",
)
def convert_request(request, request_id: uuid.UUID, payload: ConvertIn):
    user = request.user
    row = _waiting_request(user, request_id, rules.can_convert_request(user))
    existing = refs.one(Case.objects.editable_by(user), payload.case_id, "case_id")
    referents = (
        refs.many(refs.colleagues(user), payload.referents, "referents")
        if payload.referents
        else None
    )
    case = services.request_convert_to_case(
        by=user,
        request=row,
        case=existing,
        referents=referents,
        concerns=refs.concerns(user, payload.concern_ids),
    )
    return case_response(request, case.pk)
