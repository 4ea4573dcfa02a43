"""Writes on the social file: one function per action, keyword-only, each in one transaction
with its audit row (``record_change``).

Callers (web views, the API, commands) check permissions first through ``relais.policy``
(e.g. ``Case.objects.editable_by(user)``). These functions keep the file consistent: same
organisation everywhere, possible transitions only (a case is closed with a reason, only an
open case is closed, only a closed one is reopened…), texts within their limits. What they
refuse raises ``ActionRefused`` with a French message a view can show as it is.

They also keep ``Case.last_activity_at`` (lists, "sans nouvelles") and
``Person.last_contact_at`` (start of the 2-year retention delay) up to date.
"""

import datetime
import decimal
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from relais.accounts.models import Membership, Team, User
from relais.audit.log import record_change, snapshot
from relais.cases import enums
from relais.cases.errors import ActionRefused, acting_organisation_id, check_same_organisation
from relais.cases.followup import SICK_LEAVE_SITUATIONS, followup_tasks_create, primary_referent
from relais.cases.models import (
    LONG_TEXT_MAX_LENGTH,
    Action,
    Appointment,
    Case,
    CaseConcern,
    CaseReferent,
    CaseShare,
    Concern,
    FinancialAid,
    Goal,
    Intervention,
    InterventionConcern,
    Note,
    NoteShare,
    Request,
    RequestConcern,
    SupportPlan,
    Task,
)
from relais.people.models import Person
from relais.people.services import person_touch_contact
from relais.policy import rules

# Interventions that are a contact with the person (the others are done for them).
CONTACT_KINDS = frozenset(enums.InterventionKind) - {
    enums.InterventionKind.STEP,
    enums.InterventionKind.CASE_MEETING,
}
# A little tolerance for clocks: "now" typed on a laptop may be a minute ahead.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


# --- Consistency checks ---------------------------------------------------------------


def _check_members(
    organisation_id: int, users: Iterable[User], roles: Iterable[str], refusal: str
) -> None:
    ids = {user.pk for user in users}
    if not ids:
        return
    found = set(
        Membership.objects.filter(
            organisation_id=organisation_id, user_id__in=ids, is_active=True, role__in=roles
        ).values_list("user_id", flat=True)
    )
    if found != ids:
        raise ActionRefused(refusal)


def _check_concerns(organisation_id: int, concerns: Iterable[Concern]) -> list[Concern]:
    concerns = list(concerns)
    check_same_organisation(organisation_id, *concerns)
    return concerns


def _check_text(text: str, label: str) -> str:
    if len(text) > LONG_TEXT_MAX_LENGTH:
        limit = f"{LONG_TEXT_MAX_LENGTH:,}".replace(",", "\u202f")
        raise ActionRefused(f"{label} dépasse la limite de {limit} caractères.")
    return text


def _check_case_open(case: Case) -> None:
    if case.is_closed:
        raise ActionRefused("Cet accompagnement est clos : rouvrez-le pour y écrire.")


def _check_not_future(moment: datetime.datetime, label: str) -> None:
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise ActionRefused(f"{label} ne peut pas être dans le futur.")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _check_past_day(day: datetime.date, label: str) -> datetime.date:
    if day > timezone.localdate():
        raise ActionRefused(f"{label} ne peut pas être dans le futur.")
    return day


def _french_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


# --- Keeping dates of activity ---------------------------------------------------------


def _touch_case(case: Case, at: datetime.datetime | None = None) -> None:
    """Move the case's last activity forward (not audited: it follows an audited write)."""
    at = at or timezone.now()
    Case.objects.filter(pk=case.pk).filter(
        Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=at)
    ).update(last_activity_at=at)
    if case.last_activity_at is None or case.last_activity_at < at:
        case.last_activity_at = at


def _case_state(case: Case) -> dict:
    """The audit view of a case, with its referents and concerns."""
    links = CaseReferent.objects.filter(organisation_id=case.organisation_id, case=case)
    return {
        **snapshot(case),
        "referents": sorted(links.values_list("user_id", flat=True)),
        "primary_referent": links.filter(is_primary=True).values_list("user_id", flat=True).first(),
        "concerns": sorted(
            CaseConcern.objects.filter(organisation_id=case.organisation_id, case=case).values_list(
                "concern_id", flat=True
            )
        ),
    }


# --- Requests (intake) ----------------------------------------------------------------


def _request_followups(by: User, request: Request, concerns: Sequence[Concern]) -> list[Task]:
    if request.urgency == enums.Urgency.NORMAL:
        return []
    assignee = request.assigned_to
    if assignee is None and rules.has_role(by, rules.CASEWORK_ROLES):
        assignee = by
    if assignee is None:
        # Nobody to give them to yet: they are created when the request is assigned.
        return []
    return followup_tasks_create(
        by=by,
        trigger=enums.FollowUpTrigger.URGENT_REQUEST,
        organisation_id=request.organisation_id,
        start=request.received_on,
        assignee=assignee,
        request=request,
        urgency=request.urgency,
        concerns=concerns,
    )


