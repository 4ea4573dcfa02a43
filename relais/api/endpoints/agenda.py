"""Tasks and appointments."""

import datetime
import uuid
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictInt

from relais.accounts.enums import Role
from relais.api import refs
from relais.api.endpoints.cases import editable_case
from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    In,
    PageQuery,
    PersonRef,
    UserRef,
    day_end,
    day_start,
    log_reads,
    person_ref,
    public_id,
    require_role,
    user_ref,
)
from relais.api.errors import Forbidden
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate, IsoDateTime, Text
from relais.cases import enums, services
from relais.cases.models import Appointment, Case, Request, Task
from relais.people.models import Person
from relais.policy import rules

router = Router(tags=["Tâches et rendez-vous"])

TASK_ROLES = rules.CASEWORK_ROLES | {Role.MANAGER}
APPOINTMENT_ROLES = rules.PERSON_ROLES


class TaskOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID | None
    title: str
    due_on: datetime.date
    done_at: datetime.datetime | None
    assignee: UserRef
    created_at: datetime.datetime


class AppointmentOut(Schema):
    id: uuid.UUID
    person: PersonRef | None
    case_id: uuid.UUID | None
    worker: UserRef
    starts_at: datetime.datetime
    duration_minutes: int
    kind: enums.InterventionKind
    place: str
    status: enums.AppointmentStatus
    intervention_id: uuid.UUID | None
    created_at: datetime.datetime


class TaskQuery(PageQuery):
    sort: Literal["due_on", "-due_on", "created_at", "-created_at"] = "due_on"
    case: uuid.UUID | None = Field(None, description="Identifiant de l'accompagnement.")
    done: bool | None = Field(None, description="Faites (true) ou à faire (false).")
    mine: bool | None = Field(None, description="Seulement les miennes (true).")
    due_to: IsoDate | None = Field(None, description="Échéance au plus tard le.")


class AppointmentQuery(PageQuery):
    sort: Literal["starts_at", "-starts_at"] = "starts_at"
    starts_from: IsoDate | None = Field(None, description="À partir du (inclus).")
    starts_to: IsoDate | None = Field(None, description="Jusqu'au (inclus).")
    status: enums.AppointmentStatus | None = None
    person: uuid.UUID | None = Field(None, description="Identifiant de la personne.")
    case: uuid.UUID | None = Field(None, description="Identifiant de l'accompagnement.")
    mine: bool | None = Field(None, description="Seulement les miens (true).")


def tasks_for(user):
    require_role(user, TASK_ROLES)
    return Task.objects.visible_to(user).select_related("case", "assignee")


def task_out(t: Task) -> dict:
    return {
        "id": t.public_id,
        "case_id": public_id(t.case),
        "title": t.title,
        "due_on": t.due_on,
        "done_at": t.done_at,
        "assignee": user_ref(t.assignee),
        "created_at": t.created_at,
    }


def appointments_for(user):
    require_role(user, APPOINTMENT_ROLES)
    return Appointment.objects.visible_to(user).select_related(
        "person", "case", "worker", "intervention"
    )


def appointment_out(a: Appointment) -> dict:
    return {
        "id": a.public_id,
        "person": person_ref(a.person),
        "case_id": public_id(a.case),
        "worker": user_ref(a.worker),
        "starts_at": a.starts_at,
        "duration_minutes": a.duration_minutes,
        "kind": a.kind,
        "place": a.place,
        "status": a.status,
        "intervention_id": public_id(a.intervention),
        "created_at": a.created_at,
    }


@router.get("/tasks", response={200: page_of(TaskOut), **LIST_ERRORS}, summary="Tâches")
def list_tasks(request, query: Query[TaskQuery]):
    qs = tasks_for(request.user)
    if query.case is not None:
        qs = qs.filter(case__public_id=query.case)
    if query.done is not None:
        qs = qs.filter(done_at__isnull=not query.done)
    if query.mine:
        qs = qs.filter(assignee_id=request.user.pk)
    if query.due_to is not None:
        qs = qs.filter(due_on__lte=query.due_to)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"due_on": "due_on", "created_at": "created_at"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [task_out(t) for t in rows], "next_cursor": cursor}


@router.get("/tasks/{uuid:task_id}", response={200: TaskOut, **DETAIL_ERRORS}, summary="Une tâche")
def get_task(request, task_id: uuid.UUID):
    row = get_object_or_404(tasks_for(request.user), public_id=task_id)
    log_reads(request, [row])
    return task_out(row)


@router.get(
    "/appointments",
    response={200: page_of(AppointmentOut), **LIST_ERRORS},
    summary="Rendez-vous",
)
def list_appointments(request, query: Query[AppointmentQuery]):
    qs = appointments_for(request.user)
    if query.starts_from is not None:
        qs = qs.filter(starts_at__gte=day_start(query.starts_from))
    if query.starts_to is not None:
        qs = qs.filter(starts_at__lt=day_end(query.starts_to))
    if query.status is not None:
        qs = qs.filter(status=query.status)
    if query.person is not None:
        qs = qs.filter(person__public_id=query.person)
    if query.case is not None:
        qs = qs.filter(case__public_id=query.case)
    if query.mine:
        qs = qs.filter(worker_id=request.user.pk)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"starts_at": "starts_at"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [appointment_out(a) for a in rows], "next_cursor": cursor}


