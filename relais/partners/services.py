"""Writes of the partners app: one function per action, in a transaction, with its audit row.

The functions assume clean input (forms validate at the edge) and refuse impossible
states with ``ReferralError``, whose message is meant for the user.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from relais.accounts.models import Organisation, User
from relais.audit.log import record_change, snapshot
from relais.cases import services as case_services
from relais.cases.errors import ActionRefused
from relais.cases.models import Case, Task
from relais.partners import enums
from relais.partners.models import (
    Consent,
    Contact,
    DirectoryImport,
    Partner,
    PartnerService,
    Referral,
    ServiceThematique,
)
from relais.partners.vocabulary import thematique_group

PARTNER_FIELDS = (
    "name",
    "kind",
    "siret",
    "address",
    "address_complement",
    "postal_code",
    "city",
    "insee_code",
    "phone",
    "email",
    "website",
    "description",
    "opening_hours",
    "is_active",
)
SERVICE_FIELDS = (
    "name",
    "description",
    "service_type",
    "thematiques",
    "publics",
    "publics_details",
    "modes_accueil",
    "zone_eligibilite",
    "fees",
    "fees_details",
    "access_conditions",
    "address",
    "postal_code",
    "city",
    "insee_code",
    "phone",
    "email",
    "contact_name",
    "mobilisation_url",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_details",
    "opening_hours",
    "is_active",
)
CONTACT_FIELDS = ("name", "role", "phone", "email", "notes", "is_active")


class ReferralError(ActionRefused):
    """An action the referral's state does not allow; the message is shown to the user."""


# --- Directory -------------------------------------------------------------------------


def _only(fields: dict, allowed) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    return fields


@transaction.atomic
def partner_create(*, by: User | None, organisation: Organisation, **fields) -> Partner:
    partner = Partner.objects.create(
        organisation=organisation, origin=enums.PartnerOrigin.LOCAL, **_only(fields, PARTNER_FIELDS)
    )
    record_change(user=by, verb="partner_create", obj=partner, after=snapshot(partner))
    return partner


@transaction.atomic
def partner_update(*, by: User, partner: Partner, **fields) -> Partner:
    before = snapshot(partner)
    for name, value in _only(fields, PARTNER_FIELDS).items():
        setattr(partner, name, value)
    partner.save()
    record_change(
        user=by, verb="partner_update", obj=partner, before=before, after=snapshot(partner)
    )
    return partner


def _sync_thematiques(service: PartnerService) -> None:
    wanted = set(service.thematiques)
    existing = dict(
        ServiceThematique.objects.filter(
            organisation_id=service.organisation_id, service=service
        ).values_list("code", "pk")
    )
    stale = [pk for code, pk in existing.items() if code not in wanted]
    if stale:
        ServiceThematique.objects.filter(pk__in=stale).delete()
    ServiceThematique.objects.bulk_create(
        ServiceThematique(
            organisation_id=service.organisation_id,
            service=service,
            partner_id=service.partner_id,
            code=code,
            group=thematique_group(code),
        )
        for code in sorted(wanted - set(existing))
    )


@transaction.atomic
def partner_service_create(*, by: User | None, partner: Partner, **fields) -> PartnerService:
    service = PartnerService.objects.create(
        organisation_id=partner.organisation_id, partner=partner, **_only(fields, SERVICE_FIELDS)
    )
    _sync_thematiques(service)
    record_change(user=by, verb="partner_service_create", obj=service, after=snapshot(service))
    return service


@transaction.atomic
def partner_service_update(*, by: User, service: PartnerService, **fields) -> PartnerService:
    before = snapshot(service)
    for name, value in _only(fields, SERVICE_FIELDS).items():
        setattr(service, name, value)
    service.save()
    _sync_thematiques(service)
    record_change(
        user=by,
        verb="partner_service_update",
        obj=service,
        before=before,
        after=snapshot(service),
    )
    return service


