"""Cases (accompagnements) and intake requests."""

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
    PersonRef,
    UserRef,
    choice,
    log_reads,
    person_ref,
    public_id,
    require_role,
    user_ref,
)
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate
from relais.cases import enums
from relais.cases.models import Case, CaseReferent, Request
from relais.policy import rules

router = Router(tags=["Accompagnements et demandes"])

REQUEST_ROLES = rules.PERSON_ROLES


class CaseOut(Schema):
    id: uuid.UUID
    person: PersonRef
    status: enums.CaseStatus
    opened_on: datetime.date
    closed_on: datetime.date | None
    closing_reason: enums.CaseClosingReason | None
    team_id: uuid.UUID | None
    referents: list[UserRef]
    concern_ids: list[uuid.UUID]
    last_activity_at: datetime.datetime | None
    created_at: datetime.datetime


class RequestOut(Schema):
    id: uuid.UUID
    person: PersonRef
    origin: enums.RequestOrigin
    channel: enums.RequestChannel
    received_on: datetime.date
    urgency: enums.Urgency
    summary: str
    concern_ids: list[uuid.UUID]
    status: enums.RequestStatus
    closing_reason: enums.RequestClosingReason | None
    closed_on: datetime.date | None
    received_by: UserRef
    assigned_to: UserRef | None
    case_id: uuid.UUID | None
    created_at: datetime.datetime


class CaseQuery(PageQuery):
    sort: Literal["opened_on", "-opened_on", "created_at", "-created_at"] = "-opened_on"
    status: enums.CaseStatus | None = None
    person: uuid.UUID | None = Field(None, description="Identifiant de la personne.")
    mine: bool | None = Field(None, description="Seulement ceux dont je suis référent·e (true).")
    opened_from: IsoDate | None = Field(None, description="Ouverts à partir du.")
    opened_to: IsoDate | None = Field(None, description="Ouverts jusqu'au (inclus).")


class RequestQuery(PageQuery):
    sort: Literal["received_on", "-received_on", "created_at", "-created_at"] = "-received_on"
    status: enums.RequestStatus | None = None
    urgency: enums.Urgency | None = None
    person: uuid.UUID | None = Field(None, description="Identifiant de la personne.")


def cases_for(user):
    require_role(user, rules.CONTENT_ROLES)
    return (
        Case.objects.visible_to(user)
        .select_related("person", "team")
        .prefetch_related(
            Prefetch(
                "referent_links",
                queryset=CaseReferent.objects.select_related("user").order_by(
                    "-is_primary", "created_at"
                ),
            ),
            "concerns",
        )
    )


def case_out(c: Case) -> dict:
    return {
        "id": c.public_id,
        "person": person_ref(c.person),
        "status": c.status,
        "opened_on": c.opened_on,
        "closed_on": c.closed_on,
        "closing_reason": choice(c.closing_reason),
        "team_id": public_id(c.team),
        "referents": [user_ref(link.user) for link in c.referent_links.all()],
        "concern_ids": [concern.public_id for concern in c.concerns.all()],
        "last_activity_at": c.last_activity_at,
        "created_at": c.created_at,
    }


def requests_for(user):
    require_role(user, REQUEST_ROLES)
    return (
        Request.objects.visible_to(user)
        .select_related("person", "received_by", "assigned_to", "case")
        .prefetch_related("concerns")
    )


def request_out(r: Request) -> dict:
    return {
        "id": r.public_id,
        "person": person_ref(r.person),
        "origin": r.origin,
        "channel": r.channel,
        "received_on": r.received_on,
        "urgency": r.urgency,
        "summary": r.summary,
        "concern_ids": [concern.public_id for concern in r.concerns.all()],
        "status": r.status,
        "closing_reason": choice(r.closing_reason),
        "closed_on": r.closed_on,
        "received_by": user_ref(r.received_by),
        "assigned_to": user_ref(r.assigned_to),
        "case_id": public_id(r.case),
        "created_at": r.created_at,
    }


@router.get("/cases", response={200: page_of(CaseOut), **LIST_ERRORS}, summary="Accompagnements")
def list_cases(request, query: Query[CaseQuery]):
    qs = cases_for(request.user)
    if query.status is not None:
        qs = qs.filter(status=query.status)
    if query.person is not None:
        qs = qs.filter(person__public_id=query.person)
    if query.mine:
        qs = qs.filter(pk__in=Case.objects.referent_is(request.user).values("pk"))
    if query.opened_from is not None:
        qs = qs.filter(opened_on__gte=query.opened_from)
    if query.opened_to is not None:
        qs = qs.filter(opened_on__lte=query.opened_to)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"opened_on": "opened_on", "created_at": "created_at"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [case_out(c) for c in rows], "next_cursor": cursor}


@router.get(
    "/cases/{uuid:case_id}", response={200: CaseOut, **DETAIL_ERRORS}, summary="Un accompagnement"
)
def get_case(request, case_id: uuid.UUID):
    case = get_object_or_404(cases_for(request.user), public_id=case_id)
    log_reads(request, [case])
    return case_out(case)


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
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"received_on": "received_on", "created_at": "created_at"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [request_out(r) for r in rows], "next_cursor": cursor}


@router.get(
    "/requests/{uuid:request_id}",
    response={200: RequestOut, **DETAIL_ERRORS},
    summary="Une demande",
)
def get_request(request, request_id: uuid.UUID):
    row = get_object_or_404(requests_for(request.user), public_id=request_id)
    log_reads(request, [row])
    return request_out(row)