@router.get(
    "/appointments/{uuid:appointment_id}",
    response={200: AppointmentOut, **DETAIL_ERRORS},
    summary="Un rendez-vous",
)
def get_appointment(request, appointment_id: uuid.UUID):
    row = get_object_or_404(appointments_for(request.user), public_id=appointment_id)
    log_reads(request, [row])
    return appointment_out(row)


# --- Writes -----------------------------------------------------------------------------


class TaskIn(In):
    title: Text(200, min_length=1)
    due_on: IsoDate
    assignee: uuid.UUID | None = Field(None, description="Par défaut, vous.")
    case_id: uuid.UUID | None = Field(None, description="L'accompagnement qu'elle concerne.")


class AppointmentIn(In):
    worker: uuid.UUID | None = Field(
        None, description="L'assistant·e avec qui le rendez-vous est pris ; par défaut, vous."
    )
    starts_at: IsoDateTime
    kind: enums.InterventionKind = enums.InterventionKind.OFFICE_INTERVIEW
    duration_minutes: StrictInt = Field(45, ge=5, le=8 * 60)
    place: Text(150) = ""
    person_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    request_id: uuid.UUID | None = Field(None, description="La demande qu'il fait suite.")


class MarkIn(In):
    status: Literal["done", "missed"] = Field(description="Honoré ou absence de la personne.")


def _task_response(request, pk):
    row = tasks_for(request.user).get(pk=pk)
    log_reads(request, [row])
    return task_out(row)


def _appointment_response(request, pk):
    row = appointments_for(request.user).get(pk=pk)
    log_reads(request, [row])
    return appointment_out(row)


@router.post(
    "/tasks", response={201: TaskOut, **WRITE_ERRORS}, summary="Créer une tâche (une échéance)"
)
def create_task(request, payload: TaskIn):
    user = request.user
    require_role(user, rules.PERSON_ROLES)
    case = editable_case(user, payload.case_id) if payload.case_id else None
    assignee = refs.one(refs.colleagues(user), payload.assignee, "assignee") or user
    task = services.task_create(
        by=user, assignee=assignee, title=payload.title, due_on=payload.due_on, case=case
    )
    # The secretariat creates tasks for the team without reading the task lists: answer
    # with what the service returned (what the caller just wrote), not a policy read.
    log_reads(request, [task])
    return Status(201, task_out(task))


@router.post(
    "/tasks/{uuid:task_id}/complete",
    response={200: TaskOut, **WRITE_ERRORS},
    summary="Marquer une tâche faite",
)
def complete_task(request, task_id: uuid.UUID):
    user = request.user
    task = refs.target(tasks_for(user), task_id)
    allowed = task.assignee_id == user.pk or (
        task.case_id and Case.objects.editable_by(user).filter(pk=task.case_id).exists()
    )
    if not allowed:
        raise Forbidden()
    services.task_complete(by=user, task=task)
    return _task_response(request, task.pk)


@router.post(
    "/appointments",
    response={201: AppointmentOut, **WRITE_ERRORS},
    summary="Prendre un rendez-vous",
)
def book_appointment(request, payload: AppointmentIn):
    user = request.user
    if not rules.can_book_appointment(user):
        raise Forbidden()
    case = editable_case(user, payload.case_id) if payload.case_id else None
    intake = (
        refs.target(Request.objects.visible_to(user), payload.request_id)
        if payload.request_id
        else None
    )
    person = (
        refs.target(Person.objects.visible_to(user), payload.person_id)
        if payload.person_id
        else None
    )
    worker = refs.one(refs.colleagues(user), payload.worker, "worker") or user
    appointment = services.appointment_book(
        by=user,
        worker=worker,
        starts_at=payload.starts_at,
        kind=payload.kind,
        person=person,
        case=case,
        request=intake,
        duration_minutes=payload.duration_minutes,
        place=payload.place,
    )
    # Booked in a colleague's agenda, it may not be in the caller's own view of the
    # agenda: answer with what the service returned (what the caller just wrote).
    log_reads(request, [appointment])
    return Status(201, appointment_out(appointment))


def _changeable_appointment(user, appointment_id) -> Appointment:
    """As on the agenda: its worker, the secretariat, or who may write in its case."""
    appointment = refs.target(appointments_for(user), appointment_id)
    allowed = (
        appointment.worker_id == user.pk
        or rules.has_role(user, {Role.SECRETARY})
        or (
            appointment.case_id
            and Case.objects.editable_by(user).filter(pk=appointment.case_id).exists()
        )
    )
    if not allowed:
        raise Forbidden()
    return appointment


@router.post(
    "/appointments/{uuid:appointment_id}/cancel",
    response={200: AppointmentOut, **WRITE_ERRORS},
    summary="Annuler un rendez-vous",
)
def cancel_appointment(request, appointment_id: uuid.UUID):
    appointment = _changeable_appointment(request.user, appointment_id)
    services.appointment_cancel(by=request.user, appointment=appointment)
    return _appointment_response(request, appointment.pk)


@router.post(
    "/appointments/{uuid:appointment_id}/mark",
    response={200: AppointmentOut, **WRITE_ERRORS},
    summary="Après le rendez-vous : honoré ou manqué",
    description="Pour consigner ce qui s'est dit, enregistrez plutôt l'entretien avec "
    "`appointment_id` : le rendez-vous est alors marqué honoré.",
)
def mark_appointment(request, appointment_id: uuid.UUID, payload: MarkIn):
    appointment = _changeable_appointment(request.user, appointment_id)
    services.appointment_mark(by=request.user, appointment=appointment, status=payload.status)
    return _appointment_response(request, appointment.pk)