@transaction.atomic
def contact_create(*, by: User, partner: Partner, **fields) -> Contact:
    contact = Contact.objects.create(
        organisation_id=partner.organisation_id, partner=partner, **_only(fields, CONTACT_FIELDS)
    )
    record_change(user=by, verb="contact_create", obj=contact, after=snapshot(contact))
    return contact


@transaction.atomic
def contact_update(*, by: User, contact: Contact, **fields) -> Contact:
    before = snapshot(contact)
    for name, value in _only(fields, CONTACT_FIELDS).items():
        setattr(contact, name, value)
    contact.save()
    record_change(
        user=by, verb="contact_update", obj=contact, before=before, after=snapshot(contact)
    )
    return contact


@transaction.atomic
def national_partners_seed(*, organisation: Organisation, by: User | None = None) -> int:
    """Copy the national bodies (data/national_bodies.json) into the directory; idempotent."""
    from relais.partners.reference import national_bodies

    existing = set(
        Partner.objects.filter(organisation=organisation)
        .exclude(national_code="")
        .values_list("national_code", flat=True)
    )
    created = 0
    for body in national_bodies():
        if body["code"] in existing:
            continue
        partner = Partner.objects.create(
            organisation=organisation,
            origin=enums.PartnerOrigin.NATIONAL,
            national_code=body["code"],
            name=body["name"],
            kind=body["kind"],
            typologie=body.get("typologie", ""),
            reseaux_porteurs=body.get("reseaux_porteurs", []),
            phone=body.get("phone", ""),
            website=body.get("website", ""),
            description=body.get("description", ""),
        )
        record_change(user=by, verb="partner_seed", obj=partner, after=snapshot(partner))
        for item in body.get("services", []):
            service = PartnerService.objects.create(
                organisation=organisation,
                partner=partner,
                name=item["name"],
                service_type=item.get("type", ""),
                thematiques=item.get("thematiques", []),
                publics=item.get("publics", []),
                modes_accueil=item.get("modes_accueil", []),
            )
            _sync_thematiques(service)
        created += 1
    return created


def directory_ensure_seeded(organisation_id: int) -> None:
    """An organisation created before the partners app gets its national bodies once."""
    if not Partner.objects.filter(
        organisation_id=organisation_id, origin=enums.PartnerOrigin.NATIONAL
    ).exists():
        national_partners_seed(organisation=Organisation.objects.get(pk=organisation_id))


# --- Referrals -------------------------------------------------------------------------


def _check_items(items) -> list[str]:
    allowed = set(enums.SharedItem.values)
    unknown = set(items) - allowed
    if unknown:
        raise ReferralError(f"Information inconnue : {', '.join(sorted(unknown))}.")
    # Stored in the list's order, so that the letter reads the same every time.
    return [value for value in enums.SharedItem.values if value in set(items)]


def _check_directory_rows(case: Case, partner: Partner, service, contact) -> None:
    if partner.organisation_id != case.organisation_id:
        raise ReferralError("Ce partenaire n'existe pas dans votre annuaire.")
    if service is not None and service.partner_id != partner.pk:
        raise ReferralError("Ce service n'appartient pas au partenaire choisi.")
    if contact is not None and contact.partner_id != partner.pk:
        raise ReferralError("Ce contact n'appartient pas au partenaire choisi.")


@transaction.atomic
def referral_create(
    *,
    by: User,
    case: Case,
    partner: Partner,
    request: str,
    shared_items: list[str],
    service: PartnerService | None = None,
    contact: Contact | None = None,
    expected_answer_on: datetime.date | None = None,
    prepared_on: datetime.date | None = None,
) -> Referral:
    if case.is_closed:
        raise ReferralError("Cet accompagnement est clos : rouvrez-le pour y écrire.")
    _check_directory_rows(case, partner, service, contact)
    referral = Referral.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        partner=partner,
        service=service,
        contact=contact,
        created_by=by,
        request=request,
        shared_items=_check_items(shared_items),
        expected_answer_on=expected_answer_on,
        prepared_on=prepared_on or timezone.localdate(),
    )
    record_change(user=by, verb="referral_create", obj=referral, after=snapshot(referral))
    return referral


