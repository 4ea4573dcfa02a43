"""Support plans, with their goals (in the person's words) and actions."""

import datetime
import uuid
from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from relais.api import refs
from relais.api.endpoints.cases import editable_case
from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    In,
    PageQuery,
    log_reads,
    require_role,
    writable,
)
from relais.api.pagination import page_of, paginate
from relais.api.types import IsoDate, Text
from relais.cases import enums, services
from relais.cases.models import LONG_TEXT_MAX_LENGTH, Action, Case, Goal, SupportPlan
from relais.policy import rules

router = Router(tags=["Plans d'accompagnement"])


class ActionOut(Schema):
    id: uuid.UUID
    description: str
    owner: enums.ActionOwner
    partner_name: str
    due_on: datetime.date | None
    status: enums.ActionStatus
    done_on: datetime.date | None


class GoalOut(Schema):
    id: uuid.UUID
    person_words: str = Field(description="L'objectif avec les mots de la personne.")
    worker_wording: str
    status: enums.GoalStatus
    position: int
    actions: list[ActionOut]


class PlanOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    started_on: datetime.date
    review_on: datetime.date | None
    reviewed_on: datetime.date | None
    review: str
    goals: list[GoalOut]
    created_at: datetime.datetime


class PlanQuery(PageQuery):
    sort: Literal["started_on", "-started_on"] = "-started_on"
    case: uuid.UUID | None = Field(None, description="Identifiant de l'accompagnement.")


def plans_for(user):
    require_role(user, rules.CONTENT_ROLES)
    return (
        SupportPlan.objects.visible_to(user)
        .select_related("case")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.prefetch_related("actions")),
        )
    )


def plan_out(p: SupportPlan) -> dict:
    return {
        "id": p.public_id,
        "case_id": p.case.public_id,
        "started_on": p.started_on,
        "review_on": p.review_on,
        "reviewed_on": p.reviewed_on,
        "review": p.review,
        "created_at": p.created_at,
        "goals": [
            {
                "id": g.public_id,
                "person_words": g.person_words,
                "worker_wording": g.worker_wording,
                "status": g.status,
                "position": g.position,
                "actions": [
                    {
                        "id": a.public_id,
                        "description": a.description,
                        "owner": a.owner,
                        "partner_name": a.partner_name,
                        "due_on": a.due_on,
                        "status": a.status,
                        "done_on": a.done_on,
                    }
                    for a in g.actions.all()
                ],
            }
            for g in p.goals.all()
        ],
    }


@router.get(
    "/plans", response={200: page_of(PlanOut), **LIST_ERRORS}, summary="Plans d'accompagnement"
)
def list_plans(request, query: Query[PlanQuery]):
    qs = plans_for(request.user)
    if query.case is not None:
        qs = qs.filter(case__public_id=query.case)
    rows, cursor = paginate(
        qs,
        sort=query.sort,
        sorts={"started_on": "started_on"},
        cursor=query.cursor,
        limit=query.limit,
    )
    log_reads(request, rows)
    return {"items": [plan_out(p) for p in rows], "next_cursor": cursor}


@router.get(
    "/plans/{uuid:plan_id}",
    response={200: PlanOut, **DETAIL_ERRORS},
    summary="Un plan d'accompagnement",
)
def get_plan(request, plan_id: uuid.UUID):
    row = get_object_or_404(plans_for(request.user), public_id=plan_id)
    log_reads(request, [row])
    return plan_out(row)


# --- Writes -----------------------------------------------------------------------------


class PlanIn(In):
    started_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")
    review_on: IsoDate | None = Field(None, description="Date prévue du bilan.")


class GoalIn(In):
    person_words: Text(LONG_TEXT_MAX_LENGTH, min_length=1) = Field(
        description="Ce que la personne veut obtenir, dit par elle."
    )
    worker_wording: Text(LONG_TEXT_MAX_LENGTH) = ""


class GoalUpdateIn(In):
    """Only the fields sent are changed."""

    person_words: Text(LONG_TEXT_MAX_LENGTH, min_length=1) | None = None
    worker_wording: Text(LONG_TEXT_MAX_LENGTH) | None = None
    status: enums.GoalStatus | None = None


