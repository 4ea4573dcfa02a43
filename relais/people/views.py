"""Pages about persons: search, the person page, creating and editing a person."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from relais.audit.log import record_request_access, record_search
from relais.cases.errors import ActionRefused
from relais.cases.views.common import posted
from relais.people import selectors, services
from relais.people.forms import (
    HouseholdMemberForm,
    PersonCreateForm,
    PersonIdentityForm,
    PersonSearchForm,
    PersonSituationForm,
)
from relais.people.models import HouseholdMember, Person
from relais.policy import rules


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _person(request, public_id) -> Person:
    _require(rules.can_list_persons(request.user))
    return get_object_or_404(Person.objects.visible_to(request.user), public_id=public_id)


def _next_url(request, default: str) -> str:
    target = request.POST.get("suite") or request.GET.get("suite") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def search(request):
    _require(rules.can_list_persons(request.user))
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = selectors.person_search(user=request.user, text=form.cleaned_data["q"])
        record_search(request, object_type="people.person", found=len(results))
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "results": results,
            "limit": selectors.SEARCH_LIMIT,
            "can_create": rules.can_create_person(request.user),
        },
    )


def create(request):
    _require(rules.can_create_person(request.user))
    organisation_id = rules.organisation_id(request.user)
    form = PersonCreateForm(
        posted(request),
        organisation_id=organisation_id,
        initial={"last_name": request.GET.get("nom", "")},
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.changed_values()
        duplicates = selectors.person_duplicates(
            user=request.user,
            last_name=data["last_name"],
            first_name=data["first_name"],
            birth_name=data["birth_name"],
            birth_date=data["birth_date"],
        )
        if not duplicates or form.cleaned_data["confirm_new"]:
            last_name = data.pop("last_name")
            person = services.person_create(by=request.user, last_name=last_name, **data)
            messages.success(request, f"Fiche de {person.full_name} créée.")
            default = reverse("people:detail", args=[person.public_id])
            target = _next_url(request, default)
            if target != default:
                separator = "&" if "?" in target else "?"
                target = f"{target}{separator}personne={person.public_id}"
            return redirect(target)
    return render(
        request,
        "people/create.html",
        {"form": form, "duplicates": duplicates, "suite": _next_url(request, "")},
    )


def detail(request, public_id):
    from relais.cases import selectors as case_selectors

    _require(rules.can_list_persons(request.user))
    person = selectors.person_for_page(user=request.user, public_id=public_id)
    if person is None:
        raise Http404
    record_request_access(request, person)
    can_see_situation = rules.can_see_person_situation(request.user, person)
    context = {
        "person": person,
        "can_see_situation": can_see_situation,
        "can_edit_identity": rules.can_edit_person_identity(request.user, person),
        "can_edit_situation": can_see_situation
        and rules.can_edit_person_situation(request.user, person),
        "can_record_request": rules.can_record_request(request.user),
        "can_open_case": rules.can_open_case(request.user),
        "can_book": rules.can_book_appointment(request.user),
        **case_selectors.person_file(user=request.user, person=person),
    }
    return render(request, "people/detail.html", context)


def edit_identity(request, public_id):
    person = _person(request, public_id)
    _require(rules.can_edit_person_identity(request.user, person))
    form = PersonIdentityForm(
        posted(request), instance=person, organisation_id=person.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update_identity(by=request.user, person=person, **form.changed_values())
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Identité enregistrée.")
            return redirect(_next_url(request, reverse("people:detail", args=[public_id])))
    return render(
        request,
        "people/form.html",
        {"form": form, "person": person, "title": "Identité et coordonnées"},
    )


def edit_situation(request, public_id):
    person = _person(request, public_id)
    _require(rules.can_edit_person_situation(request.user, person))
    form = PersonSituationForm(posted(request), instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update_situation(
                by=request.user, person=person, **form.changed_values()
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Situation enregistrée.")
            return redirect(_next_url(request, reverse("people:detail", args=[public_id])))
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "person": person,
            "title": "Situation",
            "intro": "Ne notez que ce qui sert l'accompagnement. Chaque champ dit à quoi il sert.",
        },
    )


def _member(request, person_public_id, member_public_id) -> tuple[Person, HouseholdMember]:
    person = _person(request, person_public_id)
    _require(rules.can_edit_person_situation(request.user, person))
    if person.household_id is None:
        raise Http404
    member = get_object_or_404(
        HouseholdMember.objects.filter(
            organisation_id=person.organisation_id, household_id=person.household_id
        ),
        public_id=member_public_id,
    )
    return person, member


def member_add(request, public_id):
    person = _person(request, public_id)
    _require(rules.can_edit_person_situation(request.user, person))
    form = HouseholdMemberForm(posted(request))
    if request.method == "POST" and form.is_valid():
        values = form.changed_values()
        relation = values.pop("relation")
        try:
            services.household_member_add(
                by=request.user, person=person, relation=relation, **values
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Membre du foyer ajouté.")
            return redirect(_next_url(request, reverse("people:detail", args=[public_id])))
    return render(
        request,
        "people/form.html",
        {"form": form, "person": person, "title": "Ajouter un membre du foyer"},
    )


def member_edit(request, public_id, member_id):
    person, member = _member(request, public_id, member_id)
    form = HouseholdMemberForm(posted(request), instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_member_update(
                by=request.user, member=member, **form.changed_values()
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Membre du foyer modifié.")
            return redirect(_next_url(request, reverse("people:detail", args=[public_id])))
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "person": person,
            "title": f"Membre du foyer : {member}",
            "remove_url": reverse("people:member_remove", args=[public_id, member_id]),
        },
    )


@require_POST
def member_remove(request, public_id, member_id):
    _person_obj, member = _member(request, public_id, member_id)
    services.household_member_remove(by=request.user, member=member)
    messages.success(request, "Membre retiré du foyer.")
    return redirect(_next_url(request, reverse("people:detail", args=[public_id])))
