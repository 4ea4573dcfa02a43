"""Financial aid requests (secours, prêts, avances…)."""

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool

from relais.api.endpoints.cases import editable_case
from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    In,
    PageQuery,
    log_reads,
    require_role,
    writable,
)
from relais.api.pagination import page_of, paginate
from relais.api.types import Amount, IsoDate, Text
from relais.cases import enums, services
from relais.cases.models import Case, FinancialAid
from relais.policy import rules

router = Router(tags=["Aides financières"])

AMOUNT = r"^\d{1,7}\.\d{2}$"


class AidOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    kind: enums.AidKind
    funder: str
    amount_requested: str = Field(pattern=AMOUNT, description="En euros, par exemple « 300.00 ».")
    amount_granted: str | None = Field(None, pattern=AMOUNT)
    purpose: str
    requested_on: datetime.date
    committee_on: datetime.date | None
    decided_on: datetime.date | None
    status: enums.AidStatus
    created_at: datetime.datetime


class AidQuery(PageQuery):
    sort: Literal["requested_on", "-requested_on"] = "-requested_on"
    case: uuid.UUID | None = Field(None, description="Identifiant de l'accompagnement.")
    status: enums.AidStatus | None = None
    kind: enums.AidKind | None = None


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def aids_for(user):
    require_role(user, rules.CONTENT_ROLES)
    return FinancialAid.objects.visible_to(user).select_related("case")


def aid_out(a: FinancialAid) -> dict:
    return {
        "id": a.public_id,
        "case_id": a.case.public_id,
        "kind": a.kind,
        "funder": a.funder,
        "amount_requested": _amount(a.amount_requested),
        "amount_granted": _amount(a.amount_granted),
        "purpose": a.purpose,
        "requested_on": a.requested_on,
        "committee_on": a.committee_on,
        "decided_on": a.decided_on,
        "status": a.status,
        "created_at": a.created_at,
    }


@router.get("/aids", response={200: page_of(AidOut), **LIST_ERRORS}, summary="Aides financières")
def list_aids(request, query: Query[AidQuery]):
    qs = aids_for(request.user)
    if query.case is not None:
        qs = qs.filter(case__public_id=query.case)
    if query.status is not None:
        qs = qs.filter(status=query.status)
    if query.kind is not None:
        qs = qs.filter(kind=query.kind)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"requested_on": "requested_on"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [aid_out(a) for a in rows], "next_cursor": cursor}


@router.get(
    "/aids/{uuid:aid_id}", response={200: AidOut, **DETAIL_ERRORS}, summary="Une aide financière"
)
def get_aid(request, aid_id: uuid.UUID):
    row = get_object_or_404(aids_for(request.user), public_id=aid_id)
    log_reads(request, [row])
    return aid_out(row)


# --- Writes -----------------------------------------------------------------------------


class AidIn(In):
    kind: enums.AidKind
    funder: Text(150, min_length=1)
    amount_requested: Amount
    purpose: Text(250) = ""
    requested_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")
    committee_on: IsoDate | None = None


class AidStatusIn(In):
    status: Literal["awaiting_documents", "under_review", "postponed", "dropped"] = Field(
        description="Où en est la demande ; une décision passe par /decision."
    )
    committee_on: IsoDate | None = None


class DecisionIn(In):
    granted: StrictBool
    amount_granted: Amount | None = Field(None, description="Obligatoire si accordée.")
    decided_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")


def _aid_response(request, pk):
    row = aids_for(request.user).get(pk=pk)
    log_reads(request, [row])
    return aid_out(row)


def _editable_aid(user, aid_id) -> FinancialAid:
    return writable(
        user,
        aids_for(user),
        FinancialAid.objects.filter(case__in=Case.objects.editable_by(user)).select_related("case"),
        aid_id,
    )


@router.post(
    "/cases/{uuid:case_id}/aids",
    response={201: AidOut, **WRITE_ERRORS},
    summary="Demander une aide financière",
)
def request_aid(request, case_id: uuid.UUID, payload: AidIn):
    case = editable_case(request.user, case_id)
    aid = services.aid_request(by=request.user, case=case, **payload.model_dump())
    return Status(201, _aid_response(request, aid.pk))


@router.post(
    "/aids/{uuid:aid_id}/status",
    response={200: AidOut, **WRITE_ERRORS},
    summary="Suivre une demande d'aide (justificatifs, instruction, ajournement…)",
)
def update_aid_status(request, aid_id: uuid.UUID, payload: AidStatusIn):
    aid = _editable_aid(request.user, aid_id)
    services.aid_update_status(by=request.user, aid=aid, **payload.model_dump())
    return _aid_response(request, aid.pk)


@router.post(
    "/aids/{uuid:aid_id}/decision",
    response={200: AidOut, **WRITE_ERRORS},
    summary="Enregistrer la décision du financeur",
)
def decide_aid(request, aid_id: uuid.UUID, payload: DecisionIn):
    aid = _editable_aid(request.user, aid_id)
    services.aid_decide(by=request.user, aid=aid, **payload.model_dump())
    return _aid_response(request, aid.pk)