class ActionIn(In):
    description: Text(250, min_length=1)
    owner: enums.ActionOwner
    partner_name: Text(150) = ""
    due_on: IsoDate | None = None


class ActionUpdateIn(In):
    """Only the fields sent are changed; status "done" dates the action."""

    description: Text(250, min_length=1) | None = None
    owner: enums.ActionOwner | None = None
    partner_name: Text(150) | None = None
    due_on: IsoDate | None = None
    status: enums.ActionStatus | None = None


class ReviewIn(In):
    review: Text(LONG_TEXT_MAX_LENGTH, min_length=1) = Field(description="Fait avec la personne.")
    reviewed_on: IsoDate | None = Field(None, description="Par défaut, aujourd'hui.")
    next_review_on: IsoDate | None = None


def _plan_response(request, pk):
    row = plans_for(request.user).get(pk=pk)
    log_reads(request, [row])
    return plan_out(row)


def _editable_plan(user, plan_id) -> SupportPlan:
    return writable(
        user,
        plans_for(user),
        SupportPlan.objects.filter(case__in=Case.objects.editable_by(user)).select_related("case"),
        plan_id,
    )


def _goal(plan: SupportPlan, goal_id) -> Goal:
    return refs.target(Goal.objects.filter(plan=plan).select_related("plan__case"), goal_id)


@router.post(
    "/cases/{uuid:case_id}/plans",
    response={201: PlanOut, **WRITE_ERRORS},
    summary="Commencer un plan d'accompagnement",
)
def create_plan(request, case_id: uuid.UUID, payload: PlanIn):
    case = editable_case(request.user, case_id)
    plan = services.plan_create(
        by=request.user, case=case, started_on=payload.started_on, review_on=payload.review_on
    )
    return Status(201, _plan_response(request, plan.pk))


@router.post(
    "/plans/{uuid:plan_id}/goals",
    response={201: PlanOut, **WRITE_ERRORS},
    summary="Ajouter un objectif, avec les mots de la personne",
)
def add_goal(request, plan_id: uuid.UUID, payload: GoalIn):
    plan = _editable_plan(request.user, plan_id)
    services.goal_add(
        by=request.user,
        plan=plan,
        person_words=payload.person_words,
        worker_wording=payload.worker_wording,
    )
    return Status(201, _plan_response(request, plan.pk))


@router.patch(
    "/plans/{uuid:plan_id}/goals/{uuid:goal_id}",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="Modifier un objectif",
)
def update_goal(request, plan_id: uuid.UUID, goal_id: uuid.UUID, payload: GoalUpdateIn):
    plan = _editable_plan(request.user, plan_id)
    services.goal_update(by=request.user, goal=_goal(plan, goal_id), **payload.model_dump())
    return _plan_response(request, plan.pk)


@router.post(
    "/plans/{uuid:plan_id}/goals/{uuid:goal_id}/actions",
    response={201: PlanOut, **WRITE_ERRORS},
    summary="Ajouter une action à un objectif",
)
def add_action(request, plan_id: uuid.UUID, goal_id: uuid.UUID, payload: ActionIn):
    plan = _editable_plan(request.user, plan_id)
    services.action_add(by=request.user, goal=_goal(plan, goal_id), **payload.model_dump())
    return Status(201, _plan_response(request, plan.pk))


@router.patch(
    "/plans/{uuid:plan_id}/actions/{uuid:action_id}",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="Modifier une action (ou la marquer faite)",
)
def update_action(request, plan_id: uuid.UUID, action_id: uuid.UUID, payload: ActionUpdateIn):
    plan = _editable_plan(request.user, plan_id)
    action = refs.target(
        Action.objects.filter(goal__plan=plan).select_related("goal__plan__case"), action_id
    )
    services.action_update(by=request.user, action=action, **payload.model_dump())
    return _plan_response(request, plan.pk)


@router.post(
    "/plans/{uuid:plan_id}/review",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="Faire le bilan du plan",
)
def review_plan(request, plan_id: uuid.UUID, payload: ReviewIn):
    plan = _editable_plan(request.user, plan_id)
    services.plan_review(by=request.user, plan=plan, **payload.model_dump())
    return _plan_response(request, plan.pk)