@transaction.atomic
def request_record(
    *,
    by: User,
    person: Person,
    origin: str,
    channel: str,
    received_on: datetime.date | None = None,
    urgency: str = enums.Urgency.NORMAL,
    summary: str = "",
    concerns: Iterable[Concern] = (),
    assigned_to: User | None = None,
) -> Request:
    """Record a request received at intake (the secretary may do it too).

    An urgent request gets its follow-up tasks (e.g. call back within 48 h) for the
    worker it is given to.
    """
    organisation_id = acting_organisation_id(by)
    check_same_organisation(organisation_id, person)
    concerns = _check_concerns(organisation_id, concerns)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ActionRefused("La date de réception ne peut pas être dans le futur.")
    if assigned_to is not None:
        _check_members(
            organisation_id,
            [assigned_to],
            rules.CASEWORK_ROLES,
            "Une demande se confie à un·e assistant·e de service social du service.",
        )
    request = Request.objects.create(
        organisation_id=organisation_id,
        person=person,
        origin=origin,
        channel=channel,
        received_on=received_on,
        urgency=urgency,
        summary=_check_text(summary, "Le résumé"),
        received_by=by,
        assigned_to=assigned_to,
    )
    RequestConcern.objects.bulk_create(
        RequestConcern(organisation_id=organisation_id, request=request, concern=concern)
        for concern in concerns
    )
    record_change(
        user=by,
        verb="request_record",
        obj=request,
        after={**snapshot(request), "concerns": sorted(c.pk for c in concerns)},
    )
    if origin == enums.RequestOrigin.PERSON:
        person_touch_contact(person, timezone.now())
    _request_followups(by, request, concerns)
    return request


def _check_request_waiting(request: Request) -> None:
    if request.status != enums.RequestStatus.WAITING:
        raise ActionRefused("Cette demande a déjà été traitée.")


@transaction.atomic
def request_assign(*, by: User, request: Request, to: User) -> Request:
    """Give a waiting request to a worker (its follow-up tasks go with it)."""
    _check_request_waiting(request)
    _check_members(
        request.organisation_id,
        [to],
        rules.CASEWORK_ROLES,
        "Une demande se confie à un·e assistant·e de service social du service.",
    )
    before = snapshot(request, ["assigned_to"])
    request.assigned_to = to
    request.save(update_fields=["assigned_to"])
    record_change(
        user=by,
        verb="request_assign",
        obj=request,
        before=before,
        after=snapshot(request, ["assigned_to"]),
    )
    for task in request.tasks.filter(done_at__isnull=True).exclude(assignee=to):
        _task_reassign(by, task, to)
    _request_followups(by, request, list(request.concerns.all()))
    return request


def _task_reassign(by: User, task: Task, to: User) -> None:
    before = snapshot(task, ["assignee"])
    task.assignee = to
    task.save(update_fields=["assignee"])
    record_change(
        user=by, verb="task_reassign", obj=task, before=before, after=snapshot(task, ["assignee"])
    )


@transaction.atomic
def request_close(
    *, by: User, request: Request, reason: str, closed_on: datetime.date | None = None
) -> Request:
    """Close a request without opening a case (information given, redirected…)."""
    _check_request_waiting(request)
    if reason not in enums.RequestClosingReason.values:
        raise ActionRefused("Indiquez pourquoi la demande est close.")
    closed_on = _check_past_day(closed_on or timezone.localdate(), "La date de clôture")
    if closed_on < request.received_on:
        raise ActionRefused("La demande ne peut pas être close avant d'être reçue.")
    before = snapshot(request)
    request.status = enums.RequestStatus.CLOSED
    request.closing_reason = reason
    request.closed_on = closed_on
    request.save(update_fields=["status", "closing_reason", "closed_on"])
    record_change(
        user=by, verb="request_close", obj=request, before=before, after=snapshot(request)
    )
    # Its follow-ups ("call back within 48 h") have no object any more.
    for task in request.tasks.filter(done_at__isnull=True):
        _task_done(by, task, verb="task_close_with_request")
    return request


