"""Tasks and appointments."""

import datetime
import uuid
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from relais.accounts.enums import Role
from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
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
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate
from relais.cases import enums
from relais.cases.models import Appointment, Task
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
