"""What a program can do through the API, and what it is told when it cannot."""

import datetime

from django.utils import timezone

from relais.audit.models import ChangeEvent
from relais.cases.models import Appointment, Case, Intervention, Note
from relais.people.models import Person
from tests import factories
from tests.api.world import casework_world


def _verbs(obj_public_id):
    return list(
        ChangeEvent.objects.filter(object_id=str(obj_public_id))
        .order_by("seq")
        .values_list("verb", flat=True)
    )


# --- Persons ------------------------------------------------------------------------------


def test_a_person_needs_only_a_name(api, secretary):
    response = api.post(secretary, "/persons", {"last_name": "Benali"})
    assert response.status_code == 201
    person = Person.objects.get(public_id=response.json()["id"])
    assert person.last_name == "Benali"
    assert response.json()["situation"] is None
    assert _verbs(person.public_id) == ["person_create"]


def test_a_missing_name_is_refused_naming_the_field(api, secretary):
    response = api.post(secretary, "/persons", {"first_name": "Sami", "phone": "x" * 40})
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["last_name"] == ["Ce champ est obligatoire."]
    assert fields["phone"] == ["Au plus 32 caractères."]
    assert not Person.objects.exists()


def test_possible_duplicates_are_shown_before_creating(api, organisation, alice):
    existing = factories.PersonFactory(
        organisation=organisation, last_name="Lefèvre", first_name="Anne"
    )
    body = {"last_name": "Lefevre", "first_name": "Anne", "birth_date": "1980-03-14"}
    response = api.post(alice, "/persons", body)
    assert response.status_code == 409
    assert response.json()["code"] == "possible_duplicates"
    assert response.json()["fields"]["duplicates"] == [str(existing.public_id)]
    assert Person.objects.count() == 1

    response = api.post(alice, "/persons", {**body, "confirm_new": True})
    assert response.status_code == 201
    assert Person.objects.count() == 2


def test_a_name_in_another_script_is_created(api, alice):
    response = api.post(alice, "/persons", {"last_name": "李", "first_name": "Wei"})
    assert response.status_code == 201


def test_ids_from_another_organisation_are_refused_as_unknown(api, alice, other_organisation):
    foreign = factories.EmployerFactory(organisation=other_organisation)
    response = api.post(
        alice, "/persons", {"last_name": "Roux", "employer_id": str(foreign.public_id)}
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"employer_id": ["Introuvable dans votre service."]}


def test_text_the_database_cannot_hold_is_refused(api, alice):
    response = api.client.post(
        "/api/v1/persons",
        '{"last_name": "Ro\\u0000ux", "first_name": "\\ud800"}',
        content_type="application/json",
        **api._headers(alice),
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"last_name", "first_name"}