@transaction.atomic
def request_convert_to_case(
    *,
    by: User,
    request: Request,
    referents: Sequence[User] | None = None,
    concerns: Iterable[Concern] | None = None,
    case: Case | None = None,
    converted_on: datetime.date | None = None,
) -> Case:
    """The request becomes a case: a new one, or the person's case still open (``case``).

    Its tasks and appointments move to the case.
    """
    _check_request_waiting(request)
    converted_on = _check_past_day(converted_on or timezone.localdate(), "La date")
    if converted_on < request.received_on:
        raise ActionRefused("La demande ne peut pas devenir un accompagnement avant d'être reçue.")
    if case is not None:
        check_same_organisation(request.organisation_id, case)
        if case.person_id != request.person_id:
            raise ActionRefused("Cet accompagnement concerne une autre personne.")
        _check_case_open(case)
        _touch_case(case)
    else:
        if concerns is None:
            concerns = list(request.concerns.all())
        case = case_open(
            by=by,
            person=request.person,
            referents=referents or [request.assigned_to or by],
            concerns=concerns,
            opened_on=converted_on,
        )
    before = snapshot(request)
    request.status = enums.RequestStatus.CONVERTED
    request.case = case
    request.closed_on = converted_on
    request.save(update_fields=["status", "case", "closed_on"])
    record_change(
        user=by, verb="request_convert_to_case", obj=request, before=before, after=snapshot(request)
    )
    for row in [*request.tasks.all(), *request.appointments.all()]:
        row_before = snapshot(row, ["case"])
        row.case = case
        row.save(update_fields=["case"])
        record_change(
            user=by,
            verb="attach_to_case",
            obj=row,
            before=row_before,
            after=snapshot(row, ["case"]),
        )
    return case


# --- Cases -----------------------------------------------------------------------------


def _check_referents(organisation_id: int, referents: Sequence[User]) -> list[User]:
    referents = list(dict.fromkeys(referents))
    if not referents:
        raise ActionRefused("Un accompagnement a au moins un·e référent·e.")
    _check_members(
        organisation_id,
        referents,
        rules.CASEWORK_ROLES,
        "Les référent·es sont des assistant·es de service social du service.",
    )
    return referents


def _set_referents(case: Case, referents: list[User]) -> None:
    CaseReferent.objects.filter(organisation_id=case.organisation_id, case=case).exclude(
        user__in=referents
    ).delete()
    existing = {
        link.user_id: link
        for link in CaseReferent.objects.filter(organisation_id=case.organisation_id, case=case)
    }
    for position, user in enumerate(referents):
        is_primary = position == 0
        link = existing.get(user.pk)
        if link is None:
            CaseReferent.objects.create(
                organisation_id=case.organisation_id,
                case=case,
                user=user,
                is_primary=is_primary,
                case_open=not case.is_closed,
            )
        elif link.is_primary != is_primary:
            link.is_primary = is_primary
            link.save(update_fields=["is_primary"])


def _set_referent_links_open(case: Case) -> None:
    """Keep ``CaseReferent.case_open`` equal to "the case is not closed"."""
    CaseReferent.objects.filter(organisation_id=case.organisation_id, case=case).update(
        case_open=not case.is_closed
    )


def _set_concerns(case: Case, concerns: list[Concern]) -> None:
    CaseConcern.objects.filter(organisation_id=case.organisation_id, case=case).exclude(
        concern__in=concerns
    ).delete()
    existing = set(
        CaseConcern.objects.filter(organisation_id=case.organisation_id, case=case).values_list(
            "concern_id", flat=True
        )
    )
    CaseConcern.objects.bulk_create(
        CaseConcern(organisation_id=case.organisation_id, case=case, concern=concern)
        for concern in concerns
        if concern.pk not in existing
    )


