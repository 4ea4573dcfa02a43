"""Support plans, with their goals (in the person's words) and actions."""

import datetime
import uuid
from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from relais.api.endpoints.common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    PageQuery,
    log_reads,
    require_role,
)
from relais.api.pagination import page_of, paginate
from relais.cases import enums
from relais.cases.models import Goal, SupportPlan
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
