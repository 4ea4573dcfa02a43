"""The case: caseload, case page, opening, referents, closing, reopening, sharing."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.audit.log import record_request_access
from relais.cases import selectors, services
from relais.cases.errors import ActionRefused
from relais.cases.forms import NOTE_REMINDER, CaseCloseForm, CaseForm, CaseShareForm, QuickNoteForm
from relais.cases.models import CaseShare
from relais.cases.views.common import (
    editable_case,
    form_page,
    organisation_id,
    posted,
    require,
    uuid_param,
    visible_case,
)
from relais.people.models import Person
from relais.policy import rules


def caseload(request):
    require(rules.has_role(request.user, rules.CASEWORK_ROLES))
    page = selectors.caseload_page(user=request.user, number=request.GET.get("page"))
    return render(
        request,
        "cases/caseload.html",
        {
            "page": page,
            "shared": selectors.shared_with_me(user=request.user),
            "today": timezone.localdate(),
        },
    )


def detail(request, public_id):
    case = selectors.case_for_page(user=request.user, public_id=public_id)
    if case is None:
        raise Http404
    record_request_access(request, case)
    everything = request.GET.get("historique") == "complet"
    data = selectors.case_page(
        user=request.user,
        case=case,
        timeline_limit=None if everything else selectors.TIMELINE_LIMIT,
        timeline_until=None if everything else _moment_param(request, "avant"),
    )
    # The page's quick note shows its text and its kind, not the choice of readers (the
    # note's own page offers it): the form skips building that field.
    quick_note = QuickNoteForm(readers=None) if data["can_edit"] else None
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "referents": [link.user for link in case.referent_links.all()],
            "quick_note": quick_note,
            "note_reminder": NOTE_REMINDER,
            "everything": everything,
            **data,
        },
    )


def _moment_param(request, name: str) -> datetime.datetime | None:
    """An ISO date-time from the query string ("voir plus" of the timeline); None when
    absent or unreadable (the page then starts from the most recent entries)."""
    try:
        moment = datetime.datetime.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def open_case(request):
    require(rules.can_open_case(request.user))
    person = get_object_or_404(
        Person.objects.visible_to(request.user), public_id=uuid_param(request, "personne")
    )
    org = organisation_id(request)
    form = CaseForm(posted(request), organisation_id=org, initial={"referents": [request.user]})
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                by=request.user,
                person=person,
                referents=form.ordered_referents(request.user),
                concerns=form.cleaned_data["concerns"],
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Accompagnement ouvert.")
            return redirect("cases:detail", case.public_id)
    return form_page(
        request,
        form,
        title=f"Ouvrir un accompagnement pour {person.full_name}",
        back_url=reverse("people:detail", args=[person.public_id]),
        submit="Ouvrir l'accompagnement",
    )


def edit(request, public_id):
    case = editable_case(request, public_id)
    links = list(case.referent_links.select_related("user").order_by("-is_primary", "pk"))
    form = CaseForm(
        posted(request),
        organisation_id=case.organisation_id,
        initial={
            "referents": [link.user for link in links],
            "concerns": [str(pk) for pk in case.concerns.values_list("pk", flat=True)],
        },
    )
    if request.method == "POST" and form.is_valid():
        primary = links[0].user if links else request.user
        try:
            services.case_update(
                by=request.user,
                case=case,
                referents=form.ordered_referents(primary),
                concerns=form.cleaned_data["concerns"],
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Accompagnement modifié.")
            return redirect("cases:detail", case.public_id)
    return form_page(
        request,
        form,
        title="Référent·es et problématiques",
        back_url=reverse("cases:detail", args=[public_id]),
    )


def close(request, public_id):
    case = editable_case(request, public_id)
    if case.is_closed:
        messages.info(request, "Cet accompagnement est déjà clos.")
        return redirect("cases:detail", public_id)
    form = CaseCloseForm(posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                by=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                closed_on=form.cleaned_data["closed_on"],
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Accompagnement clos.")
            return redirect("cases:detail", public_id)
    open_tasks = case.tasks.filter(done_at__isnull=True).count()
    return form_page(
        request,
        form,
        title="Clore l'accompagnement",
        back_url=reverse("cases:detail", args=[public_id]),
        submit="Clore l'accompagnement",
        intro=(
            f"{open_tasks} tâche{'s' if open_tasks > 1 else ''} reste"
            f"{'nt' if open_tasks > 1 else ''} à faire sur ce dossier."
            if open_tasks
            else "Le dossier pourra être rouvert si la personne revient."
        ),
    )


@require_POST
def reopen(request, public_id):
    case = editable_case(request, public_id)
    try:
        services.case_reopen(by=request.user, case=case)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Accompagnement rouvert.")
    return redirect("cases:detail", public_id)


def share(request, public_id):
    case = visible_case(request, public_id)
    require(rules.can_share_case(request.user, case))
    referent_ids = list(case.referent_links.values_list("user_id", flat=True))
    form = CaseShareForm(
        posted(request), organisation_id=case.organisation_id, exclude=referent_ids
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_share(
                by=request.user,
                case=case,
                shared_with=form.cleaned_data["shared_with"],
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Dossier partagé.")
            return redirect("cases:detail", public_id)
    shares = (
        CaseShare.objects.filter(organisation_id=case.organisation_id, case=case)
        .select_related("shared_with", "shared_by")
        .order_by("-created_at")
    )
    return render(request, "cases/share.html", {"case": case, "form": form, "shares": shares})


@require_POST
def share_revoke(request, public_id, share_id):
    case = visible_case(request, public_id)
    require(rules.can_share_case(request.user, case))
    share = get_object_or_404(
        CaseShare.objects.filter(organisation_id=case.organisation_id, case=case),
        public_id=share_id,
    )
    try:
        services.case_share_revoke(by=request.user, share=share)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Partage retiré.")
    return redirect("cases:share", public_id)