@transaction.atomic
def case_open(
    *,
    by: User,
    person: Person,
    referents: Sequence[User] | None = None,
    concerns: Iterable[Concern] = (),
    team: Team | None = None,
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a case for the person; the first referent listed is the primary one."""
    organisation_id = acting_organisation_id(by)
    check_same_organisation(organisation_id, person, team)
    referents = _check_referents(organisation_id, referents or [by])
    concerns = _check_concerns(organisation_id, concerns)
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ActionRefused("La date d'ouverture ne peut pas être dans le futur.")
    if team is None:
        membership = rules.membership(referents[0]) if referents[0] == by else None
        team = membership.team if membership else None
    case = Case.objects.create(
        organisation_id=organisation_id,
        person=person,
        opened_on=opened_on,
        team=team,
        status=enums.CaseStatus.OPEN,
        last_activity_at=timezone.now()
        if opened_on == timezone.localdate()
        else _day_start(opened_on),
    )
    _set_referents(case, referents)
    _set_concerns(case, concerns)
    record_change(user=by, verb="case_open", obj=case, after=_case_state(case))
    followup_tasks_create(
        by=by,
        trigger=enums.FollowUpTrigger.CASE_OPENED,
        organisation_id=organisation_id,
        start=opened_on,
        assignee=referents[0],
        case=case,
        concerns=concerns,
    )
    if person.work_situation in SICK_LEAVE_SITUATIONS:
        followup_tasks_create(
            by=by,
            trigger=enums.FollowUpTrigger.SICK_LEAVE,
            organisation_id=organisation_id,
            start=person.work_situation_since or opened_on,
            assignee=referents[0],
            case=case,
        )
    return case


@transaction.atomic
def case_update(
    *,
    by: User,
    case: Case,
    referents: Sequence[User] | None = None,
    concerns: Iterable[Concern] | None = None,
) -> Case:
    """Change the referents (first = primary) or the concerns of an open case."""
    _check_case_open(case)
    before = _case_state(case)
    if referents is not None:
        _set_referents(case, _check_referents(case.organisation_id, referents))
    if concerns is not None:
        _set_concerns(case, _check_concerns(case.organisation_id, concerns))
    _touch_case(case)
    record_change(user=by, verb="case_update", obj=case, before=before, after=_case_state(case))
    return case


@transaction.atomic
def case_close(
    *, by: User, case: Case, reason: str, closed_on: datetime.date | None = None
) -> Case:
    """Close a case, always with a reason."""
    if case.is_closed:
        raise ActionRefused("Cet accompagnement est déjà clos.")
    if reason not in enums.CaseClosingReason.values:
        raise ActionRefused("Indiquez le motif de clôture.")
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise ActionRefused("La date de clôture ne peut pas être dans le futur.")
    if closed_on < case.opened_on:
        raise ActionRefused("La date de clôture précède l'ouverture de l'accompagnement.")
    before = snapshot(case)
    case.status = enums.CaseStatus.CLOSED
    case.closing_reason = reason
    case.closed_on = closed_on
    case.save(update_fields=["status", "closing_reason", "closed_on"])
    _set_referent_links_open(case)
    _touch_case(case)
    record_change(user=by, verb="case_close", obj=case, before=before, after=snapshot(case))
    return case


@transaction.atomic
def case_reopen(*, by: User, case: Case) -> Case:
    """Reopen a closed case (the person comes back): it is active again."""
    if not case.is_closed:
        raise ActionRefused("Cet accompagnement n'est pas clos.")
    before = snapshot(case)
    case.status = enums.CaseStatus.ACTIVE
    case.closing_reason = ""
    case.closed_on = None
    case.save(update_fields=["status", "closing_reason", "closed_on"])
    _set_referent_links_open(case)
    _touch_case(case)
    record_change(user=by, verb="case_reopen", obj=case, before=before, after=snapshot(case))
    return case


@transaction.atomic
def case_share(
    *,
    by: User,
    case: Case,
    shared_with: User,
    until: datetime.date,
    reason: str,
    starts_on: datetime.date | None = None,
) -> CaseShare:
    """Let a colleague see and write in the case until a date (absence, continuity)."""
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Indiquez pourquoi vous partagez ce dossier.")
    starts_on = starts_on or timezone.localdate()
    if until < max(starts_on, timezone.localdate()):
        raise ActionRefused("La date de fin du partage est déjà passée.")
    _check_members(
        case.organisation_id,
        [shared_with],
        rules.CONTENT_ROLES,
        "Un dossier se partage avec un·e collègue du service.",
    )
    if case.referent_links.filter(user=shared_with).exists():
        raise ActionRefused("Cette personne est déjà référente du dossier.")
    current = CaseShare.objects.filter(
        organisation_id=case.organisation_id,
        case=case,
        shared_with=shared_with,
        revoked_at__isnull=True,
        ends_on__gte=timezone.localdate(),
    ).first()
    if current is not None:
        raise ActionRefused(
            f"Ce dossier est déjà partagé avec cette personne jusqu'au "
            f"{_french_date(current.ends_on)} : retirez ce partage pour en définir un autre."
        )
    share = CaseShare.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        shared_with=shared_with,
        shared_by=by,
        reason=reason[:250],
        starts_on=starts_on,
        ends_on=until,
    )
    record_change(user=by, verb="case_share", obj=share, after=snapshot(share))
    return share


@transaction.atomic
def case_share_revoke(*, by: User, share: CaseShare) -> CaseShare:
    if share.revoked_at is not None:
        raise ActionRefused("Ce partage a déjà été retiré.")
    before = snapshot(share)
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    record_change(
        user=by, verb="case_share_revoke", obj=share, before=before, after=snapshot(share)
    )
    return share


# --- Interventions and notes ----------------------------------------------------------


def _check_note_readers(organisation_id: int, users: Iterable[User], author: User) -> list[User]:
    users = [user for user in dict.fromkeys(users) if user.pk != author.pk]
    _check_members(
        organisation_id,
        users,
        rules.CONTENT_ROLES,
        "Une analyse professionnelle ne se partage qu'avec des collègues du service.",
    )
    return users


def _set_note_readers(note: Note, users: list[User]) -> None:
    NoteShare.objects.filter(organisation_id=note.organisation_id, note=note).exclude(
        user__in=users
    ).delete()
    existing = set(
        NoteShare.objects.filter(organisation_id=note.organisation_id, note=note).values_list(
            "user_id", flat=True
        )
    )
    NoteShare.objects.bulk_create(
        NoteShare(organisation_id=note.organisation_id, note=note, user=user)
        for user in users
        if user.pk not in existing
    )


def _note_state(note: Note) -> dict:
    readers = NoteShare.objects.filter(organisation_id=note.organisation_id, note=note)
    return {**snapshot(note), "shared_with": sorted(readers.values_list("user_id", flat=True))}


@transaction.atomic
def note_add(
    *,
    by: User,
    case: Case,
    body: str,
    kind: str = enums.NoteKind.FACT,
    shared_with: Iterable[User] = (),
    intervention: Intervention | None = None,
) -> Note:
    """A note on the case. Facts are read by whoever sees the case; a professional
    assessment only by its author and the colleagues named in ``shared_with``."""
    _check_case_open(case)
    body = _check_text(body.strip(), "La note")
    if not body:
        raise ActionRefused("La note est vide.")
    if kind not in enums.NoteKind.values:
        raise ActionRefused("Choisissez la nature de la note.")
    if intervention is not None and intervention.case_id != case.pk:
        raise ActionRefused("Cet entretien appartient à un autre accompagnement.")
    readers = (
        _check_note_readers(case.organisation_id, shared_with, by)
        if kind == enums.NoteKind.ASSESSMENT
        else []
    )
    note = Note.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        intervention=intervention,
        author=by,
        kind=kind,
        body=body,
    )
    _set_note_readers(note, readers)
    record_change(user=by, verb="note_add", obj=note, after=_note_state(note))
    _touch_case(case, intervention.occurred_at if intervention else None)
    return note


@transaction.atomic
def note_update(
    *,
    by: User,
    note: Note,
    body: str | None = None,
    kind: str | None = None,
    shared_with: Iterable[User] | None = None,
) -> Note:
    """Only the author changes a note; the change log keeps what it said before."""
    if note.author_id != by.pk:
        raise ActionRefused("Seul·e l'auteur·e d'une note peut la modifier.")
    _check_case_open(note.case)
    before = _note_state(note)
    if body is not None:
        body = _check_text(body.strip(), "La note")
        if not body:
            raise ActionRefused("La note est vide.")
        note.body = body
    if kind is not None:
        if kind not in enums.NoteKind.values:
            raise ActionRefused("Choisissez la nature de la note.")
        note.kind = kind
    note.save()
    if note.kind == enums.NoteKind.FACT:
        _set_note_readers(note, [])
    elif shared_with is not None:
        _set_note_readers(note, _check_note_readers(note.organisation_id, shared_with, by))
    record_change(user=by, verb="note_update", obj=note, before=before, after=_note_state(note))
    _touch_case(note.case)
    return note


@transaction.atomic
def intervention_record(
    *,
    by: User,
    case: Case,
    kind: str,
    occurred_at: datetime.datetime,
    duration_minutes: int = 0,
    place: str = "",
    participants: str = "",
    concerns: Iterable[Concern] = (),
    note_body: str = "",
    note_kind: str = enums.NoteKind.FACT,
    note_shared_with: Iterable[User] = (),
    appointment: Appointment | None = None,
) -> Intervention:
    """Record an interview, visit, call, letter or step, once: it feeds the timeline, the
    reports and the statistics. With ``note_body``, its note; with ``appointment``, the
    appointment it honoured."""
    _check_case_open(case)
    _check_not_future(occurred_at, "La date de l'intervention")
    concerns = _check_concerns(case.organisation_id, concerns)
    if appointment is not None:
        check_same_organisation(case.organisation_id, appointment)
        if appointment.person_id not in (None, case.person_id):
            raise ActionRefused("Ce rendez-vous concerne une autre personne.")
        if appointment.status != enums.AppointmentStatus.PLANNED:
            raise ActionRefused("Ce rendez-vous a déjà été traité.")
    intervention = Intervention.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        place=place,
        participants=participants,
        author=by,
    )
    InterventionConcern.objects.bulk_create(
        InterventionConcern(
            organisation_id=case.organisation_id, intervention=intervention, concern=concern
        )
        for concern in concerns
    )
    record_change(
        user=by,
        verb="intervention_record",
        obj=intervention,
        after={**snapshot(intervention), "concerns": sorted(c.pk for c in concerns)},
    )
    if note_body.strip():
        note_add(
            by=by,
            case=case,
            body=note_body,
            kind=note_kind,
            shared_with=note_shared_with,
            intervention=intervention,
        )
    if appointment is not None:
        before = snapshot(appointment)
        appointment.status = enums.AppointmentStatus.DONE
        appointment.intervention = intervention
        appointment.case = case
        appointment.save(update_fields=["status", "intervention", "case"])
        record_change(
            user=by,
            verb="appointment_mark",
            obj=appointment,
            before=before,
            after=snapshot(appointment),
        )
    if case.status == enums.CaseStatus.OPEN:
        before = snapshot(case, ["status"])
        case.status = enums.CaseStatus.ACTIVE
        case.save(update_fields=["status"])
        record_change(
            user=by, verb="case_activate", obj=case, before=before, after=snapshot(case, ["status"])
        )
    _touch_case(case, occurred_at)
    if kind in CONTACT_KINDS:
        person_touch_contact(case.person, occurred_at)
    return intervention


# --- Support plan ---------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    by: User,
    case: Case,
    started_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
) -> SupportPlan:
    _check_case_open(case)
    started_on = started_on or timezone.localdate()
    if review_on is not None and review_on < started_on:
        raise ActionRefused("Le bilan ne peut pas précéder le début du plan.")
    plan = SupportPlan.objects.create(
        organisation_id=case.organisation_id, case=case, started_on=started_on, review_on=review_on
    )
    record_change(user=by, verb="plan_create", obj=plan, after=snapshot(plan))
    _touch_case(case)
    return plan


@transaction.atomic
def goal_add(*, by: User, plan: SupportPlan, person_words: str, worker_wording: str = "") -> Goal:
    """A goal, in the person's own words first."""
    _check_case_open(plan.case)
    person_words = _check_text(person_words.strip(), "L'objectif")
    if not person_words:
        raise ActionRefused("Écrivez l'objectif avec les mots de la personne.")
    last = plan.goals.aggregate(last=Max("position"))["last"]
    goal = Goal.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        person_words=person_words,
        worker_wording=_check_text(worker_wording.strip(), "La reformulation"),
        position=0 if last is None else last + 1,
    )
    record_change(user=by, verb="goal_add", obj=goal, after=snapshot(goal))
    _touch_case(plan.case)
    return goal


