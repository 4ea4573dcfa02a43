"""Persons and households.

Identity and contact are for those who work with persons (social workers, secretariat,
manager); the situation (work, housing, family, income, household) only for those who see
one of the person's cases — the same split as the person page.
"""

import datetime
import uuid
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool, field_validator

from relais.api import refs
from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    In,
    PageQuery,
    choice,
    log_reads,
    public_id,
    require_role,
)
from relais.api.errors import Conflict, Forbidden, NotFound
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate, Text
from relais.cases.models import Case
from relais.people import enums
from relais.people.models import Person
from relais.people.search import normalise_name
from relais.people.selectors import person_duplicates
from relais.people.services import (
    household_member_add,
    person_create,
    person_update_identity,
    person_update_situation,
)
from relais.policy import rules

router = Router(tags=["Personnes"])


class SituationOut(Schema):
    """Seen only by those who see one of the person's cases (null otherwise)."""

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
    job_title: str
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
        "job_title": p.job_title,
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


# --- Writes -----------------------------------------------------------------------------


class IdentityFields(In):
    civility: enums.Civility | None = None
    first_name: Text(120) = ""
    birth_name: Text(120) = ""
    birth_date: IsoDate | None = None
    sex: enums.Sex | None = None
    nationality: enums.Nationality | None = Field(
        None, description="Seulement si elle conditionne un droit."
    )
    phone: Text(32) = ""
    email: Text(254) = ""
    address: Text(250) = ""
    postal_code: Text(10) = ""
    city: Text(120) = ""
    employer_id: uuid.UUID | None = None
    establishment_id: uuid.UUID | None = None
    job_title: Text(150) = ""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("Adresse e-mail invalide.") from None
        return value


class PersonCreateIn(IdentityFields):
    last_name: Text(120, min_length=1) = Field(description="Seul champ obligatoire.")
    confirm_new: StrictBool = Field(
        False,
        description="Créer même si des personnes semblables existent (409 sinon, avec leurs "
        "identifiants dans `fields.duplicates`).",
    )


class PersonIdentityIn(IdentityFields):
    """Only the fields sent are changed (null empties a field)."""

    last_name: Text(120, min_length=1) = ""


class PersonSituationIn(In):
    """Only the fields sent are changed (null empties a field)."""

    contract_kind: enums.ContractKind | None = None
    working_time: enums.WorkingTime | None = None
    hired_on: IsoDate | None = None
    work_situation: enums.WorkSituation | None = None
    work_situation_since: IsoDate | None = None
    accommodation: enums.Accommodation | None = None
    family_situation: enums.FamilySituation | None = None
    income_sources: list[enums.IncomeSource] = Field(default_factory=list, max_length=20)
    legal_protection: enums.LegalProtection | None = None


class HouseholdMemberIn(In):
    relation: enums.Relation
    first_name: Text(120) = ""
    last_name: Text(120) = ""
    birth_date: IsoDate | None = None
    is_hosted: StrictBool = False
    is_dependent: StrictBool = False


_DATE_FIELDS = {"birth_date", "hired_on", "work_situation_since"}


def _model_values(user, payload: In, *, only_sent: bool) -> dict:
    """The payload as model field values: ids become rows, null blank text becomes ""."""
    data = payload.model_dump(exclude_unset=only_sent, exclude={"confirm_new"})
    values = {}
    for name, value in data.items():
        if name == "employer_id":
            values["employer"] = refs.employer(user, value)
        elif name == "establishment_id":
            values["establishment"] = refs.establishment(user, value)
        elif name == "income_sources":
            values[name] = list(dict.fromkeys(value or []))
        elif value is None and name not in _DATE_FIELDS:
            values[name] = ""
        else:
            values[name] = value
    return values


def _comparable(name: str) -> str:
    # The duplicate search compares names without accents or signs: a name written
    # only in other scripts (李, Ольга) has nothing to compare and would upset it.
    return name if normalise_name(name) else ""


def _person_response(request, person_pk) -> dict:
    person = persons_for(request.user).get(pk=person_pk)
    log_reads(request, [person])
    return person_out(person)


@router.post(
    "/persons",
    response={201: PersonOut, **WRITE_ERRORS},
    summary="Créer une personne",
    description="Seul le nom est obligatoire. Si des personnes semblables existent déjà, "
    "la réponse est 409 (`possible_duplicates`) avec leurs identifiants ; renvoyez avec "
    "`confirm_new: true` pour créer quand même.",
)
def create_person(request, payload: PersonCreateIn):
    user = request.user
    if not rules.can_create_person(user):
        raise Forbidden()
    values = _model_values(user, payload, only_sent=False)
    if not payload.confirm_new:
        duplicates = person_duplicates(
            user=user,
            last_name=_comparable(values["last_name"]),
            first_name=values["first_name"],
            birth_name=_comparable(values["birth_name"]),
            birth_date=values["birth_date"],
        )
        if duplicates:
            raise Conflict(
                "Des personnes semblables existent déjà : vérifiez avant de créer une fiche "
                "(ou renvoyez avec confirm_new: true).",
                code="possible_duplicates",
                fields={"duplicates": [str(p.public_id) for p in duplicates]},
            )
    person = person_create(by=user, **values)
    return Status(201, _person_response(request, person.pk))


@router.patch(
    "/persons/{uuid:person_id}",
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Modifier l'identité et les coordonnées",
)
def update_person_identity(request, person_id: uuid.UUID, payload: PersonIdentityIn):
    user = request.user
    person = refs.target(persons_for(user), person_id)
    if not rules.can_edit_person_identity(user, person):
        raise Forbidden()
    values = _model_values(user, payload, only_sent=True)
    if values:
        person_update_identity(by=user, person=person, **values)
    return _person_response(request, person.pk)


@router.patch(
    "/persons/{uuid:person_id}/situation",
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Modifier la situation (travail, logement, famille, revenus)",
    description="Pour les référent·es d'un accompagnement de la personne et les collègues "
    "avec qui il est partagé.",
)
def update_person_situation(request, person_id: uuid.UUID, payload: PersonSituationIn):
    user = request.user
    person = refs.target(persons_for(user), person_id)
    if not rules.can_edit_person_situation(user, person):
        raise Forbidden()
    values = _model_values(user, payload, only_sent=True)
    if values:
        person_update_situation(by=user, person=person, **values)
    return _person_response(request, person.pk)


@router.post(
    "/persons/{uuid:person_id}/household/members",
    response={201: HouseholdOut, **WRITE_ERRORS},
    summary="Ajouter un membre du foyer",
)
def add_household_member(request, person_id: uuid.UUID, payload: HouseholdMemberIn):
    user = request.user
    person = refs.target(persons_for(user), person_id)
    if not rules.can_edit_person_situation(user, person):
        raise Forbidden()
    values = _model_values(user, payload, only_sent=False)
    household_member_add(by=user, person=person, **values)
    return Status(201, get_household(request, person_id))
