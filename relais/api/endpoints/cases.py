"""Cases (accompagnements): opened, changed, shared, closed and reopened."""

import datetime
import uuid
from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from relais.api import refs
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
    writable,
)
from relais.api.endpoints.persons import persons_for
from relais.api.errors import Forbidden
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate, Text
from relais.cases import enums, services
from relais.cases.models import Case, CaseReferent, CaseShare
from relais.policy import rules

router = Router(tags=["Accompagnements"])


class CaseOut(Schema):
    id: uuid.UUID
    person: PersonRef
    status: enums.CaseStatus
    opened_on: datetime.date
    closed_on: datetime.date | None
    closing_reason: enums.CaseClosingReason | None
    team_id: uuid.UUID | None
    referents: list[UserRef] = Field(description="Le ou la première est référent·e principal·e.")
    concern_ids: list[uuid.UUID] | None = Field(
        description="Problématiques : null pour les rôles qui ne les voient pas."
    )
    last_activity_at: datetime.datetime | None
    created_at: datetime.datetime


class CaseQuery(PageQuery):
    sort: Literal["opened_on", "-opened_on", "created_at", "-created_at"] = "-opened_on"
    status: enums.CaseStatus | None = None
    person: uuid.UUID | None = Field(None, description="Identifiant de la personne.")
    mine: bool | None = Field(None, description="Seulement ceux dont je suis référent·e (true).")
    opened_from: IsoDate | None = Field(None, description="Ouverts à partir du.")
    opened_to: IsoDate | None = Field(None, description="Ouverts jusqu'au (inclus).")


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


def case_out(c: Case, user) -> dict:
    return {
        "id": c.public_id,
        "person": person_ref(c.person),
        "status": c.status,
        "opened_on": c.opened_on,
        "closed_on": c.closed_on,
        "closing_reason": choice(c.closing_reason),
        "team_id": public_id(c.team),
        "referents": [user_ref(link.user) for link in c.referent_links.all()],
        "concern_ids": [concern.public_id for concern in c.concerns.all()]
        if rules.can_see_concerns(user)
        else None,
        "last_activity_at": c.last_activity_at,
        "created_at": c.created_at,
    }


def case_response(request, case_pk) -> dict:
    case = cases_for(request.user).get(pk=case_pk)
    log_reads(request, [case])
    return case_out(case, request.user)


def editable_case(user, case_id) -> Case:
    """A case the user may write in (referents, colleagues it is shared with)."""
    return writable(
        user,
        cases_for(user),
        Case.objects.editable_by(user).select_related("person"),
        case_id,
    )


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
    return {"items": [case_out(c, request.user) for c in rows], "next_cursor": cursor}


@router.get(
    "/cases/{uuid:case_id}", response={200: CaseOut, **DETAIL_ERRORS}, summary="Un accompagnement"
)
def get_case(request, case_id: uuid.UUID):
    case = get_object_or_404(cases_for(request.user), public_id=case_id)
    log_reads(request, [case])
    return case_out(case, request.user)


# --- Writes -----------------------------------------------------------------------------


class CaseOpenIn(In):
    referents: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=10,
        description="Identifiants des référent·es, le ou la principal·e en premier ; "
        "par défaut, vous.",
    )
    concern_ids: list[uuid.UUID] = Field(default_factory=list, max_length=30)
    opened_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")


class CaseUpdateIn(In):
    referents: list[uuid.UUID] | None = Field(None, max_length=10)
    concern_ids: list[uuid.UUID] | None = Field(None, max_length=30)


class CaseCloseIn(In):
    reason: enums.CaseClosingReason
    closed_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")


class ShareIn(In):
    shared_with: uuid.UUID = Field(description="Identifiant de la ou du collègue.")
    until: IsoDate = Field(description="Dernier jour du partage.")
    reason: Text(250, min_length=1) = Field(description="Absence, continuité…")


class ShareOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    shared_with: UserRef
    shared_by: UserRef
    reason: str
    starts_on: datetime.date
    ends_on: datetime.date
    revoked_at: datetime.datetime | None


def _share_out(share: CaseShare) -> dict:
    return {
        "id": share.public_id,
        "case_id": share.case.public_id,
        "shared_with": user_ref(share.shared_with),
        "shared_by": user_ref(share.shared_by),
        "reason": share.reason,
        "starts_on": share.starts_on,
        "ends_on": share.ends_on,
        "revoked_at": share.revoked_at,
    }


def _referents(user, ids):
    return None if ids is None else refs.many(refs.colleagues(user), ids, "referents")


@router.post(
    "/persons/{uuid:person_id}/cases",
    response={201: CaseOut, **WRITE_ERRORS},
    summary="Ouvrir un accompagnement pour une personne",
)
def open_case(request, person_id: uuid.UUID, payload: CaseOpenIn):
    user = request.user
    if not rules.can_open_case(user):
        raise Forbidden()
    person = refs.target(persons_for(user), person_id)
    case = services.case_open(
        by=user,
        person=person,
        referents=_referents(user, payload.referents) or [user],
        concerns=refs.concerns(user, payload.concern_ids),
        opened_on=payload.opened_on,
    )
    return Status(201, case_response(request, case.pk))


@router.patch(
    "/cases/{uuid:case_id}",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Changer les référent·es ou les problématiques",
)
def update_case(request, case_id: uuid.UUID, payload: CaseUpdateIn):
    user = request.user
    case = editable_case(user, case_id)
    services.case_update(
        by=user,
        case=case,
        referents=_referents(user, payload.referents),
        concerns=refs.concerns(user, payload.concern_ids),
    )
    return case_response(request, case.pk)


@router.post(
    "/cases/{uuid:case_id}/close",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Clore un accompagnement (avec son motif)",
)
def close_case(request, case_id: uuid.UUID, payload: CaseCloseIn):
    case = editable_case(request.user, case_id)
    services.case_close(
        by=request.user, case=case, reason=payload.reason, closed_on=payload.closed_on
    )
    return case_response(request, case.pk)


@router.post(
    "/cases/{uuid:case_id}/reopen",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Rouvrir un accompagnement clos",
)
def reopen_case(request, case_id: uuid.UUID):
    case = editable_case(request.user, case_id)
    services.case_reopen(by=request.user, case=case)
    return case_response(request, case.pk)


@router.post(
    "/cases/{uuid:case_id}/shares",
    response={201: ShareOut, **WRITE_ERRORS},
    summary="Partager un dossier avec une ou un collègue jusqu'à une date",
    description="Réservé aux référent·es du dossier.",
)
def share_case(request, case_id: uuid.UUID, payload: ShareIn):
    user = request.user
    case = refs.target(cases_for(user), case_id)
    if not rules.can_share_case(user, case):
        raise Forbidden("Seul·es les référent·es partagent un dossier.")
    share = services.case_share(
        by=user,
        case=case,
        shared_with=refs.one(refs.colleagues(user), payload.shared_with, "shared_with"),
        until=payload.until,
        reason=payload.reason,
    )
    return Status(201, _share_out(share))


@router.post(
    "/cases/{uuid:case_id}/shares/{uuid:share_id}/revoke",
    response={200: ShareOut, **WRITE_ERRORS},
    summary="Retirer un partage",
)
def revoke_share(request, case_id: uuid.UUID, share_id: uuid.UUID):
    user = request.user
    case = refs.target(cases_for(user), case_id)
    if not rules.can_share_case(user, case):
        raise Forbidden("Seul·es les référent·es retirent un partage.")
    share = refs.target(
        CaseShare.objects.filter(organisation_id=case.organisation_id, case=case).select_related(
            "case", "shared_with", "shared_by"
        ),
        share_id,
    )
    services.case_share_revoke(by=user, share=share)
    return _share_out(share)