@transaction.atomic
def goal_update(
    *,
    by: User,
    goal: Goal,
    person_words: str | None = None,
    worker_wording: str | None = None,
    status: str | None = None,
) -> Goal:
    case = goal.plan.case
    _check_case_open(case)
    before = snapshot(goal)
    if person_words is not None:
        person_words = _check_text(person_words.strip(), "L'objectif")
        if not person_words:
            raise ActionRefused("Écrivez l'objectif avec les mots de la personne.")
        goal.person_words = person_words
    if worker_wording is not None:
        goal.worker_wording = _check_text(worker_wording.strip(), "La reformulation")
    if status is not None:
        goal.status = status
    goal.save()
    record_change(user=by, verb="goal_update", obj=goal, before=before, after=snapshot(goal))
    _touch_case(case)
    return goal


@transaction.atomic
def action_add(
    *,
    by: User,
    goal: Goal,
    description: str,
    owner: str,
    partner_name: str = "",
    due_on: datetime.date | None = None,
) -> Action:
    case = goal.plan.case
    _check_case_open(case)
    description = description.strip()
    if not description:
        raise ActionRefused("Décrivez l'action.")
    action = Action.objects.create(
        organisation_id=goal.organisation_id,
        goal=goal,
        description=description,
        owner=owner,
        partner_name=partner_name,
        due_on=due_on,
    )
    record_change(user=by, verb="action_add", obj=action, after=snapshot(action))
    _touch_case(case)
    return action