@transaction.atomic
def referral_update(
    *,
    by: User,
    referral: Referral,
    request: str,
    shared_items: list[str],
    service: PartnerService | None,
    contact: Contact | None,
    expected_answer_on: datetime.date | None,
) -> Referral:
    """Change what is asked and passed. Once sent, what was passed can no longer change."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "partner", "chase_task")
        .get(pk=referral.pk)
    )
    _check_directory_rows(referral.case, referral.partner, service, contact)
    items = _check_items(shared_items)
    if referral.status != enums.ReferralStatus.PREPARED and items != referral.shared_items:
        raise ReferralError(
            "L'orientation est déjà envoyée : les informations transmises ne peuvent plus changer."
        )
    before = snapshot(referral)
    if items != referral.shared_items:
        # The saved letter may name items no longer ticked: it is written again from the file.
        referral.letter_text = ""
    referral.request = request
    referral.shared_items = items
    referral.service = service
    referral.contact = contact
    referral.expected_answer_on = expected_answer_on
    referral.save()
    if referral.is_awaiting_answer and expected_answer_on:
        if referral.chase_task_id:
            _chase_task_reschedule(by=by, referral=referral)
        else:
            referral.chase_task = _chase_task_create(by=by, referral=referral)
            referral.save(update_fields=["chase_task"])
    record_change(
        user=by, verb="referral_update", obj=referral, before=before, after=snapshot(referral)
    )
    return referral


@transaction.atomic
def consent_record(
    *,
    by: User,
    referral: Referral,
    given_by: str,
    items: list[str],
    given_on: datetime.date,
    valid_until: datetime.date,
    form: str,
    representative_name: str = "",
    note: str = "",
) -> Consent:
    if valid_until < given_on:
        raise ReferralError("La fin de validité du consentement précède la date où il est donné.")
    consent = Consent.objects.create(
        organisation_id=referral.organisation_id,
        case_id=referral.case_id,
        referral=referral,
        given_by=given_by,
        representative_name=representative_name,
        items=_check_items(items),
        recipient=referral.recipient_label(),
        given_on=given_on,
        valid_until=valid_until,
        form=form,
        note=note,
        recorded_by=by,
    )
    record_change(user=by, verb="consent_record", obj=consent, after=snapshot(consent))
    return consent


@transaction.atomic
def consent_withdraw(*, by: User, consent: Consent, on: datetime.date) -> Consent:
    if consent.withdrawn_on is not None:
        return consent
    before = snapshot(consent)
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    record_change(
        user=by, verb="consent_withdraw", obj=consent, before=before, after=snapshot(consent)
    )
    return consent


def valid_consent(referral: Referral, on: datetime.date) -> Consent | None:
    """The consent that allows passing the referral's items that day, if any."""
    for consent in Consent.objects.filter(
        organisation_id=referral.organisation_id, referral=referral
    ):
        if consent.covers(referral.shared_items, on):
            return consent
    return None


def _chase_task_create(*, by: User, referral: Referral) -> Task:
    return case_services.task_create(
        by=by,
        case=referral.case,
        assignee=by,
        title=f"Relancer {referral.partner.name}"[:150] + " (réponse à une orientation)",
        due_on=referral.expected_answer_on,
    )


def _chase_task_reschedule(*, by: User, referral: Referral) -> None:
    task = referral.chase_task
    if task is None or task.done_at is not None or task.due_on == referral.expected_answer_on:
        return
    before = snapshot(task)
    task.due_on = referral.expected_answer_on
    task.save(update_fields=["due_on"])
    record_change(user=by, verb="task_reschedule", obj=task, before=before, after=snapshot(task))


def _chase_task_done(*, by: User, referral: Referral) -> None:
    task = referral.chase_task
    if task is not None and task.done_at is None:
        case_services.task_complete(by=by, task=task)


def _require_transition(referral: Referral, status: str) -> None:
    if status not in referral.allowed_next_statuses():
        raise ReferralError(
            f"Une orientation « {referral.get_status_display().lower()} » ne peut pas passer "
            f"à « {enums.ReferralStatus(status).label.lower()} »."
        )


