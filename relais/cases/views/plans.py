"""The support plan: goals in the person's words, actions, review; printable for the person."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from relais.audit.log import record_request_access
from relais.audit.models import AccessAction
from relais.cases import services
from relais.cases.errors import ActionRefused
from relais.cases.forms import ActionForm, GoalForm, PlanForm, PlanReviewForm
from relais.cases.models import Action, Case, Goal, SupportPlan
from relais.cases.views.common import editable_case, form_page, posted, visible_case
from relais.policy import rules


def _plans(case):
    return SupportPlan.objects.filter(organisation_id=case.organisation_id, case=case)


def plan_create(request, public_id):
    case = editable_case(request, public_id)
    form = PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(by=request.user, case=case, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Plan d'accompagnement commencé : ajoutez un objectif.")
            return redirect("cases:goal_add", public_id, plan.public_id)
    return form_page(
        request,
        form,
        title="Nouveau plan d'accompagnement",
        back_url=reverse("cases:detail", args=[public_id]),
        intro="Le plan se construit avec la personne : ses objectifs, avec ses mots.",
        submit="Commencer le plan",
    )


def plan_detail(request, public_id, plan_id):
    """The plan as one clean page the person can take home (print stylesheet)."""
    case = visible_case(request, public_id)
    plan = get_object_or_404(
        _plans(case).prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.prefetch_related("actions").order_by("position", "pk"),
            )
        ),
        public_id=plan_id,
    )
    record_request_access(request, plan, action=AccessAction.VIEW)
    can_edit = (
        rules.has_role(request.user, rules.CASEWORK_ROLES)
        and Case.objects.editable_by(request.user).filter(pk=case.pk).exists()
    )
    return render(
        request,
        "cases/plan_detail.html",
        {
            "case": case,
            "person": case.person,
            "plan": plan,
            "can_edit": can_edit,
            "referents": [link.user for link in case.referent_links.select_related("user")],
        },
    )


def _plan(request, public_id, plan_id):
    case = editable_case(request, public_id)
    return case, get_object_or_404(_plans(case), public_id=plan_id)


def _plan_url(public_id, plan_id) -> str:
    return reverse("cases:plan_detail", args=[public_id, plan_id])


def goal_add(request, public_id, plan_id):
    _case, plan = _plan(request, public_id, plan_id)
    form = GoalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_add(by=request.user, plan=plan, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Objectif ajouté : qui fait quoi, pour quand ?")
            return redirect("cases:action_add", public_id, goal.public_id)
    return form_page(
        request,
        form,
        title="Ajouter un objectif",
        back_url=_plan_url(public_id, plan_id),
        intro="Écrivez l'objectif tel que la personne le dit ; la reformulation est facultative.",
    )


def _goal(request, public_id, goal_id):
    case = editable_case(request, public_id)
    goal = get_object_or_404(
        Goal.objects.filter(organisation_id=case.organisation_id, plan__case=case).select_related(
            "plan"
        ),
        public_id=goal_id,
    )
    return case, goal


def goal_edit(request, public_id, goal_id):
    _case, goal = _goal(request, public_id, goal_id)
    form = GoalForm(
        posted(request),
        with_status=True,
        initial={
            "person_words": goal.person_words,
            "worker_wording": goal.worker_wording,
            "status": goal.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(by=request.user, goal=goal, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Objectif modifié.")
            return redirect(_plan_url(public_id, goal.plan.public_id))
    return form_page(
        request,
        form,
        title="Modifier l'objectif",
        back_url=_plan_url(public_id, goal.plan.public_id),
    )


def action_add(request, public_id, goal_id):
    _case, goal = _goal(request, public_id, goal_id)
    form = ActionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(by=request.user, goal=goal, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Action ajoutée.")
            return redirect(_plan_url(public_id, goal.plan.public_id))
    return form_page(
        request,
        form,
        title="Ajouter une action",
        back_url=_plan_url(public_id, goal.plan.public_id),
        intro=f"Pour l'objectif : « {goal.person_words} »",
    )


def action_edit(request, public_id, action_id):
    case = editable_case(request, public_id)
    action = get_object_or_404(
        Action.objects.filter(
            organisation_id=case.organisation_id, goal__plan__case=case
        ).select_related("goal__plan"),
        public_id=action_id,
    )
    form = ActionForm(
        posted(request),
        with_status=True,
        initial={
            "description": action.description,
            "owner": action.owner,
            "partner_name": action.partner_name,
            "due_on": action.due_on,
            "status": action.status,
        },
    )
    back = _plan_url(public_id, action.goal.plan.public_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(by=request.user, action=action, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Action modifiée.")
            return redirect(back)
    return form_page(request, form, title="Modifier l'action", back_url=back)


def plan_review(request, public_id, plan_id):
    _case, plan = _plan(request, public_id, plan_id)
    form = PlanReviewForm(
        posted(request),
        initial={"review": plan.review} if plan.review else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_review(by=request.user, plan=plan, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Bilan enregistré.")
            return redirect(_plan_url(public_id, plan_id))
    return form_page(
        request,
        form,
        title="Bilan du plan d'accompagnement",
        back_url=_plan_url(public_id, plan_id),
        intro="Le bilan se fait avec la personne : ce qui a avancé, ce qui reste, la suite.",
    )
