"""Financial aid requests (secours, prêts, avances…)."""

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    PageQuery,
    log_reads,
    require_role,
)
from relais.api.pagination import page_of, paginate
from relais.cases import enums
from relais.cases.models import FinancialAid
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
