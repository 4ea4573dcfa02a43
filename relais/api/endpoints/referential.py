"""The organisation's own referential: teams, employers and establishments, concerns.

Not personal data: reads are scoped to the organisation but not logged.
"""

import uuid
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from relais.accounts.enums import EmployerKind
from relais.accounts.models import Employer, Establishment, Team
from relais.api.endpoints.common import DETAIL_ERRORS, LIST_ERRORS, PageQuery, public_id
from relais.api.errors import Forbidden
from relais.api.pagination import page_of, paginate
from relais.cases.models import Concern
from relais.policy import rules

router = Router(tags=["Référentiel"])


def _referential(model, user):
    if not rules.can_read_referential(user):
        raise Forbidden()
    return model.objects.filter(organisation_id=rules.organisation_id(user))


class TeamOut(Schema):
    id: uuid.UUID
    name: str


class EmployerOut(Schema):
    id: uuid.UUID
    name: str
    kind: EmployerKind
    siren: str
    headcount: int | None
    is_active: bool


class EstablishmentOut(Schema):
    id: uuid.UUID
    employer_id: uuid.UUID
    name: str
    siret: str
    city: str


class ConcernOut(Schema):
    id: uuid.UUID
    parent_id: uuid.UUID | None
    code: str
    label: str
    datainclusion_thematique: str
    workplace_only: bool
    is_active: bool


class NameSortQuery(PageQuery):
    sort: Literal["name", "-name"] = "name"


class EmployerQuery(NameSortQuery):
    is_active: bool | None = Field(None, description="Seulement les adhérents actifs (true).")


class EstablishmentQuery(NameSortQuery):
    employer: uuid.UUID | None = Field(None, description="Identifiant de l'employeur.")


class ConcernQuery(PageQuery):
    sort: Literal["label", "-label", "code", "-code"] = "label"
    parent: uuid.UUID | None = Field(None, description="Les sous-problématiques de celle-ci.")
    top_level: bool | None = Field(None, description="Seulement le premier niveau (true).")
    is_active: bool | None = None


def _team(team):
    return {"id": team.public_id, "name": team.name}


def _employer(e):
    return {
        "id": e.public_id,
        "name": e.name,
        "kind": e.kind,
        "siren": e.siren,
        "headcount": e.headcount,
        "is_active": e.is_active,
    }


def _establishment(e):
    return {
        "id": e.public_id,
        "employer_id": e.employer.public_id,
        "name": e.name,
        "siret": e.siret,
        "city": e.city,
    }


def _concern(c):
    return {
        "id": c.public_id,
        "parent_id": public_id(c.parent),
        "code": c.code,
        "label": c.label,
        "datainclusion_thematique": c.datainclusion_thematique,
        "workplace_only": c.workplace_only,
        "is_active": c.is_active,
    }


@router.get("/teams", response={200: page_of(TeamOut), **LIST_ERRORS}, summary="Équipes")
def list_teams(request, query: Query[NameSortQuery]):
    rows, cursor = paginate(
        _referential(Team, request.user),
        sort=query.sort,
        sorts={"name": "name"},
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": [_team(t) for t in rows], "next_cursor": cursor}


@router.get("/employers", response={200: page_of(EmployerOut), **LIST_ERRORS}, summary="Employeurs")
def list_employers(request, query: Query[EmployerQuery]):
    qs = _referential(Employer, request.user)
    if query.is_active is not None:
        qs = qs.filter(is_active=query.is_active)
    rows, cursor = paginate(
        qs, sort=query.sort, sorts={"name": "name"}, cursor=query.cursor, limit=query.limit
    )
    return {"items": [_employer(e) for e in rows], "next_cursor": cursor}


@router.get(
    "/employers/{uuid:employer_id}",
    response={200: EmployerOut, **DETAIL_ERRORS},
    summary="Un employeur",
)
def get_employer(request, employer_id: uuid.UUID):
    return _employer(get_object_or_404(_referential(Employer, request.user), public_id=employer_id))


@router.get(
    "/establishments",
    response={200: page_of(EstablishmentOut), **LIST_ERRORS},
    summary="Établissements des employeurs",
)
def list_establishments(request, query: Query[EstablishmentQuery]):
    qs = _referential(Establishment, request.user).select_related("employer")
    if query.employer is not None:
        qs = qs.filter(employer__public_id=query.employer)
    rows, cursor = paginate(
        qs, sort=query.sort, sorts={"name": "name"}, cursor=query.cursor, limit=query.limit
    )
    return {"items": [_establishment(e) for e in rows], "next_cursor": cursor}


@router.get(
    "/concerns",
    response={200: page_of(ConcernOut), **LIST_ERRORS},
    summary="Problématiques (motifs d'accompagnement)",
)
def list_concerns(request, query: Query[ConcernQuery]):
    qs = _referential(Concern, request.user).select_related("parent")
    if query.parent is not None:
        qs = qs.filter(parent__public_id=query.parent)
    if query.top_level is not None:
        qs = qs.filter(parent__isnull=query.top_level)
    if query.is_active is not None:
        qs = qs.filter(is_active=query.is_active)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"label": "label", "code": "code"},
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": [_concern(c) for c in rows], "next_cursor": cursor}