@transaction.atomic
def action_update(
    *,
    by: User,
    action: Action,
    description: str | None = None,
    owner: str | None = None,
    partner_name: str | None = None,
    due_on: datetime.date | None = None,
    status: str | None = None,
) -> Action:
    """Change an action; marking it done dates it."""
    case = action.goal.plan.case
    _check_case_open(case)
    before = snapshot(action)
    if description is not None:
        if not description.strip():
            raise ActionRefused("Décrivez l'action.")
        action.description = description.strip()
    if owner is not None:
        action.owner = owner
    if partner_name is not None:
        action.partner_name = partner_name
    if due_on is not None:
        action.due_on = due_on
    if status is not None and status != action.status:
        action.status = status
        action.done_on = timezone.localdate() if status == enums.ActionStatus.DONE else None
    action.save()
    record_change(user=by, verb="action_update", obj=action, before=before, after=snapshot(action))
    _touch_case(case)
    return action


@transaction.atomic
def plan_review(
    *,
    by: User,
    plan: SupportPlan,
    review: str,
    reviewed_on: datetime.date | None = None,
    next_review_on: datetime.date | None = None,
) -> SupportPlan:
    """The dated review of the plan, made with the person."""
    _check_case_open(plan.case)
    review = _check_text(review.strip(), "Le bilan")
    if not review:
        raise ActionRefused("Écrivez le bilan.")
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ActionRefused("La date du bilan ne peut pas être dans le futur.")
    if reviewed_on < plan.started_on:
        raise ActionRefused("Le bilan ne peut pas précéder le début du plan.")
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise ActionRefused("Le prochain bilan doit suivre celui-ci.")
    before = snapshot(plan)
    plan.review = review
    plan.reviewed_on = reviewed_on
    plan.review_on = next_review_on
    plan.save()
    record_change(user=by, verb="plan_review", obj=plan, before=before, after=snapshot(plan))
    _touch_case(plan.case)
    return plan