def test_a_malformed_body_is_a_400_in_the_same_shape(api, alice):
    response = api.client.post(
        "/api/v1/persons", "{pas du json", content_type="application/json", **api._headers(alice)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_identity_changes_only_what_is_sent(api, organisation, alice):
    world = casework_world(organisation, alice)
    response = api.patch(
        alice, f"/persons/{world.person.public_id}", {"city": "Lyon", "civility": None}
    )
    assert response.status_code == 200
    world.person.refresh_from_db()
    assert (world.person.city, world.person.civility, world.person.last_name) == (
        "Lyon",
        "",
        "Martin",
    )
    assert _verbs(world.person.public_id)[-1] == "person_update_identity"


def test_the_situation_is_changed_by_the_referent_and_seen_in_the_answer(api, organisation, alice):
    world = casework_world(organisation, alice)
    response = api.patch(
        alice,
        f"/persons/{world.person.public_id}/situation",
        {"work_situation": "sick_leave", "work_situation_since": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert response.json()["situation"]["work_situation"] == "sick_leave"
    assert "person_update_situation" in _verbs(world.person.public_id)


# --- Cases and requests ---------------------------------------------------------------------


def test_it_opens_closes_and_reopens_a_case(api, organisation, alice, bob):
    person = factories.PersonFactory(organisation=organisation)
    opened = api.post(
        alice,
        f"/persons/{person.public_id}/cases",
        {"referents": [str(alice.public_id), str(bob.public_id)]},
    )
    assert opened.status_code == 201
    case_id = opened.json()["id"]
    assert [r["id"] for r in opened.json()["referents"]] == [
        str(alice.public_id),
        str(bob.public_id),
    ]

    refused = api.post(alice, f"/cases/{case_id}/close", {"reason": "pas-un-motif"})
    assert refused.status_code == 422
    assert "reason" in refused.json()["fields"]

    closed = api.post(alice, f"/cases/{case_id}/close", {"reason": "goals_reached"})
    assert closed.json()["status"] == "closed"
    again = api.post(alice, f"/cases/{case_id}/close", {"reason": "goals_reached"})
    assert again.status_code == 409
    assert again.json() == {
        "code": "refused",
        "message": "Cet accompagnement est déjà clos.",
        "fields": {},
    }
    reopened = api.post(alice, f"/cases/{case_id}/reopen")
    assert reopened.json()["status"] == "active"
    assert _verbs(case_id) == ["case_open", "case_close", "case_reopen"]


def test_a_referent_shares_a_case_and_the_colleague_then_sees_it(api, organisation, alice, bob):
    world = casework_world(organisation, alice)
    assert api.get(bob, f"/cases/{world.case.public_id}").status_code == 404
    until = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = api.post(
        alice,
        f"/cases/{world.case.public_id}/shares",
        {"shared_with": str(bob.public_id), "until": until, "reason": "Congés d'été"},
    )
    assert response.status_code == 201
    assert api.get(bob, f"/cases/{world.case.public_id}").status_code == 200
    # A colleague the case is shared with writes in it, but does not share it further.
    again = api.post(
        bob,
        f"/cases/{world.case.public_id}/shares",
        {"shared_with": str(alice.public_id), "until": until, "reason": "Retour"},
    )
    assert again.status_code == 403
    revoked = api.post(
        alice, f"/cases/{world.case.public_id}/shares/{response.json()['id']}/revoke"
    )
    assert revoked.status_code == 200
    assert api.get(bob, f"/cases/{world.case.public_id}").status_code == 404


def test_a_request_becomes_a_case(api, organisation, alice, secretary):
    person = factories.PersonFactory(organisation=organisation)
    recorded = api.post(
        secretary,
        f"/persons/{person.public_id}/requests",
        {
            "origin": "hr",
            "channel": "email",
            "summary": "Salariée en difficulté",
            "assigned_to": str(alice.public_id),
        },
    )
    assert recorded.status_code == 201
    assert recorded.json()["concern_ids"] is None  # the secretariat does not see concerns
    assert recorded.json()["summary"] == "Salariée en difficulté"
    request_id = recorded.json()["id"]
    case = api.post(alice, f"/requests/{request_id}/convert", {})
    assert case.status_code == 200
    assert api.get(alice, f"/requests/{request_id}").json()["case_id"] == case.json()["id"]
    assert (
        api.post(alice, f"/requests/{request_id}/close", {"reason": "duplicate"}).status_code == 409
    )


def test_the_secretariat_cannot_set_concerns(api, organisation, secretary):
    person = factories.PersonFactory(organisation=organisation)
    concern = factories.ConcernFactory(organisation=organisation)
    response = api.post(
        secretary,
        f"/persons/{person.public_id}/requests",
        {"origin": "person", "channel": "phone", "concern_ids": [str(concern.public_id)]},
    )
    assert response.status_code == 422
    assert "concern_ids" in response.json()["fields"]


def test_the_manager_routes_requests_without_reading_them(api, organisation, alice, manager):
    world = casework_world(organisation, alice)
    data = api.get(manager, f"/requests/{world.request.public_id}").json()
    assert data["summary"] is None and data["concern_ids"] is None


# --- Interventions and notes ----------------------------------------------------------------


def test_an_interview_with_its_note_is_recorded_once(api, organisation, alice):
    world = casework_world(organisation, alice)
    when = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    response = api.post(
        alice,
        f"/cases/{world.case.public_id}/interventions",
        {
            "kind": "office",
            "occurred_at": when.isoformat(),
            "duration_minutes": 50,
            "note": {"body": "Madame souhaite déposer un dossier FSL.", "kind": "fact"},
            "appointment_id": str(world.appointment.public_id),
        },
    )
    assert response.status_code == 201
    intervention = Intervention.objects.get(public_id=response.json()["id"])
    assert intervention.occurred_at == when
    note = Note.objects.get(intervention=intervention)
    assert note.body == "Madame souhaite déposer un dossier FSL."
    notes = api.get(alice, "/notes", intervention=response.json()["id"]).json()["items"]
    assert [n["id"] for n in notes] == [str(note.public_id)]
    world.appointment.refresh_from_db()
    assert (world.appointment.status, world.appointment.intervention_id) == (
        "done",
        intervention.pk,
    )


def test_an_interview_time_needs_its_time_zone_and_cannot_be_in_the_future(
    api, organisation, alice
):
    world = casework_world(organisation, alice)
    path = f"/cases/{world.case.public_id}/interventions"
    naive = api.post(alice, path, {"kind": "office", "occurred_at": "2026-01-05T10:00:00"})
    assert naive.status_code == 422
    assert naive.json()["fields"]["occurred_at"][0].startswith("Indiquez le fuseau horaire")
    future = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    response = api.post(alice, path, {"kind": "office", "occurred_at": future})
    assert response.status_code == 409
    assert Intervention.objects.filter(case=world.case).count() == 1


def test_an_assessment_note_is_read_only_by_its_author_and_those_named(
    api, organisation, alice, bob
):
    world = casework_world(organisation, alice)
    until = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    api.post(
        alice,
        f"/cases/{world.case.public_id}/shares",
        {"shared_with": str(bob.public_id), "until": until, "reason": "Continuité"},
    )
    private = api.post(
        alice,
        f"/cases/{world.case.public_id}/notes",
        {"body": "Hypothèse : isolement.", "kind": "assessment"},
    ).json()
    named = api.post(
        alice,
        f"/cases/{world.case.public_id}/notes",
        {"body": "À discuter avec Bob.", "kind": "assessment", "shared_with": [str(bob.public_id)]},
    ).json()
    seen_by_bob = {
        n["id"] for n in api.get(bob, "/notes", case=str(world.case.public_id)).json()["items"]
    }
    assert private["id"] not in seen_by_bob
    assert named["id"] in seen_by_bob
    # Bob reads it but only its author changes it.
    response = api.patch(bob, f"/notes/{named['id']}", {"body": "Modifié par Bob"})
    assert response.status_code == 403
    assert Note.objects.get(public_id=named["id"]).body == "À discuter avec Bob."


# --- Plans, tasks, appointments, aid --------------------------------------------------------


def test_a_plan_is_built_with_the_persons_words(api, organisation, alice):
    world = casework_world(organisation, alice)
    plan = api.post(alice, f"/cases/{world.case.public_id}/plans", {}).json()
    plan = api.post(
        alice, f"/plans/{plan['id']}/goals", {"person_words": "Passer le permis"}
    ).json()
    goal = plan["goals"][0]
    plan = api.post(
        alice,
        f"/plans/{plan['id']}/goals/{goal['id']}/actions",
        {"description": "S'inscrire à l'auto-école sociale", "owner": "person"},
    ).json()
    action = plan["goals"][0]["actions"][0]
    plan = api.patch(
        alice, f"/plans/{plan['id']}/actions/{action['id']}", {"status": "done"}
    ).json()
    assert plan["goals"][0]["actions"][0]["done_on"] == timezone.localdate().isoformat()
    assert plan["goals"][0]["person_words"] == "Passer le permis"


def test_tasks_are_created_and_completed(api, organisation, alice, secretary):
    world = casework_world(organisation, alice)
    created = api.post(
        secretary,
        "/tasks",
        {
            "title": "Renvoyer le formulaire",
            "due_on": "2030-01-15",
            "assignee": str(alice.public_id),
        },
    )
    assert created.status_code == 201
    assert created.json()["assignee"]["id"] == str(alice.public_id)
    done = api.post(alice, f"/tasks/{created.json()['id']}/complete")
    assert done.status_code == 200 and done.json()["done_at"] is not None
    assert api.post(alice, f"/tasks/{created.json()['id']}/complete").status_code == 409
    assert api.post(alice, f"/tasks/{world.task.public_id}/complete").status_code == 200


def test_an_appointment_is_booked_in_a_workers_agenda(api, organisation, alice, secretary):
    person = factories.PersonFactory(organisation=organisation)
    starts_at = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    response = api.post(
        secretary,
        "/appointments",
        {
            "person_id": str(person.public_id),
            "worker": str(alice.public_id),
            "starts_at": starts_at.isoformat(),
            "duration_minutes": 30,
        },
    )
    assert response.status_code == 201
    appointment = Appointment.objects.get(public_id=response.json()["id"])
    assert (appointment.worker, appointment.starts_at) == (alice, starts_at)
    listed = api.get(alice, "/appointments", mine="true").json()["items"]
    assert [a["id"] for a in listed] == [response.json()["id"]]
    too_short = api.post(
        secretary,
        "/appointments",
        {
            "person_id": str(person.public_id),
            "starts_at": starts_at.isoformat(),
            "duration_minutes": 1,
        },
    )
    assert too_short.status_code == 422


def test_financial_aid_amounts_are_decimal_text(api, organisation, alice):
    world = casework_world(organisation, alice)
    path = f"/cases/{world.case.public_id}/aids"
    for bad in ["12,50", 12.5, "-3", "1.234"]:
        response = api.post(alice, path, {"kind": "loan", "funder": "CSE", "amount_requested": bad})
        assert response.status_code == 422, bad
        assert "amount_requested" in response.json()["fields"]
    created = api.post(
        alice, path, {"kind": "loan", "funder": "CSE", "amount_requested": "450"}
    ).json()
    assert created["amount_requested"] == "450.00"
    decided = api.post(
        alice, f"/aids/{created['id']}/decision", {"granted": True, "amount_granted": "400.00"}
    )
    assert decided.json()["status"] == "granted"
    assert decided.json()["amount_granted"] == "400.00"
    assert (
        api.post(alice, f"/aids/{created['id']}/status", {"status": "under_review"}).status_code
        == 409
    )


def test_the_readme_example_works_as_written(api, organisation, alice):
    """The worked example of the README: a person, a case, an interview."""
    person = api.post(alice, "/persons", {"last_name": "Durand", "first_name": "Sophie"}).json()
    case = api.post(alice, f"/persons/{person['id']}/cases", {}).json()
    interview = api.post(
        alice,
        f"/cases/{case['id']}/interventions",
        {
            "kind": "office",
            "occurred_at": timezone.localtime().replace(microsecond=0).isoformat(),
            "duration_minutes": 45,
            "note": {
                "body": "Premier entretien : Mme Durand souhaite faire le point sur son budget."
            },
        },
    )
    assert interview.status_code == 201, interview.content
    assert Case.objects.get(public_id=case["id"]).status == "active"
