"""Every read endpoint against every kind of caller.

A token never sees more than its user: another organisation gets 404, a colleague who is
not on the case gets 404, a role that never uses the resource gets 403.
"""

import pytest

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

# resource: (list path, detail path from the world, {caller: expected detail status})
DENIED = {"admin_user": 403, "employer_viewer": 403, "supervisor": 403, "charlie": 404}
CASE_CONTENT = {
    "alice": 200,
    "bob": 404,
    "manager": 404,
    "secretary": 403,
    **DENIED,
}
RESOURCES = {
    "persons": (
        "/persons",
        lambda w: f"/persons/{w.person.public_id}",
        {"alice": 200, "bob": 200, "manager": 200, "secretary": 200, **DENIED},
    ),
    "household": (
        None,
        lambda w: f"/persons/{w.person.public_id}/household",
        {"alice": 200, "bob": 404, "manager": 404, "secretary": 404, **DENIED},
    ),
    "requests": (
        "/requests",
        lambda w: f"/requests/{w.request.public_id}",
        {"alice": 200, "bob": 404, "manager": 200, "secretary": 200, **DENIED},
    ),
    "cases": ("/cases", lambda w: f"/cases/{w.case.public_id}", CASE_CONTENT),
    "interventions": (
        "/interventions",
        lambda w: f"/interventions/{w.intervention.public_id}",
        CASE_CONTENT,
    ),
    "fact notes": ("/notes", lambda w: f"/notes/{w.fact_note.public_id}", CASE_CONTENT),
    "assessment notes": (
        "/notes",
        lambda w: f"/notes/{w.assessment_note.public_id}",
        CASE_CONTENT,
    ),
    "plans": ("/plans", lambda w: f"/plans/{w.plan.public_id}", CASE_CONTENT),
    "aids": ("/aids", lambda w: f"/aids/{w.aid.public_id}", CASE_CONTENT),
    "tasks": (
        "/tasks",
        lambda w: f"/tasks/{w.task.public_id}",
        {"alice": 200, "bob": 404, "manager": 200, "secretary": 403, **DENIED},
    ),
    "appointments": (
        "/appointments",
        lambda w: f"/appointments/{w.appointment.public_id}",
        {"alice": 200, "bob": 404, "manager": 200, "secretary": 200, **DENIED},
    ),
    "partners": (
        "/partners",
        lambda w: f"/partners/{w.partner.public_id}",
        {
            "alice": 200,
            "bob": 200,
            "manager": 200,
            "secretary": 200,
            "admin_user": 200,
            "employer_viewer": 403,
            "supervisor": 403,
            "charlie": 404,
        },
    ),
    "referrals": ("/referrals", lambda w: f"/referrals/{w.referral.public_id}", CASE_CONTENT),
    "employers": (
        "/employers",
        lambda w: f"/employers/{w.person.employer.public_id}",
        {
            "alice": 200,
            "bob": 200,
            "manager": 200,
            "secretary": 200,
            "admin_user": 200,
            "employer_viewer": 403,
            "supervisor": 403,
            "charlie": 404,
        },
    ),
}
CASES = [
    pytest.param(resource, caller, id=f"{resource}-{caller}")
    for resource in RESOURCES
    for caller in CALLERS
]


@pytest.fixture
def world(organisation, alice, secretary):
    return casework_world(organisation, alice, secretary=secretary)


@pytest.mark.parametrize("resource, caller", CASES)
def test_detail_answers_each_caller_as_the_policy_says(api, world, request, resource, caller):
    _, detail, expected = RESOURCES[resource]
    user = request.getfixturevalue(caller)
    response = api.get(user, detail(world))
    assert response.status_code == expected[caller], response.content
    if expected[caller] != 200:
        body = response.json()
        assert body["code"] == {403: "forbidden", 404: "not_found"}[expected[caller]]
        assert set(body) == {"code", "message", "fields"}


@pytest.mark.parametrize("resource, caller", [c for c in CASES if RESOURCES[c.values[0]][0]])
def test_list_shows_only_what_the_caller_may_see(api, world, request, resource, caller):
    list_path, detail, expected = RESOURCES[resource]
    user = request.getfixturevalue(caller)
    response = api.get(user, list_path, limit=100)
    wanted = expected[caller]
    if wanted == 403:
        assert response.status_code == 403
        return
    assert response.status_code == 200, response.content
    ids = {item["id"] for item in response.json()["items"]}
    object_id = detail(world).rsplit("/", 1)[-1]
    assert (object_id in ids) is (wanted == 200)


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_a_revoked_or_expired_token_gets_401(api, world, alice, resource):
    from django.utils import timezone

    from relais.api.services import api_token_create, api_token_revoke

    _, detail, _ = RESOURCES[resource]
    token, secret = api_token_create(by=alice, name="révoqué")
    assert api.get(secret, detail(world)).status_code == 200
    api_token_revoke(by=alice, token=token)
    response = api.get(secret, detail(world))
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"

    token, secret = api_token_create(by=alice, name="expiré", expires_at=timezone.now())
    response = api.get(secret, detail(world))
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert api.get(None, detail(world)).status_code == 401


def test_a_colleague_sees_a_case_shared_with_them_but_not_its_private_assessment(
    api, world, alice, bob
):
    import datetime

    from django.utils import timezone

    from relais.cases.models import CaseShare
    from tests.api.world import share_note

    today = timezone.localdate()
    CaseShare.objects.create(
        organisation=world.case.organisation,
        case=world.case,
        shared_with=bob,
        shared_by=alice,
        reason="Congés",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
    )
    assert api.get(bob, f"/cases/{world.case.public_id}").status_code == 200
    assert api.get(bob, f"/notes/{world.fact_note.public_id}").status_code == 200
    assert api.get(bob, f"/notes/{world.assessment_note.public_id}").status_code == 404
    ids = {n["id"] for n in api.get(bob, "/notes").json()["items"]}
    assert ids == {str(world.fact_note.public_id)}

    share_note(world.assessment_note, bob)
    response = api.get(bob, f"/notes/{world.assessment_note.public_id}")
    assert response.status_code == 200
    assert response.json()["shared_with"][0]["id"] == str(bob.public_id)


def test_the_referent_reads_both_kinds_of_notes_of_their_case(api, world, alice):
    response = api.get(alice, "/notes", case=str(world.case.public_id))
    kinds = sorted(n["kind"] for n in response.json()["items"])
    assert kinds == ["assessment", "fact"]


STATISTICS = {
    "alice": 200,
    "bob": 200,
    "manager": 200,
    "employer_viewer": 200,
    "charlie": 200,  # the figures of their own service
    "secretary": 403,
    "admin_user": 403,
    "supervisor": 403,
}


@pytest.mark.parametrize("caller", CALLERS)
def test_statistics_are_for_the_roles_of_the_statistics_page(api, world, request, caller):
    response = api.get(request.getfixturevalue(caller), "/statistics")
    assert response.status_code == STATISTICS[caller]