@transaction.atomic
def referral_send(
    *,
    by: User,
    referral: Referral,
    sent_on: datetime.date,
    expected_answer_on: datetime.date | None = None,
    emergency_reason: str = "",
) -> Referral:
    """Mark the referral sent. Nothing leaves the team without the person's consent, except
    in an emergency whose reason is recorded."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_transition(referral, enums.ReferralStatus.SENT)
    emergency_reason = emergency_reason.strip()
    if valid_consent(referral, sent_on) is None and not emergency_reason:
        raise ReferralError(
            "Aucun consentement valable ne couvre les informations transmises : recueillez "
            "le consentement de la personne, ou indiquez le motif d'urgence."
        )
    before = snapshot(referral)
    referral.status = enums.ReferralStatus.SENT
    referral.sent_on = sent_on
    if expected_answer_on is not None:
        referral.expected_answer_on = expected_answer_on
    referral.emergency_reason = emergency_reason
    if referral.expected_answer_on is not None:
        referral.chase_task = _chase_task_create(by=by, referral=referral)
    referral.save()
    record_change(
        user=by, verb="referral_send", obj=referral, before=before, after=snapshot(referral)
    )
    return referral


@transaction.atomic
def referral_set_status(
    *,
    by: User,
    referral: Referral,
    status: str,
    on: datetime.date,
    outcome: str | None = None,
) -> Referral:
    """Record what the partner did: taken up, granted, refused; or close the referral."""
    if status == enums.ReferralStatus.SENT:
        raise ReferralError("Utilisez « Marquer comme envoyée » pour envoyer une orientation.")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_transition(referral, status)
    if referral.sent_on and on < referral.sent_on:
        raise ReferralError("Cette date précède l'envoi de l'orientation.")
    before = snapshot(referral)
    referral.status = status
    if status == enums.ReferralStatus.IN_PROGRESS:
        referral.in_progress_on = on
    elif status in enums.ANSWERED_STATUSES:
        referral.answered_on = on
        referral.decision = status
        if referral.sent_on:
            referral.answer_delay_days = (on - referral.sent_on).days
    elif status == enums.ReferralStatus.CLOSED:
        referral.closed_on = on
    if outcome is not None:
        referral.outcome = outcome
    referral.save()
    if status != enums.ReferralStatus.IN_PROGRESS:
        _chase_task_done(by=by, referral=referral)
    record_change(
        user=by, verb="referral_set_status", obj=referral, before=before, after=snapshot(referral)
    )
    return referral


@transaction.atomic
def referral_letter_save(*, by: User, referral: Referral, text: str) -> Referral:
    before = snapshot(referral, ["letter_text"])
    referral.letter_text = text
    referral.save(update_fields=["letter_text", "updated_at"])
    record_change(
        user=by,
        verb="referral_letter_save",
        obj=referral,
        before=before,
        after=snapshot(referral, ["letter_text"]),
    )
    return referral


# --- Import ----------------------------------------------------------------------------


@transaction.atomic
def directory_import_create(
    *,
    by: User,
    organisation: Organisation,
    format: str,
    structures: tuple[str, bytes] | None,
    services: tuple[str, bytes] | None,
) -> DirectoryImport:
    """Keep the uploaded files for the worker; ``directory_import_start`` queues the work."""
    directory_import = DirectoryImport.objects.create(
        organisation=organisation,
        created_by=by,
        format=format,
        structures_name=structures[0][:200] if structures else "",
        structures_payload=structures[1] if structures else None,
        services_name=services[0][:200] if services else "",
        services_payload=services[1] if services else None,
    )
    record_change(
        user=by,
        verb="directory_import_create",
        obj=directory_import,
        after=snapshot(directory_import, ["format", "structures_name", "services_name"]),
    )
    return directory_import


def directory_import_start(directory_import: DirectoryImport) -> None:
    """Queue the import; call it after the transaction that created the row has committed."""
    from relais.partners.tasks import directory_import_run

    directory_import_run.enqueue(import_id=directory_import.pk)
