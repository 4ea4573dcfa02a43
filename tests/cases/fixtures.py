"""A small social file for page tests: alice holds Hélène Dupont's case."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.cases import services as s
from tests import factories


@dataclass
class File:
    person: object
    case: object
    intervention: object
    fact: object
    assessment: object
    plan: object
    goal: object
    action: object
    aid: object
    request: object
    appointment: object
    task: object


@pytest.fixture
def file(organisation, alice, secretary):
    employer = factories.EmployerFactory(organisation=organisation, name="Transports Garonne")
    person = factories.PersonFactory(
        organisation=organisation,
        last_name="Dupont",
        first_name="Hélène",
        birth_name="Lefèvre",
        birth_date=datetime.date(1980, 3, 14),
        employer=employer,
        job_title="Conductrice",
    )
    case = s.case_open(by=alice, person=person)
    intervention = s.intervention_record(
        by=alice,
        case=case,
        kind="office",
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        note_body="Madame apporte ses trois derniers bulletins de salaire.",
    )
    assessment = s.note_add(
        by=alice, case=case, body="Madame semble très fatiguée.", kind="assessment"
    )
    plan = s.plan_create(by=alice, case=case)
    goal = s.goal_add(by=alice, plan=plan, person_words="Garder mon appartement")
    action = s.action_add(by=alice, goal=goal, description="Appeler le bailleur", owner="person")
    aid = s.aid_request(by=alice, case=case, kind="loan", funder="CSE", amount_requested=400)
    request = s.request_record(
        by=secretary,
        person=person,
        origin="person",
        channel="phone",
        summary="Demande un rendez-vous pour un dossier de surendettement.",
        assigned_to=alice,
    )
    appointment = s.appointment_book(
        by=secretary,
        worker=alice,
        case=case,
        starts_at=factories.later_today(),
        kind="office",
    )
    task = s.task_create(
        by=alice, case=case, assignee=alice, title="Relancer la CAF", due_on=timezone.localdate()
    )
    return File(
        person=person,
        case=case,
        intervention=intervention,
        fact=intervention.notes.get(),
        assessment=assessment,
        plan=plan,
        goal=goal,
        action=action,
        aid=aid,
        request=request,
        appointment=appointment,
        task=task,
    )


def case_urls(f: File) -> dict[str, str]:
    """Every page of one case, by URL name (GET)."""
    c = f.case.public_id
    return {
        "cases:detail": reverse("cases:detail", args=[c]),
        "cases:edit": reverse("cases:edit", args=[c]),
        "cases:close": reverse("cases:close", args=[c]),
        "cases:share": reverse("cases:share", args=[c]),
        "cases:intervention_create": reverse("cases:intervention_create", args=[c]),
        "cases:note_create": reverse("cases:note_create", args=[c]),
        "cases:note_edit": reverse("cases:note_edit", args=[c, f.fact.public_id]),
        "cases:plan_create": reverse("cases:plan_create", args=[c]),
        "cases:plan_detail": reverse("cases:plan_detail", args=[c, f.plan.public_id]),
        "cases:goal_add": reverse("cases:goal_add", args=[c, f.plan.public_id]),
        "cases:plan_review": reverse("cases:plan_review", args=[c, f.plan.public_id]),
        "cases:goal_edit": reverse("cases:goal_edit", args=[c, f.goal.public_id]),
        "cases:action_add": reverse("cases:action_add", args=[c, f.goal.public_id]),
        "cases:action_edit": reverse("cases:action_edit", args=[c, f.action.public_id]),
        "cases:aid_create": reverse("cases:aid_create", args=[c]),
        "cases:aid_edit": reverse("cases:aid_edit", args=[c, f.aid.public_id]),
        "cases:case_task_create": reverse("cases:case_task_create", args=[c]),
    }


def case_post_urls(f: File) -> dict[str, str]:
    c = f.case.public_id
    return {
        "cases:reopen": reverse("cases:reopen", args=[c]),
        "cases:task_complete": reverse("cases:task_complete", args=[f.task.public_id]),
        "cases:appointment_cancel": reverse(
            "cases:appointment_cancel", args=[f.appointment.public_id]
        ),
        "cases:appointment_mark": reverse("cases:appointment_mark", args=[f.appointment.public_id]),
    }


def person_urls(f: File) -> dict[str, str]:
    p = f.person.public_id
    return {
        "people:detail": reverse("people:detail", args=[p]),
        "people:edit_identity": reverse("people:edit_identity", args=[p]),
        "people:edit_situation": reverse("people:edit_situation", args=[p]),
        "people:member_add": reverse("people:member_add", args=[p]),
        "cases:open": reverse("cases:open") + f"?personne={p}",
        "cases:request_create": reverse("cases:request_create") + f"?personne={p}",
        "cases:appointment_create": reverse("cases:appointment_create") + f"?personne={p}",
    }


def request_urls(f: File) -> dict[str, str]:
    r = f.request.public_id
    return {
        "cases:request_detail": reverse("cases:request_detail", args=[r]),
        "cases:request_close": reverse("cases:request_close", args=[r]),
        "cases:request_convert": reverse("cases:request_convert", args=[r]),
    }