# --- Tasks and appointments -----------------------------------------------------------


@transaction.atomic
def task_create(
    *, by: User, assignee: User, title: str, due_on: datetime.date, case: Case | None = None
) -> Task:
    organisation_id = acting_organisation_id(by)
    check_same_organisation(organisation_id, case)
    if case is not None:
        _check_case_open(case)
    title = title.strip()
    if not title:
        raise ActionRefused("Donnez un intitulé à la tâche.")
    _check_members(
        organisation_id,
        [assignee],
        rules.PERSON_ROLES,
        "Une tâche se confie à un membre de l'équipe.",
    )
    task = Task.objects.create(
        organisation_id=organisation_id,
        case=case,
        assignee=assignee,
        title=title[:200],
        due_on=due_on,
        created_by=by,
    )
    record_change(user=by, verb="task_create", obj=task, after=snapshot(task))
    if case is not None:
        _touch_case(case)
    return task


def _task_done(by: User, task: Task, verb: str, at: datetime.datetime | None = None) -> None:
    before = snapshot(task, ["done_at"])
    task.done_at = at or timezone.now()
    task.save(update_fields=["done_at"])
    record_change(user=by, verb=verb, obj=task, before=before, after=snapshot(task, ["done_at"]))


@transaction.atomic
def task_complete(*, by: User, task: Task, done_at: datetime.datetime | None = None) -> Task:
    if task.done_at is not None:
        raise ActionRefused("Cette tâche est déjà faite.")
    if done_at is not None:
        _check_not_future(done_at, "La date")
    _task_done(by, task, verb="task_complete", at=done_at)
    if task.case_id:
        _touch_case(task.case, done_at)
    return task


@transaction.atomic
def appointment_book(
    *,
    by: User,
    worker: User,
    starts_at: datetime.datetime,
    kind: str,
    person: Person | None = None,
    case: Case | None = None,
    request: Request | None = None,
    duration_minutes: int = 45,
    place: str = "",
) -> Appointment:
    """Book an appointment in a worker's agenda (the secretary books first appointments)."""
    organisation_id = acting_organisation_id(by)
    check_same_organisation(organisation_id, person, case, request)
    _check_members(
        organisation_id,
        [worker],
        rules.CASEWORK_ROLES,
        "Un rendez-vous se prend avec un·e assistant·e de service social du service.",
    )
    if case is not None:
        _check_case_open(case)
        person = person or case.person
    if request is not None:
        person = person or request.person
        case = case or request.case
    if person is not None and (
        (case is not None and case.person_id != person.pk)
        or (request is not None and request.person_id != person.pk)
    ):
        raise ActionRefused("Ce rendez-vous mélange deux personnes.")
    if duration_minutes <= 0:
        raise ActionRefused("La durée doit être positive.")
    appointment = Appointment.objects.create(
        organisation_id=organisation_id,
        person=person,
        case=case,
        request=request,
        worker=worker,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        kind=kind,
        place=place,
        created_by=by,
    )
    record_change(user=by, verb="appointment_book", obj=appointment, after=snapshot(appointment))
    if case is not None:
        _touch_case(case)
    return appointment


def _check_planned(appointment: Appointment) -> None:
    if appointment.status != enums.AppointmentStatus.PLANNED:
        raise ActionRefused("Ce rendez-vous a déjà été traité.")


@transaction.atomic
def appointment_cancel(*, by: User, appointment: Appointment) -> Appointment:
    _check_planned(appointment)
    before = snapshot(appointment)
    appointment.status = enums.AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status"])
    record_change(
        user=by,
        verb="appointment_cancel",
        obj=appointment,
        before=before,
        after=snapshot(appointment),
    )
    return appointment


@transaction.atomic
def appointment_mark(*, by: User, appointment: Appointment, status: str) -> Appointment:
    """After the appointment: honoured or missed (to record what was said, use
    ``intervention_record(appointment=…)``, which marks it honoured)."""
    _check_planned(appointment)
    if status not in (enums.AppointmentStatus.DONE, enums.AppointmentStatus.MISSED):
        raise ActionRefused("Un rendez-vous passé est honoré ou manqué.")
    if appointment.starts_at > timezone.now() + FUTURE_TOLERANCE:
        raise ActionRefused("Ce rendez-vous n'a pas encore eu lieu.")
    before = snapshot(appointment)
    appointment.status = status
    appointment.save(update_fields=["status"])
    record_change(
        user=by,
        verb="appointment_mark",
        obj=appointment,
        before=before,
        after=snapshot(appointment),
    )
    if status == enums.AppointmentStatus.DONE and appointment.person_id:
        person_touch_contact(appointment.person, appointment.starts_at)
    if appointment.case_id:
        _touch_case(appointment.case)
    return appointment


