"""Every write endpoint against every kind of caller: the same rules as the pages.

A refused write changes nothing: the change log does not move.
"""

import datetime

import pytest
from django.utils import timezone

from relais.audit.models import ChangeEvent
from relais.cases.models import Goal
from tests.api.world import casework_world

CALLERS = [
    "alice",
    "bob",
    "manager",
    "secretary",
    "admin_user",
    "employer_viewer",
    "supervisor",
    "charlie",
]
NO_ROLE = {"admin_user": 403, "employer_viewer": 403, "supervisor": 403}
# Writing in a case: only who may write in it; the others do not see it at all.
CASE_WRITE = {"bob": 404, "manager": 404, "secretary": 403, **NO_ROLE, "charlie": 404}


def _future(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _goal(w):
    return Goal.objects.get(plan=w.plan)


def _action(w):
    return _goal(w).actions.get()


# name: (method, path, body, {caller: expected status})
WRITES = {
    "update identity": (
        "patch",
        lambda w: f"/persons/{w.person.public_id}",
        lambda w: {"phone": "06 12 34 56 78"},
        {
            "alice": 200,
            "bob": 200,
            "secretary": 200,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "update situation": (
        "patch",
        lambda w: f"/persons/{w.person.public_id}/situation",
        lambda w: {"accommodation": "hosted"},
        {
            "alice": 200,
            "bob": 403,
            "secretary": 403,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "add household member": (
        "post",
        lambda w: f"/persons/{w.person.public_id}/household/members",
        lambda w: {"relation": "child", "first_name": "Léo", "birth_date": "2016-02-01"},
        {
            "alice": 201,
            "bob": 403,
            "secretary": 403,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "record request": (
        "post",
        lambda w: f"/persons/{w.person.public_id}/requests",
        lambda w: {"origin": "person", "channel": "phone", "summary": "Appel pour un rendez-vous"},
        {
            "alice": 201,
            "bob": 201,
            "secretary": 201,
            "manager": 201,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "assign request": (
        "post",
        lambda w: f"/requests/{w.request.public_id}/assign",
        lambda w: {"assigned_to": str(w.case.referent_links.get().user.public_id)},
        {
            "alice": 200,
            "bob": 404,
            "secretary": 200,
            "manager": 200,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "close request": (
        "post",
        lambda w: f"/requests/{w.request.public_id}/close",
        lambda w: {"reason": "information_given"},
        {
            "alice": 200,
            "bob": 404,
            "secretary": 200,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "convert request": (
        "post",
        lambda w: f"/requests/{w.request.public_id}/convert",
        lambda w: {},
        {
            "alice": 200,
            "bob": 404,
            "secretary": 403,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "open case": (
        "post",
        lambda w: f"/persons/{w.person.public_id}/cases",
        lambda w: {},
        {
            "alice": 201,
            "bob": 201,
            "secretary": 403,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "update case": (
        "patch",
        lambda w: f"/cases/{w.case.public_id}",
        lambda w: {"concern_ids": []},
        {"alice": 200, **CASE_WRITE},
    ),
    "close case": (
        "post",
        lambda w: f"/cases/{w.case.public_id}/close",
        lambda w: {"reason": "goals_reached"},
        {"alice": 200, **CASE_WRITE},
    ),
    "reopen an open case": (
        "post",
        lambda w: f"/cases/{w.case.public_id}/reopen",
        lambda w: None,
        {"alice": 409, **CASE_WRITE},
    ),
    "share case": (
        "post",
        lambda w: f"/cases/{w.case.public_id}/shares",
        lambda w: {
            "shared_with": str(w.colleague.public_id),
            "until": _future(),
            "reason": "Congés",
        },
        {"alice": 201, **CASE_WRITE},
    ),
    "record intervention": (
        "post",
        lambda w: f"/cases/{w.case.public_id}/interventions",
        lambda w: {
            "kind": "phone",
            "occurred_at": timezone.now().isoformat(),
            "duration_minutes": 20,
            "note": {"body": "Point sur les démarches CAF."},
        },
        {"alice": 201, **CASE_WRITE},
    ),
    "add note": (
        "post",
        lambda w: f"/cases/{w.case.public_id}/notes",
        lambda w: {"body": "Dossier CAF déposé.", "kind": "fact"},
        {"alice": 201, **CASE_WRITE},
    ),
    "update note": (
        "patch",
        lambda w: f"/notes/{w.fact_note.public_id}",
        lambda w: {"body": "Dossier CAF déposé le 3."},
        {"alice": 200, **CASE_WRITE},
    ),
    "create plan": (
        "post",
        lambda w: f"/cases/{w.case.public_id}/plans",
        lambda w: {},
        {"alice": 201, **CASE_WRITE},
    ),
    "add goal": (
        "post",
        lambda w: f"/plans/{w.plan.public_id}/goals",
        lambda w: {"person_words": "Retrouver un logement à moi"},
        {"alice": 201, **CASE_WRITE},
    ),
    "update goal": (
        "patch",
        lambda w: f"/plans/{w.plan.public_id}/goals/{_goal(w).public_id}",
        lambda w: {"status": "in_progress"},
        {"alice": 200, **CASE_WRITE},
    ),
    "add action": (
        "post",
        lambda w: f"/plans/{w.plan.public_id}/goals/{_goal(w).public_id}/actions",
        lambda w: {"description": "Appeler le bailleur", "owner": "person"},
        {"alice": 201, **CASE_WRITE},
    ),
    "update action": (
        "patch",
        lambda w: f"/plans/{w.plan.public_id}/actions/{_action(w).public_id}",
        lambda w: {"status": "done"},
        {"alice": 200, **CASE_WRITE},
    ),
    "review plan": (
        "post",
        lambda w: f"/plans/{w.plan.public_id}/review",
        lambda w: {"review": "Les factures sont à jour : objectif atteint."},
        {"alice": 200, **CASE_WRITE},
    ),
    "create task on a case": (
        "post",
        lambda w: "/tasks",
        lambda w: {
            "title": "Relancer la CAF",
            "due_on": _future(7),
            "case_id": str(w.case.public_id),
        },
        {
            "alice": 201,
            "bob": 404,
            "manager": 404,
            "secretary": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "complete task": (
        "post",
        lambda w: f"/tasks/{w.task.public_id}/complete",
        lambda w: None,
        {
            "alice": 200,
            "bob": 404,
            "manager": 403,
            "secretary": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "book appointment": (
        "post",
        lambda w: "/appointments",
        lambda w: {
            "person_id": str(w.person.public_id),
            "worker": str(w.case.referent_links.get().user.public_id),
            "starts_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
        },
        {
            "alice": 201,
            "bob": 201,
            "secretary": 201,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "cancel appointment": (
        "post",
        lambda w: f"/appointments/{w.appointment.public_id}/cancel",
        lambda w: None,
        {
            "alice": 200,
            "bob": 404,
            "secretary": 200,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "mark an appointment still to come": (
        "post",
        lambda w: f"/appointments/{w.appointment.public_id}/mark",
        lambda w: {"status": "done"},
        {
            "alice": 409,
            "bob": 404,
            "secretary": 409,
            "manager": 403,
            **NO_ROLE,
            "charlie": 404,
        },
    ),
    "request aid": (
        "post",
        lambda w: f"/cases/{w.case.public_id}/aids",
        lambda w: {"kind": "loan", "funder": "Action Logement", "amount_requested": "800.00"},
        {"alice": 201, **CASE_WRITE},
    ),
    "update aid status": (
        "post",
        lambda w: f"/aids/{w.aid.public_id}/status",
        lambda w: {"status": "under_review"},
        {"alice": 200, **CASE_WRITE},
    ),
    "decide aid": (
        "post",
        lambda w: f"/aids/{w.aid.public_id}/decision",
        lambda w: {"granted": True, "amount_granted": "250.00"},
        {"alice": 200, **CASE_WRITE},
    ),
    "prepare referral": (
        "post",
        lambda w: f"/cases/{w.case.public_id}/referrals",
        lambda w: {
            "partner_id": str(w.partner.public_id),
            "request": "Ouverture des droits APL",
            "shared_items": ["identity", "address"],
        },
        {"alice": 201, **CASE_WRITE},
    ),
    "record consent": (
        "post",
        lambda w: f"/referrals/{w.referral.public_id}/consents",
        lambda w: {"items": ["identity"], "valid_until": _future(), "form": "oral"},
        {"alice": 201, **CASE_WRITE},
    ),
    "send referral": (
        "post",
        lambda w: f"/referrals/{w.referral.public_id}/send",
        lambda w: {},
        {"alice": 200, **CASE_WRITE},
    ),
    "close referral": (
        "post",
        lambda w: f"/referrals/{w.referral.public_id}/status",
        lambda w: {"status": "closed"},
        {"alice": 200, **CASE_WRITE},
    ),
    "withdraw consent": (
        "post",
        lambda w: f"/consents/{w.consent.public_id}/withdraw",
        lambda w: None,
        {"alice": 200, **CASE_WRITE},
    ),
}
CASES = [pytest.param(name, caller, id=f"{name}-{caller}") for name in WRITES for caller in CALLERS]


@pytest.fixture
def world(organisation, alice, bob, secretary):
    w = casework_world(organisation, alice, secretary=secretary)
    Goal.objects.create(organisation=organisation, plan=w.plan, person_words="Dormir au sec")
    w.plan.goals.filter(actions__isnull=True).delete()
    w.colleague = bob
    return w


@pytest.mark.parametrize("name, caller", CASES)
def test_each_write_answers_each_caller_as_the_pages_do(api, world, request, name, caller):
    method, path, body, expected = WRITES[name]
    user = request.getfixturevalue(caller)
    secret = api.secret_for(user)  # before counting: creating a token is itself audited
    changes = ChangeEvent.objects.count()
    response = getattr(api, method)(secret, path(world), body(world))
    assert response.status_code == expected[caller], response.content
    if expected[caller] >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        assert ChangeEvent.objects.count() == changes, "a refused write changed something"
    else:
        assert ChangeEvent.objects.count() > changes, "a write left no trace in the log"
