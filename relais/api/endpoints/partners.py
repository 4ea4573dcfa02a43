"""The partner directory, referrals (orientations) and the consents they rest on.

The directory holds bodies and services, not persons: its reads are not logged.
Referrals hang on a case and are seen with it; nothing is sent to a partner without a
consent that covers what is passed (or a recorded emergency) — the partners services
decide, exactly as on the pages.
"""

import datetime
import uuid
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from relais.api import refs
from relais.api.endpoints.cases import editable_case
from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    In,
    PageQuery,
    UserRef,
    log_reads,
    public_id,
    require_role,
    user_ref,
    writable,
)
from relais.api.errors import Forbidden
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate, Text
from relais.cases.models import LONG_TEXT_MAX_LENGTH
from relais.partners import enums, selectors, services
from relais.partners.models import Consent, Contact, Partner, PartnerService, Referral
from relais.policy import rules

router = Router(tags=["Partenaires et orientations"])


class ServiceOut(Schema):
    id: uuid.UUID
    name: str
    thematiques: list[str] = Field(description="Vocabulaire data.inclusion.")
    is_active: bool


class ContactOut(Schema):
    id: uuid.UUID
    name: str
    role: str
    phone: str
    email: str
    notes: str


class PartnerOut(Schema):
    id: uuid.UUID
    name: str
    kind: enums.PartnerKind
    origin: enums.PartnerOrigin
    address: str
    address_complement: str
    postal_code: str
    city: str
    phone: str
    email: str
    website: str
    opening_hours: str
    is_active: bool
    services: list[ServiceOut]


class PartnerDetailOut(PartnerOut):
    description: str
    contacts: list[ContactOut]


class PartnerRef(Schema):
    id: uuid.UUID
    name: str


class ConsentOut(Schema):
    id: uuid.UUID
    given_by: enums.ConsentGiver
    representative_name: str
    items: list[enums.SharedItem]
    recipient: str
    given_on: datetime.date
    valid_until: datetime.date
    form: enums.ConsentForm
    note: str
    withdrawn_on: datetime.date | None


class ReferralOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    partner: PartnerRef
    service_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    request: str = Field(description="Ce qui est demandé au partenaire.")
    shared_items: list[enums.SharedItem]
    status: enums.ReferralStatus
    prepared_on: datetime.date
    sent_on: datetime.date | None
    in_progress_on: datetime.date | None
    answered_on: datetime.date | None
    closed_on: datetime.date | None
    decision: enums.ReferralDecision | None
    expected_answer_on: datetime.date | None
    emergency_reason: str = Field(description="Motif d'un envoi sans consentement (urgence).")
    outcome: str
    created_by: UserRef
    consents: list[ConsentOut]
    created_at: datetime.datetime


class PartnerQuery(PageQuery):
    sort: Literal["name", "-name"] = "name"
    q: str | None = Field(None, max_length=100, description="Nom du partenaire.")
    thematique: str | None = Field(
        None, max_length=120, description="Thématique ou groupe de thématiques data.inclusion."
    )
    commune: str | None = Field(None, max_length=120, description="Commune ou code postal.")
    kind: enums.PartnerKind | None = None


class ReferralQuery(PageQuery):
    sort: Literal["prepared_on", "-prepared_on"] = "-prepared_on"
    case: uuid.UUID | None = Field(None, description="Identifiant de l'accompagnement.")
    status: enums.ReferralStatus | None = None


def _service(s: PartnerService) -> dict:
    return {
        "id": s.public_id,
        "name": s.name,
        "thematiques": s.thematiques,
        "is_active": s.is_active,
    }


def _partner(p: Partner, services_list) -> dict:
    return {
        "id": p.public_id,
        "name": p.name,
        "kind": p.kind,
        "origin": p.origin,
        "address": p.address,
        "address_complement": p.address_complement,
        "postal_code": p.postal_code,
        "city": p.city,
        "phone": p.phone,
        "email": p.email,
        "website": p.website,
        "opening_hours": p.opening_hours,
        "is_active": p.is_active,
        "services": [_service(s) for s in services_list],
    }


def _directory(user):
    if not rules.can_see_directory(user):
        raise Forbidden()
    # As the directory page: an organisation created before the partners app gets its
    # national bodies on first use.
    services.directory_ensure_seeded(rules.organisation_id(user))


