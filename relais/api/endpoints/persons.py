"""Persons and households.

Identity and contact are for those who work with persons (social workers, secretariat,
manager); the situation (work, housing, family, income, household) only for those who see
one of the person's cases — the same split as the person page.
"""

import datetime
import uuid
from typing import Literal

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    PageQuery,
    choice,
    log_reads,
    public_id,
    require_role,
)
from relais.api.errors import NotFound
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate
from relais.cases.models import Case
from relais.people import enums
from relais.people.models import Person
from relais.people.search import normalise_name
from relais.policy import rules

router = Router(tags=["Personnes"])


class SituationOut(Schema):
    """Seen only by those who see one of the person's cases (null otherwise)."""

    job_title: str
    contract_kind: enums.ContractKind | None
    working_time: enums.WorkingTime | None
    hired_on: datetime.date | None
    work_situation: enums.WorkSituation | None
    work_situation_since: datetime.date | None
    accommodation: enums.Accommodation | None
    family_situation: enums.FamilySituation | None
    income_sources: list[enums.IncomeSource]
    legal_protection: enums.LegalProtection | None
    household_id: uuid.UUID | None


class PersonOut(Schema):
    id: uuid.UUID
    full_name: str
    civility: enums.Civility | None
    last_name: str
    first_name: str
    birth_name: str
    birth_date: datetime.date | None
    sex: enums.Sex | None
    nationality: enums.Nationality | None
    phone: str
    email: str
    address: str
    postal_code: str
    city: str
    employer_id: uuid.UUID | None
    establishment_id: uuid.UUID | None
    created_at: datetime.datetime
    situation: SituationOut | None


class HouseholdMemberOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    relation: enums.Relation
    birth_date: datetime.date | None
    is_hosted: bool
    is_dependent: bool


class HouseholdOut(Schema):
    id: uuid.UUID
    persons: list[uuid.UUID] = Field(description="Les personnes accompagnées de ce foyer.")
    members: list[HouseholdMemberOut]


class PersonQuery(PageQuery):
    sort: Literal["last_name", "-last_name", "created_at", "-created_at"] = "last_name"
    q: str | None = Field(
        None,
        max_length=100,
        description="Nom, prénom ou nom de naissance (sans accents ni majuscules requis).",
    )
    birth_date: IsoDate | None = None
    employer: uuid.UUID | None = Field(None, description="Identifiant de l'employeur.")


def persons_for(user):
    """Persons the user may see, each marked with whether their situation is visible."""
    require_role(user, rules.PERSON_ROLES)
    cases = Case.objects.visible_to(user).filter(person_id=OuterRef("pk"))
    return (
        Person.objects.visible_to(user)
        .annotate(situation_visible=Exists(cases))
        .select_related("employer", "establishment", "household")
    )


def _known(values, choices) -> list[str]:
    allowed = set(choices.values)
    return [v for v in values or [] if v in allowed]


def person_out(p: Person) -> dict:
    situation = None
    if p.situation_visible:
        situation = {
            "job_title": p.job_title,
            "contract_kind": choice(p.contract_kind),
            "working_time": choice(p.working_time),
            "hired_on": p.hired_on,
            "work_situation": choice(p.work_situation),
            "work_situation_since": p.work_situation_since,
            "accommodation": choice(p.accommodation),
            "family_situation": choice(p.family_situation),
            "income_sources": _known(p.income_sources, enums.IncomeSource),
            "legal_protection": choice(p.legal_protection),
            "household_id": public_id(p.household),
        }
    return {
        "id": p.public_id,
        "full_name": p.full_name,
        "civility": choice(p.civility),
        "last_name": p.last_name,
        "first_name": p.first_name,
        "birth_name": p.birth_name,
        "birth_date": p.birth_date,
        "sex": choice(p.sex),
        "nationality": choice(p.nationality),
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "postal_code": p.postal_code,
        "city": p.city,
        "employer_id": public_id(p.employer),
        "establishment_id": public_id(p.establishment),
        "created_at": p.created_at,
        "situation": situation,
    }


@router.get("/persons", response={200: page_of(PersonOut), **LIST_ERRORS}, summary="Personnes")
def list_persons(request, query: Query[PersonQuery]):
    qs = persons_for(request.user)
    if query.q:
        for word in normalise_name(query.q).split():
            qs = qs.filter(search_name__contains=word)
    if query.birth_date is not None:
        qs = qs.filter(birth_date=query.birth_date)
    if query.employer is not None:
        qs = qs.filter(employer__public_id=query.employer)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"last_name": "last_name", "created_at": "created_at"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [person_out(p) for p in rows], "next_cursor": cursor}


@router.get(
    "/persons/{uuid:person_id}", response={200: PersonOut, **DETAIL_ERRORS}, summary="Une personne"
)
def get_person(request, person_id: uuid.UUID):
    person = get_object_or_404(persons_for(request.user), public_id=person_id)
    log_reads(request, [person])
    return person_out(person)


@router.get(
    "/persons/{uuid:person_id}/household",
    response={200: HouseholdOut, **DETAIL_ERRORS},
    summary="Le foyer d'une personne",
    description="404 si la personne n'a pas de foyer enregistré ou si sa situation "
    "n'est pas visible (aucun de ses accompagnements ne vous est ouvert).",
)
def get_household(request, person_id: uuid.UUID):
    person = get_object_or_404(persons_for(request.user), public_id=person_id)
    if not person.situation_visible or person.household is None:
        raise NotFound()
    household = person.household
    members = list(household.members.all())
    persons = list(
        Person.objects.visible_to(request.user)
        .filter(household_id=household.pk)
        .values_list("public_id", flat=True)
    )
    log_reads(request, [person])
    return {
        "id": household.public_id,
        "persons": persons,
        "members": [
            {
                "id": m.public_id,
                "first_name": m.first_name,
                "last_name": m.last_name,
                "relation": m.relation,
                "birth_date": m.birth_date,
                "is_hosted": m.is_hosted,
                "is_dependent": m.is_dependent,
            }
            for m in members
        ],
    }
