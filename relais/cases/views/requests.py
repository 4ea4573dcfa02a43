"""Intake: recording a request (the secretary too), the queue, and what becomes of a request."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from relais.audit.log import record_request_access, record_search
from relais.cases import enums, selectors, services
from relais.cases.errors import ActionRefused
from relais.cases.forms import (
    CaseForm,
    RequestAssignForm,
    RequestCloseForm,
    RequestConvertForm,
    RequestForm,
)
from relais.cases.models import Case, Request
from relais.cases.views.common import form_page, organisation_id, posted, require, uuid_param
from relais.people.forms import PersonSearchForm
from relais.people.models import Person
from relais.people.selectors import person_search
from relais.policy import rules


def queue(request):
    require(rules.can_record_request(request.user))
    scope = request.GET.get("voir", "mine")
    if scope not in {"mine", "all", "unassigned"}:
        scope = "mine"
    page = Paginator(selectors.waiting_requests(user=request.user, scope=scope), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/requests.html",
        {
            "page": page,
            "scope": scope,
            "is_worker": rules.has_role(request.user, rules.CASEWORK_ROLES),
            "can_see_summary": rules.can_see_request_summary(request.user),
        },
    )


def create(request):
    """Intake: find the person (or create them), then the request and a first appointment."""
    require(rules.can_record_request(request.user))
    person_id = uuid_param(request, "personne")
    if not person_id:
        search = PersonSearchForm(request.GET or None)
        results = None
        if search.is_valid() and search.cleaned_data["q"].strip():
            results = person_search(user=request.user, text=search.cleaned_data["q"])
            record_search(request, object_type="people.person", found=len(results))
        return render(
            request,
            "cases/request_find_person.html",
            {
                "form": search,
                "results": results,
                "can_create": rules.can_create_person(request.user),
            },
        )
    person = get_object_or_404(Person.objects.visible_to(request.user), public_id=person_id)
    org = organisation_id(request)
    is_worker = rules.has_role(request.user, rules.CASEWORK_ROLES)
    form = RequestForm(
        posted(request),
        organisation_id=org,
        with_concerns=rules.can_see_concerns(request.user),
        initial={"assigned_to": request.user} if is_worker else {},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the request and its first appointment, or neither
                intake = _record_with_appointment(request.user, person, data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Demande enregistrée.")
            return redirect("cases:request_detail", intake.public_id)
    return render(request, "cases/request_form.html", {"form": form, "person": person})


def _record_with_appointment(user, person, data) -> Request:
    intake = services.request_record(
        by=user,
        person=person,
        origin=data["origin"],
        channel=data["channel"],
        received_on=data["received_on"],
        urgency=data["urgency"],
        summary=data["summary"],
        concerns=data.get("concerns", []),
        assigned_to=data["assigned_to"],
    )
    if data["appointment_at"]:
        services.appointment_book(
            by=user,
            worker=data["assigned_to"],
            starts_at=data["appointment_at"],
            kind=data["appointment_kind"] or enums.InterventionKind.OFFICE_INTERVIEW,
            request=intake,
        )
    return intake


def _request(request, request_id) -> Request:
    return get_object_or_404(
        Request.objects.visible_to(request.user).select_related(
            "person", "assigned_to", "received_by", "case"
        ),
        public_id=request_id,
    )


def detail(request, request_id):
    intake = _request(request, request_id)
    record_request_access(request, intake)
    waiting = intake.status == enums.RequestStatus.WAITING
    return render(
        request,
        "cases/request_detail.html",
        {
            "intake": intake,
            "person": intake.person,
            "waiting": waiting,
            "can_see_summary": rules.can_see_request_summary(request.user),
            "concerns": list(intake.concerns.all())
            if rules.can_see_concerns(request.user)
            else None,
            "appointments": list(intake.appointments.select_related("worker")),
            "assign_form": RequestAssignForm(
                organisation_id=intake.organisation_id,
                initial={"assigned_to": intake.assigned_to},
            )
            if waiting and rules.can_assign_request(request.user)
            else None,
            "can_close": waiting and rules.can_close_request(request.user),
            "can_convert": waiting and rules.can_convert_request(request.user),
            "can_book": waiting and rules.can_book_appointment(request.user),
            "case_visible": intake.case_id
            and Case.objects.visible_to(request.user).filter(pk=intake.case_id).exists(),
        },
    )


@require_POST
def assign(request, request_id):
    require(rules.can_assign_request(request.user))
    intake = _request(request, request_id)
    form = RequestAssignForm(request.POST, organisation_id=intake.organisation_id)
    if form.is_valid():
        try:
            services.request_assign(
                by=request.user, request=intake, to=form.cleaned_data["assigned_to"]
            )
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Demande confiée à {intake.assigned_to.display_name}.")
    else:
        messages.error(request, "Choisissez à qui confier la demande.")
    return redirect("cases:request_detail", request_id)


def close(request, request_id):
    require(rules.can_close_request(request.user))
    intake = _request(request, request_id)
    form = RequestCloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.request_close(
                by=request.user, request=intake, reason=form.cleaned_data["reason"]
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Demande close.")
            return redirect("cases:requests")
    return form_page(
        request,
        form,
        title=f"Clore la demande de {intake.person.full_name}",
        back_url=reverse("cases:request_detail", args=[request_id]),
        submit="Clore la demande",
    )


def convert(request, request_id):
    """The request becomes a case (a new one, or the person's case still open)."""
    require(rules.can_convert_request(request.user))
    intake = _request(request, request_id)
    open_cases = list(
        Case.objects.editable_by(request.user)
        .filter(person=intake.person)
        .exclude(status=enums.CaseStatus.CLOSED)
    )
    target_form = RequestConvertForm(posted(request), open_cases=open_cases, prefix="cible")
    case_form = CaseForm(
        posted(request),
        organisation_id=intake.organisation_id,
        initial={
            "referents": [intake.assigned_to or request.user],
            "concerns": [str(pk) for pk in intake.concerns.values_list("pk", flat=True)],
        },
    )
    if request.method == "POST" and target_form.is_valid():
        existing = target_form.chosen_case()
        if existing is not None or case_form.is_valid():
            try:
                case = services.request_convert_to_case(
                    by=request.user,
                    request=intake,
                    case=existing,
                    referents=None
                    if existing
                    else case_form.ordered_referents(intake.assigned_to or request.user),
                    concerns=None if existing else case_form.cleaned_data["concerns"],
                )
            except ActionRefused as refusal:
                case_form.add_error(None, str(refusal))
            else:
                messages.success(request, "La demande est devenue un accompagnement.")
                return redirect("cases:detail", case.public_id)
    return render(
        request,
        "cases/request_convert.html",
        {"intake": intake, "target_form": target_form, "form": case_form},
    )