@router.get(
    "/partners",
    response={200: page_of(PartnerOut), **LIST_ERRORS},
    summary="Annuaire des partenaires",
)
def list_partners(request, query: Query[PartnerQuery]):
    _directory(request.user)
    qs = selectors.directory_search(
        request.user,
        q=query.q or "",
        thematique=query.thematique or "",
        commune=query.commune or "",
        kind=query.kind or "",
    )
    rows, cursor = paginate(
        qs, sort=query.sort, sorts={"name": "name"}, cursor=query.cursor, limit=query.limit
    )
    return {"items": [_partner(p, p.active_services) for p in rows], "next_cursor": cursor}


@router.get(
    "/partners/{uuid:partner_id}",
    response={200: PartnerDetailOut, **DETAIL_ERRORS},
    summary="Un partenaire, ses services et ses contacts",
)
def get_partner(request, partner_id: uuid.UUID):
    _directory(request.user)
    partner = get_object_or_404(Partner.objects.visible_to(request.user), public_id=partner_id)
    contacts = Contact.objects.visible_to(request.user).filter(partner=partner, is_active=True)
    return {
        **_partner(partner, selectors.partner_services(partner)),
        "description": partner.description,
        "contacts": [
            {
                "id": c.public_id,
                "name": c.name,
                "role": c.role,
                "phone": c.phone,
                "email": c.email,
                "notes": c.notes,
            }
            for c in contacts
        ],
    }


def referrals_for(user):
    require_role(user, rules.CONTENT_ROLES)
    return (
        Referral.objects.visible_to(user)
        .select_related("case", "partner", "service", "contact", "created_by")
        .prefetch_related("consents")
    )


def _consent(c: Consent) -> dict:
    return {
        "id": c.public_id,
        "given_by": c.given_by,
        "representative_name": c.representative_name,
        "items": c.items,
        "recipient": c.recipient,
        "given_on": c.given_on,
        "valid_until": c.valid_until,
        "form": c.form,
        "note": c.note,
        "withdrawn_on": c.withdrawn_on,
    }


def referral_out(r: Referral) -> dict:
    return {
        "id": r.public_id,
        "case_id": r.case.public_id,
        "partner": {"id": r.partner.public_id, "name": r.partner.name},
        "service_id": public_id(r.service),
        "contact_id": public_id(r.contact),
        "request": r.request,
        "shared_items": r.shared_items,
        "status": r.status,
        "prepared_on": r.prepared_on,
        "sent_on": r.sent_on,
        "in_progress_on": r.in_progress_on,
        "answered_on": r.answered_on,
        "closed_on": r.closed_on,
        "decision": r.decision or None,
        "expected_answer_on": r.expected_answer_on,
        "emergency_reason": r.emergency_reason,
        "outcome": r.outcome,
        "created_by": user_ref(r.created_by),
        "consents": [_consent(c) for c in r.consents.all()],
        "created_at": r.created_at,
    }


@router.get(
    "/referrals",
    response={200: page_of(ReferralOut), **LIST_ERRORS},
    summary="Orientations vers des partenaires",
)
def list_referrals(request, query: Query[ReferralQuery]):
    qs = referrals_for(request.user)
    if query.case is not None:
        qs = qs.filter(case__public_id=query.case)
    if query.status is not None:
        qs = qs.filter(status=query.status)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"prepared_on": "prepared_on"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [referral_out(r) for r in rows], "next_cursor": cursor}


@router.get(
    "/referrals/{uuid:referral_id}",
    response={200: ReferralOut, **DETAIL_ERRORS},
    summary="Une orientation et ses consentements",
)
def get_referral(request, referral_id: uuid.UUID):
    row = get_object_or_404(referrals_for(request.user), public_id=referral_id)
    log_reads(request, [row])
    return referral_out(row)


# --- Writes -----------------------------------------------------------------------------


class ReferralIn(In):
    partner_id: uuid.UUID
    service_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    request: Text(LONG_TEXT_MAX_LENGTH, min_length=1) = Field(
        description="Ce qui est demandé au partenaire."
    )
    shared_items: list[enums.SharedItem] = Field(
        default_factory=list,
        max_length=len(enums.SharedItem.values),
        description="Les informations à transmettre, une à une (minimisation).",
    )
    expected_answer_on: IsoDate | None = None


class ConsentIn(In):
    given_by: enums.ConsentGiver = enums.ConsentGiver.PERSON
    representative_name: Text(150) = ""
    items: list[enums.SharedItem] = Field(max_length=len(enums.SharedItem.values))
    given_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")
    valid_until: IsoDate
    form: enums.ConsentForm
    note: Text(LONG_TEXT_MAX_LENGTH) = ""


