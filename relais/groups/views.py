"""Pages of collective actions (/actions-collectives/).

Thin views: they fetch through the policy querysets (another organisation's action does
not exist: 404; a role that may not act: 403), validate with a form, call one service,
and log the reading of participations (personal data).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from relais.audit.log import client_ip, record_accesses
from relais.audit.models import AccessAction
from relais.cases.errors import ActionRefused
from relais.cases.views.common import organisation_id, posted, require
from relais.groups import forms, selectors, services
from relais.groups.enums import GroupActionStatus
from relais.groups.models import GroupAction
from relais.policy import rules


def _visible(request, public_id) -> GroupAction:
    require(rules.can_list_group_actions(request.user))
    return get_object_or_404(GroupAction.objects.visible_to(request.user), public_id=public_id)


def _editable(request, public_id) -> GroupAction:
    group_action = _visible(request, public_id)
    require(rules.can_edit_group_action(request.user, group_action))
    return group_action


def _detail_url(group_action: GroupAction) -> str:
    return reverse("groups:detail", args=[group_action.public_id])


def group_action_list(request):
    require(rules.can_list_group_actions(request.user))
    form = forms.GroupActionFilterForm(
        request.GET or None, organisation_id=organisation_id(request)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    actions = selectors.group_action_list(
        user=request.user,
        start=filters.get("debut"),
        end=filters.get("fin"),
        theme=filters.get("theme"),
        employer=filters.get("entreprise"),
    )
    page = Paginator(actions, selectors.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "groups/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
            "can_create": rules.can_create_group_action(request.user),
        },
    )


def _form_values(form) -> dict:
    data = dict(form.cleaned_data)
    data["facilitators"] = list(data["facilitators"])
    data["partners"] = list(data["partners"])
    return data


def group_action_create(request):
    require(rules.can_create_group_action(request.user))
    org = organisation_id(request)
    membership = rules.membership(request.user)
    form = forms.GroupActionForm(
        posted(request),
        organisation_id=org,
        initial={"facilitators": [request.user], "team": membership.team},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group_action = services.group_action_create(by=request.user, **_form_values(form))
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Action collective enregistrée.")
            return redirect(_detail_url(group_action))
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "title": "Nouvelle action collective",
            "back_url": reverse("groups:list"),
            "submit": "Enregistrer l'action",
        },
    )


def group_action_detail(request, public_id):
    require(rules.can_list_group_actions(request.user))
    group_action = selectors.group_action_for_page(user=request.user, public_id=public_id)
    if group_action is None:
        raise Http404
    participations = selectors.visible_participations(user=request.user, group_action=group_action)
    if participations:
        record_accesses(
            user=request.user,
            organisation_id=group_action.organisation_id,
            objects=[(participation, participation.person_id) for participation in participations],
            action=AccessAction.VIEW,
            ip=client_ip(request),
        )
    can_link = rules.can_link_participants(request.user, group_action)
    return render(
        request,
        "groups/detail.html",
        {
            "group_action": group_action,
            "facilitators": [link.user for link in group_action.facilitator_links.all()],
            "partners": [link.partner for link in group_action.partner_links.all()],
            "participations": participations,
            "can_edit": rules.can_edit_group_action(request.user, group_action),
            "can_link": can_link and group_action.status != GroupActionStatus.CANCELLED,
            "shows_participations": rules.has_role(request.user, rules.CONTENT_ROLES),
        },
    )


def group_action_edit(request, public_id):
    group_action = _editable(request, public_id)
    if group_action.status == GroupActionStatus.CANCELLED:
        messages.info(request, "Cette action est annulée : elle ne se modifie plus.")
        return redirect(_detail_url(group_action))
    group_action = selectors.group_action_for_page(user=request.user, public_id=public_id)
    held = group_action.status == GroupActionStatus.HELD
    initial = {
        name: getattr(group_action, name)
        for name in (
            "title",
            "kind",
            "theme",
            "starts_at",
            "duration_minutes",
            "place",
            "employer",
            "establishment",
            "team",
            "summary",
            "headcount",
        )
    }
    initial["facilitators"] = [link.user for link in group_action.facilitator_links.all()]
    initial["partners"] = [link.partner for link in group_action.partner_links.all()]
    form = forms.GroupActionForm(
        posted(request),
        organisation_id=group_action.organisation_id,
        with_headcount=held,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_action_update(
                by=request.user, group_action=group_action, **_form_values(form)
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Action collective modifiée.")
            return redirect(_detail_url(group_action))
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "title": f"Modifier « {group_action.title} »",
            "back_url": _detail_url(group_action),
        },
    )


def group_action_mark_held(request, public_id):
    group_action = _editable(request, public_id)
    if not group_action.is_planned:
        messages.info(request, "Seule une action prévue peut être marquée comme réalisée.")
        return redirect(_detail_url(group_action))
    form = forms.MarkHeldForm(
        posted(request),
        initial={
            "duration_minutes": group_action.duration_minutes,
            "summary": group_action.summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_action_mark_held(
                by=request.user, group_action=group_action, **form.cleaned_data
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Action marquée comme réalisée.")
            return redirect(_detail_url(group_action))
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "title": f"Bilan de « {group_action.title} »",
            "intro": "L'action a eu lieu : indiquez combien de personnes y ont participé.",
            "back_url": _detail_url(group_action),
            "submit": "Marquer comme réalisée",
        },
    )


def group_action_cancel(request, public_id):
    group_action = _editable(request, public_id)
    if not group_action.is_planned:
        messages.info(request, "Seule une action prévue peut être annulée.")
        return redirect(_detail_url(group_action))
    if request.method == "POST":
        try:
            services.group_action_cancel(by=request.user, group_action=group_action)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Action annulée.")
        return redirect(_detail_url(group_action))
    return render(request, "groups/cancel.html", {"group_action": group_action})


def participation_add(request, public_id):
    group_action = _visible(request, public_id)
    require(rules.can_link_participants(request.user, group_action))
    if group_action.status == GroupActionStatus.CANCELLED:
        messages.info(request, "Cette action est annulée.")
        return redirect(_detail_url(group_action))
    persons = selectors.linkable_persons(user=request.user, group_action=group_action)
    form = forms.ParticipationForm(posted(request), persons=persons)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        require(rules.can_link_person_to_group_action(request.user, group_action, person))
        try:
            services.participation_add(
                by=request.user,
                group_action=group_action,
                person=person,
                attended=form.cleaned_data["attended"],
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"{person.full_name} est lié·e à l'action.")
            return redirect(_detail_url(group_action) + "#participants")
    return render(
        request,
        "groups/form.html",
        {
            "form": form,
            "title": "Lier une personne suivie",
            "intro": "Ne liez une personne que si le lien sert son accompagnement : il fait "
            "partie de son dossier (elle le retrouve dans la copie qui lui est remise). Les "
            "autres participant·es sont seulement comptés.",
            "back_url": _detail_url(group_action),
            "submit": "Lier la personne",
        },
    )


@require_POST
def participation_edit(request, public_id, participation_id):
    """Present, absent, or unlinked: one small form per button on the detail page."""
    group_action = _visible(request, public_id)
    require(rules.can_link_participants(request.user, group_action))
    participation = get_object_or_404(
        group_action.participations.visible_to(request.user), public_id=participation_id
    )
    require(rules.can_edit_participation(request.user, participation, group_action))
    back = _detail_url(group_action) + "#participants"
    change = request.POST.get("changement")
    if change in {"present", "absent"}:
        services.participation_set_attended(
            by=request.user, participation=participation, attended=change == "present"
        )
        messages.success(request, "Participation mise à jour.")
    elif change == "retirer":
        services.participation_remove(by=request.user, participation=participation)
        messages.success(request, "La personne n'est plus liée à l'action.")
    else:
        messages.error(request, "Choisissez ce qu'il faut changer.")
    return redirect(back)