# --- Financial aid --------------------------------------------------------------------

AID_DECIDED = frozenset({enums.AidStatus.GRANTED, enums.AidStatus.REFUSED, enums.AidStatus.DROPPED})
AID_PENDING = frozenset(
    {
        enums.AidStatus.AWAITING_DOCUMENTS,
        enums.AidStatus.UNDER_REVIEW,
        enums.AidStatus.POSTPONED,
        enums.AidStatus.DROPPED,
    }
)


@transaction.atomic
def aid_request(
    *,
    by: User,
    case: Case,
    kind: str,
    funder: str,
    amount_requested: decimal.Decimal,
    purpose: str = "",
    requested_on: datetime.date | None = None,
    committee_on: datetime.date | None = None,
) -> FinancialAid:
    """A financial aid request made with the person; a reminder task follows it."""
    _check_case_open(case)
    if amount_requested is None or amount_requested <= 0:
        raise ActionRefused("Le montant demandé doit être positif.")
    if not funder.strip():
        raise ActionRefused("Indiquez le financeur.")
    requested_on = requested_on or timezone.localdate()
    if requested_on > timezone.localdate():
        raise ActionRefused("La date de la demande ne peut pas être dans le futur.")
    aid = FinancialAid.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        funder=funder.strip(),
        amount_requested=amount_requested,
        purpose=purpose,
        requested_on=requested_on,
        committee_on=committee_on,
        created_by=by,
    )
    record_change(user=by, verb="aid_request", obj=aid, after=snapshot(aid))
    followup_tasks_create(
        by=by,
        trigger=enums.FollowUpTrigger.AID_REQUESTED,
        organisation_id=case.organisation_id,
        start=requested_on,
        assignee=by if rules.has_role(by, rules.CASEWORK_ROLES) else primary_referent(case),
        case=case,
    )
    _touch_case(case)
    return aid


@transaction.atomic
def aid_update_status(
    *,
    by: User,
    aid: FinancialAid,
    status: str,
    committee_on: datetime.date | None = None,
) -> FinancialAid:
    """Progress of a pending request (documents awaited, under review, postponed,
    dropped). A decision goes through ``aid_decide``."""
    if aid.status in AID_DECIDED:
        raise ActionRefused("Cette demande d'aide est déjà terminée.")
    if status not in AID_PENDING:
        raise ActionRefused("Une décision s'enregistre avec son montant et sa date.")
    before = snapshot(aid)
    aid.status = status
    if committee_on is not None:
        aid.committee_on = committee_on
    aid.save()
    record_change(user=by, verb="aid_update_status", obj=aid, before=before, after=snapshot(aid))
    _touch_case(aid.case)
    return aid


@transaction.atomic
def aid_decide(
    *,
    by: User,
    aid: FinancialAid,
    granted: bool,
    amount_granted: decimal.Decimal | None = None,
    decided_on: datetime.date | None = None,
) -> FinancialAid:
    """The funder's decision: granted (with the amount) or refused."""
    if aid.status in AID_DECIDED:
        raise ActionRefused("Cette demande d'aide est déjà terminée.")
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise ActionRefused("La date de décision ne peut pas être dans le futur.")
    if decided_on < aid.requested_on:
        raise ActionRefused("La décision ne peut pas précéder la demande.")
    if granted and (amount_granted is None or amount_granted <= 0):
        raise ActionRefused("Indiquez le montant accordé.")
    before = snapshot(aid)
    aid.status = enums.AidStatus.GRANTED if granted else enums.AidStatus.REFUSED
    aid.amount_granted = amount_granted if granted else None
    aid.decided_on = decided_on
    aid.save()
    record_change(user=by, verb="aid_decide", obj=aid, after=snapshot(aid), before=before)
    # The reminder to chase the funder has no object any more (unless another request of
    # the case is still waiting for its decision).
    still_pending = (
        FinancialAid.objects.filter(organisation_id=aid.organisation_id, case_id=aid.case_id)
        .exclude(status__in=AID_DECIDED)
        .exists()
    )
    for task in (
        []
        if still_pending
        else Task.objects.filter(
            organisation_id=aid.organisation_id,
            case_id=aid.case_id,
            rule__trigger=enums.FollowUpTrigger.AID_REQUESTED,
            done_at__isnull=True,
        )
    ):
        _task_done(by, task, verb="task_close_with_aid")
    _touch_case(aid.case)
    return aid