class SendIn(In):
    sent_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")
    expected_answer_on: IsoDate | None = None
    emergency_reason: Text(LONG_TEXT_MAX_LENGTH) = Field(
        "", description="Seulement pour un envoi sans consentement, en urgence."
    )


class ReferralStatusIn(In):
    status: Literal["in_progress", "granted", "refused", "closed"]
    on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")
    outcome: Text(LONG_TEXT_MAX_LENGTH) | None = None


def _referral_response(request, pk) -> dict:
    row = referrals_for(request.user).get(pk=pk)
    log_reads(request, [row])
    return referral_out(row)


def _editable_referral(user, referral_id) -> Referral:
    return writable(
        user,
        referrals_for(user),
        Referral.objects.editable_by(user).select_related("case", "partner", "service"),
        referral_id,
    )


@router.post(
    "/cases/{uuid:case_id}/referrals",
    response={201: ReferralOut, **WRITE_ERRORS},
    summary="Préparer une orientation vers un partenaire",
)
def create_referral(request, case_id: uuid.UUID, payload: ReferralIn):
    user = request.user
    case = editable_case(user, case_id)
    partner = refs.one(
        Partner.objects.visible_to(user).filter(is_active=True), payload.partner_id, "partner_id"
    )
    service = refs.one(
        PartnerService.objects.visible_to(user).filter(partner=partner),
        payload.service_id,
        "service_id",
    )
    contact = refs.one(
        Contact.objects.visible_to(user).filter(partner=partner), payload.contact_id, "contact_id"
    )
    referral = services.referral_create(
        by=user,
        case=case,
        partner=partner,
        service=service,
        contact=contact,
        request=payload.request,
        shared_items=list(payload.shared_items),
        expected_answer_on=payload.expected_answer_on,
    )
    return Status(201, _referral_response(request, referral.pk))


@router.post(
    "/referrals/{uuid:referral_id}/consents",
    response={201: ReferralOut, **WRITE_ERRORS},
    summary="Enregistrer le consentement de la personne",
    description="Ce que la personne accepte de transmettre, à qui, jusqu'à quand.",
)
def record_consent(request, referral_id: uuid.UUID, payload: ConsentIn):
    referral = _editable_referral(request.user, referral_id)
    services.consent_record(
        by=request.user,
        referral=referral,
        given_by=payload.given_by,
        representative_name=payload.representative_name,
        items=list(payload.items),
        given_on=payload.given_on or timezone.localdate(),
        valid_until=payload.valid_until,
        form=payload.form,
        note=payload.note,
    )
    return Status(201, _referral_response(request, referral.pk))


@router.post(
    "/referrals/{uuid:referral_id}/send",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Marquer une orientation comme envoyée",
    description="Refusé (409) sans consentement valable couvrant les informations "
    "transmises, sauf motif d'urgence.",
)
def send_referral(request, referral_id: uuid.UUID, payload: SendIn):
    referral = _editable_referral(request.user, referral_id)
    services.referral_send(
        by=request.user,
        referral=referral,
        sent_on=payload.sent_on or timezone.localdate(),
        expected_answer_on=payload.expected_answer_on,
        emergency_reason=payload.emergency_reason,
    )
    return _referral_response(request, referral.pk)


@router.post(
    "/referrals/{uuid:referral_id}/status",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Enregistrer la réponse du partenaire, ou clore l'orientation",
)
def set_referral_status(request, referral_id: uuid.UUID, payload: ReferralStatusIn):
    referral = _editable_referral(request.user, referral_id)
    services.referral_set_status(
        by=request.user,
        referral=referral,
        status=payload.status,
        on=payload.on or timezone.localdate(),
        outcome=payload.outcome,
    )
    return _referral_response(request, referral.pk)


@router.post(
    "/consents/{uuid:consent_id}/withdraw",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Enregistrer le retrait d'un consentement",
)
def withdraw_consent(request, consent_id: uuid.UUID):
    user = request.user
    require_role(user, rules.CONTENT_ROLES)
    consent = refs.target(Consent.objects.visible_to(user).select_related("referral"), consent_id)
    referral = _editable_referral(user, consent.referral.public_id)
    services.consent_withdraw(by=user, consent=consent, on=timezone.localdate())
    return _referral_response(request, referral.pk)
