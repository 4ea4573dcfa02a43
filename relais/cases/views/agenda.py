"""Tasks, the overdue list, the agenda (day / week) and appointments."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.accounts.enums import Role
from relais.cases import enums, selectors, services
from relais.cases.errors import ActionRefused
from relais.cases.forms import AppointmentForm, AppointmentMarkForm, TaskForm, colleagues
from relais.cases.models import Appointment, Case, Request, Task
from relais.cases.views.common import (
    editable_case,
    form_page,
    organisation_id,
    posted,
    require,
    safe_next,
    uuid_param,
)
from relais.people.models import Person
from relais.policy import rules


def tasks(request):
    require(rules.has_role(request.user, rules.PERSON_ROLES))
    return render(
        request,
        "cases/tasks.html",
        {"groups": selectors.my_tasks(user=request.user), "today": timezone.localdate()},
    )


def task_create(request, public_id=None):
    require(rules.has_role(request.user, rules.PERSON_ROLES))
    case = editable_case(request, public_id) if public_id else None
    org = organisation_id(request)
    form = TaskForm(
        posted(request),
        organisation_id=org,
        initial={
            "assignee": request.user,
            "due_on": timezone.localdate() + datetime.timedelta(days=7),
        },
    )
    back = reverse("cases:detail", args=[public_id]) if case else reverse("cases:tasks")
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(by=request.user, case=case, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Tâche ajoutée.")
            return redirect(back)
    return form_page(request, form, title="Nouvelle tâche", back_url=back)


@require_POST
def task_complete(request, task_id):
    task = get_object_or_404(
        Task.objects.visible_to(request.user).select_related("case"), public_id=task_id
    )
    allowed = task.assignee_id == request.user.pk or (
        task.case_id and Case.objects.editable_by(request.user).filter(pk=task.case_id).exists()
    )
    require(bool(allowed))
    try:
        services.task_complete(by=request.user, task=task)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Tâche « {task.title} » faite.")
    return redirect(safe_next(request, reverse("cases:tasks")))


def _parse_day(text: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def agenda(request):
    require(rules.can_see_agenda(request.user))
    org = organisation_id(request)
    workers = colleagues(org, [Role.SOCIAL_WORKER])
    worker = request.user if rules.has_role(request.user, rules.CASEWORK_ROLES) else None
    if chosen := request.GET.get("avec"):
        worker = next((w for w in workers if str(w.public_id) == chosen), None)
        if worker is None:
            raise Http404
    if worker is None and workers:
        worker = workers[0]
    week = request.GET.get("vue") == "semaine"
    day = _parse_day(request.GET.get("jour"))
    start = day - datetime.timedelta(days=day.weekday()) if week else day
    days = 7 if week else 1
    step = datetime.timedelta(days=days)
    return render(
        request,
        "cases/agenda.html",
        {
            "worker": worker,
            "workers": workers,
            "week": week,
            "start": start,
            "days": selectors.agenda(user=request.user, worker=worker, start=start, days=days)
            if worker
            else [],
            "previous": start - step,
            "next": start + step,
            "today": timezone.localdate(),
            "can_book": rules.can_book_appointment(request.user),
        },
    )


def appointment_create(request):
    require(rules.can_book_appointment(request.user))
    org = organisation_id(request)
    person = case = intake = None
    if case_id := uuid_param(request, "dossier"):
        case = get_object_or_404(Case.objects.editable_by(request.user), public_id=case_id)
        person = case.person
    elif request_id := uuid_param(request, "demande"):
        intake = get_object_or_404(Request.objects.visible_to(request.user), public_id=request_id)
        person = intake.person
    elif person_id := uuid_param(request, "personne"):
        person = get_object_or_404(Person.objects.visible_to(request.user), public_id=person_id)
    initial = {"duration_minutes": 45}
    if rules.has_role(request.user, rules.CASEWORK_ROLES):
        initial["worker"] = request.user
    elif intake is not None and intake.assigned_to_id:
        initial["worker"] = intake.assigned_to
    form = AppointmentForm(posted(request), organisation_id=org, initial=initial)
    back = safe_next(
        request,
        reverse("cases:detail", args=[case.public_id])
        if case
        else reverse("people:detail", args=[person.public_id])
        if person
        else reverse("cases:agenda"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                by=request.user, person=person, case=case, request=intake, **form.cleaned_data
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            when = timezone.localtime(appointment.starts_at)
            messages.success(
                request,
                f"Rendez-vous pris le {when:%d/%m/%Y à %H:%M} avec "
                f"{appointment.worker.display_name}.",
            )
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"Prendre rendez-vous{f' pour {person.full_name}' if person else ''}",
        back_url=back,
        submit="Prendre le rendez-vous",
    )


def _appointment(request, appointment_id) -> Appointment:
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related("case", "person"),
        public_id=appointment_id,
    )
    allowed = (
        appointment.worker_id == request.user.pk
        or rules.has_role(request.user, {Role.SECRETARY})
        or (
            appointment.case_id
            and Case.objects.editable_by(request.user).filter(pk=appointment.case_id).exists()
        )
    )
    require(bool(allowed))
    return appointment


@require_POST
def appointment_cancel(request, appointment_id):
    appointment = _appointment(request, appointment_id)
    try:
        services.appointment_cancel(by=request.user, appointment=appointment)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Rendez-vous annulé.")
    return redirect(safe_next(request, reverse("cases:agenda")))


@require_POST
def appointment_mark(request, appointment_id):
    appointment = _appointment(request, appointment_id)
    form = AppointmentMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez : honoré ou absence de la personne.")
    else:
        try:
            services.appointment_mark(
                by=request.user, appointment=appointment, status=form.cleaned_data["status"]
            )
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            label = enums.AppointmentStatus(form.cleaned_data["status"]).label
            messages.success(request, f"Rendez-vous noté : {label.lower()}.")
    return redirect(safe_next(request, reverse("cases:agenda")))
