import datetime
import decimal

import pytest
from django.utils import timezone

from relais.audit.models import ChangeEvent
from relais.cases import enums
from relais.cases import services as s
from relais.cases.errors import ActionRefused
from relais.cases.models import (
    LONG_TEXT_MAX_LENGTH,
    Case,
    CaseReferent,
    FollowUpRule,
    Note,
    Task,
)
from tests import factories

TODAY = timezone.localdate


@pytest.fixture
def person(organisation):
    return factories.PersonFactory(organisation=organisation, last_name="Durand")


@pytest.fixture
def case(alice, person):
    return s.case_open(by=alice, person=person, referents=[alice])


def verbs():
    return list(ChangeEvent.objects.order_by("seq").values_list("verb", flat=True))


# --- Requests ---------------------------------------------------------------------------


def test_an_urgent_request_gets_a_call_back_task_for_its_worker(alice, secretary, person):
    request = s.request_record(
        by=secretary,
        person=person,
        origin=enums.RequestOrigin.MANAGER,
        channel=enums.RequestChannel.PHONE,
        urgency=enums.Urgency.SOON,
        summary="Salarié témoin d'une agression au guichet ce matin.",
        assigned_to=alice,
    )
    task = Task.objects.get(request=request)
    assert task.assignee == alice
    assert task.due_on == TODAY() + datetime.timedelta(days=2)
    assert "48 heures" in task.title
    assert verbs() == ["request_record", "task_create"]


def test_an_unassigned_urgent_request_gets_its_task_when_assigned(alice, secretary, person):
    request = s.request_record(
        by=secretary,
        person=person,
        origin=enums.RequestOrigin.PERSON,
        channel=enums.RequestChannel.PHONE,
        urgency=enums.Urgency.SAME_DAY,
    )
    assert not Task.objects.exists()
    s.request_assign(by=secretary, request=request, to=alice)
    task = Task.objects.get(request=request)
    assert (task.assignee, task.due_on) == (alice, TODAY())


def test_a_request_from_the_person_counts_as_a_contact(secretary, person):
    s.request_record(
        by=secretary, person=person, origin="person", channel="phone", summary="Appel."
    )
    person.refresh_from_db()
    assert person.last_contact_at is not None


def test_a_request_is_not_given_to_a_secretary(secretary, person):
    with pytest.raises(ActionRefused):
        s.request_record(
            by=secretary, person=person, origin="hr", channel="email", assigned_to=secretary
        )


def test_a_request_received_tomorrow_is_refused(secretary, person):
    with pytest.raises(ActionRefused, match="futur"):
        s.request_record(
            by=secretary,
            person=person,
            origin="person",
            channel="phone",
            received_on=TODAY() + datetime.timedelta(days=1),
        )


def test_closing_a_request_needs_a_reason_and_ends_its_follow_ups(alice, person):
    request = s.request_record(
        by=alice, person=person, origin="person", channel="phone", urgency="soon"
    )
    with pytest.raises(ActionRefused, match="pourquoi"):
        s.request_close(by=alice, request=request, reason="")
    request.refresh_from_db()
    assert request.status == enums.RequestStatus.WAITING

    s.request_close(by=alice, request=request, reason="information_given")
    assert request.status == enums.RequestStatus.CLOSED
    assert not Task.objects.filter(done_at__isnull=True).exists()
    with pytest.raises(ActionRefused, match="déjà été traitée"):
        s.request_close(by=alice, request=request, reason="other")


def test_a_request_becomes_a_case_with_its_tasks_and_appointment(alice, secretary, person, concern):
    request = s.request_record(
        by=secretary,
        person=person,
        origin="occupational_doctor",
        channel="email",
        urgency="soon",
        concerns=[concern("sante-arret-maladie")],
        assigned_to=alice,
    )
    appointment = s.appointment_book(
        by=secretary,
        worker=alice,
        request=request,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        kind="office",
    )
    assert appointment.person == person

    case = s.request_convert_to_case(by=alice, request=request)

    request.refresh_from_db()
    appointment.refresh_from_db()
    assert request.status == enums.RequestStatus.CONVERTED and request.case == case
    assert list(case.referents.all()) == [alice]
    assert [c.code for c in case.concerns.all()] == ["sante-arret-maladie"]
    assert appointment.case == case
    assert Task.objects.get(request=request).case == case
    assert case.status == enums.CaseStatus.OPEN


def test_a_request_can_join_the_persons_open_case(alice, person, case):
    request = s.request_record(by=alice, person=person, origin="person", channel="phone")
    assert s.request_convert_to_case(by=alice, request=request, case=case) == case
    assert Case.objects.count() == 1


def test_a_request_does_not_join_another_persons_case(alice, case, organisation):
    other = factories.PersonFactory(organisation=organisation)
    request = s.request_record(by=alice, person=other, origin="person", channel="phone")
    with pytest.raises(ActionRefused, match="autre personne"):
        s.request_convert_to_case(by=alice, request=request, case=case)


# --- Cases ------------------------------------------------------------------------------


def test_opening_a_case_after_a_traumatic_event_plans_the_48h_call(alice, person, concern):
    case = s.case_open(by=alice, person=person, concerns=[concern("at-mp-evenement-traumatique")])
    titles = dict(Task.objects.filter(case=case).values_list("title", "due_on"))
    assert titles == {
        "Recontacter la personne sous 48 heures après l'événement": TODAY()
        + datetime.timedelta(days=2),
        "Reprendre contact un mois après l'événement": TODAY() + datetime.timedelta(days=30),
    }


def test_an_organisation_can_switch_a_rule_off(alice, person, concern, organisation):
    FollowUpRule.objects.filter(
        organisation=organisation, code="evenement-traumatique-1-mois"
    ).update(is_active=False)
    case = s.case_open(by=alice, person=person, concerns=[concern("at-mp-evenement-traumatique")])
    assert Task.objects.filter(case=case).count() == 1


def test_opening_a_case_records_referents_and_concerns(alice, bob, person, concern):
    case = s.case_open(
        by=alice, person=person, referents=[bob, alice], concerns=[concern("budget-saisie")]
    )
    primary = CaseReferent.objects.get(case=case, is_primary=True)
    assert primary.user == bob
    event = ChangeEvent.objects.get(verb="case_open")
    assert event.after["referents"] == sorted([alice.pk, bob.pk])
    assert event.after["primary_referent"] == bob.pk
    assert event.case_id == case.pk and event.person_id == person.pk


@pytest.mark.parametrize("who", ["secretary", "charlie", "manager"])
def test_only_the_services_social_workers_are_referents(request, alice, person, who):
    with pytest.raises(ActionRefused):
        s.case_open(by=alice, person=person, referents=[request.getfixturevalue(who)])


def test_closing_needs_a_reason_and_nothing_changes_when_refused(alice, case):
    with pytest.raises(ActionRefused, match="motif"):
        s.case_close(by=alice, case=case, reason="")
    case.refresh_from_db()
    assert case.status == enums.CaseStatus.OPEN
    assert "case_close" not in verbs()


def test_close_and_reopen(alice, case):
    s.case_close(by=alice, case=case, reason="goals_reached")
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closing_reason) == (
        "closed",
        TODAY(),
        "goals_reached",
    )
    with pytest.raises(ActionRefused, match="déjà clos"):
        s.case_close(by=alice, case=case, reason="other")
    with pytest.raises(ActionRefused, match="clos"):
        s.note_add(by=alice, case=case, body="Après la clôture.")
    s.case_reopen(by=alice, case=case)
    assert (case.status, case.closed_on, case.closing_reason) == ("active", None, "")
    with pytest.raises(ActionRefused, match="pas clos"):
        s.case_reopen(by=alice, case=case)


def test_a_case_cannot_close_before_it_opened(alice, case):
    with pytest.raises(ActionRefused, match="précède"):
        s.case_close(
            by=alice,
            case=case,
            reason="other",
            closed_on=case.opened_on - datetime.timedelta(days=1),
        )


def test_sharing_lets_a_colleague_in_until_the_end_date(alice, bob, case):
    assert not Case.objects.visible_to(bob).filter(pk=case.pk).exists()
    share = s.case_share(
        by=alice,
        case=case,
        shared_with=bob,
        until=TODAY() + datetime.timedelta(days=14),
        reason="Congés d'été",
    )
    assert Case.objects.visible_to(bob).filter(pk=case.pk).exists()
    assert Case.objects.editable_by(bob).filter(pk=case.pk).exists()
    with pytest.raises(ActionRefused, match="déjà partagé"):
        s.case_share(by=alice, case=case, shared_with=bob, until=TODAY(), reason="Encore")
    s.case_share_revoke(by=alice, share=share)
    assert not Case.objects.visible_to(bob).filter(pk=case.pk).exists()
    with pytest.raises(ActionRefused, match="déjà été retiré"):
        s.case_share_revoke(by=alice, share=share)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"reason": "  "}, "pourquoi"),
        ({"until": datetime.date(2020, 1, 1)}, "passée"),
        ({"shared_with": "charlie"}, "collègue"),
        ({"shared_with": "secretary"}, "collègue"),
        ({"shared_with": "alice"}, "déjà référente"),
    ],
)
def test_impossible_shares_are_refused(request, alice, bob, case, kwargs, message):
    arguments = {
        "shared_with": bob,
        "until": TODAY() + datetime.timedelta(days=3),
        "reason": "Absence",
    }
    if isinstance(kwargs.get("shared_with"), str):
        kwargs = {"shared_with": request.getfixturevalue(kwargs["shared_with"])}
    arguments.update(kwargs)
    with pytest.raises(ActionRefused, match=message):
        s.case_share(by=alice, case=case, **arguments)


# --- Interventions and notes -------------------------------------------------------------


def test_an_interview_with_an_assessment_note(alice, bob, organisation, case, concern):
    carol = factories.UserFactory(organisation=organisation)
    for colleague in (bob, carol):
        s.case_share(
            by=alice,
            case=case,
            shared_with=colleague,
            until=TODAY() + datetime.timedelta(days=5),
            reason="Continuité",
        )
    when = timezone.now() - datetime.timedelta(hours=1)
    intervention = s.intervention_record(
        by=alice,
        case=case,
        kind=enums.InterventionKind.OFFICE_INTERVIEW,
        occurred_at=when,
        duration_minutes=50,
        concerns=[concern("budget-endettement")],
        note_body="Madame semble épuisée par la situation.",
        note_kind=enums.NoteKind.ASSESSMENT,
        note_shared_with=[bob],
    )
    note = intervention.notes.get()
    assert note.kind == "assessment" and list(note.shared_with.all()) == [bob]
    assert Note.objects.visible_to(alice).filter(pk=note.pk).exists()
    assert Note.objects.visible_to(bob).filter(pk=note.pk).exists()
    assert not Note.objects.visible_to(carol).filter(pk=note.pk).exists()

    case.refresh_from_db()
    case.person.refresh_from_db()
    assert case.status == enums.CaseStatus.ACTIVE
    assert case.person.last_contact_at == when
    assert case.last_activity_at >= when
    assert verbs()[-3:] == ["intervention_record", "note_add", "case_activate"]


def test_a_step_for_the_person_is_not_a_contact_with_them(alice, case):
    s.intervention_record(
        by=alice, case=case, kind=enums.InterventionKind.STEP, occurred_at=timezone.now()
    )
    case.person.refresh_from_db()
    assert case.person.last_contact_at is None


def test_an_intervention_in_the_future_is_refused(alice, case):
    with pytest.raises(ActionRefused, match="futur"):
        s.intervention_record(
            by=alice,
            case=case,
            kind="office",
            occurred_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert not case.interventions.exists()


def test_an_intervention_honours_its_appointment(alice, case):
    appointment = s.appointment_book(
        by=alice,
        worker=alice,
        case=case,
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        kind="office",
    )
    intervention = s.intervention_record(
        by=alice, case=case, kind="office", occurred_at=timezone.now(), appointment=appointment
    )
    appointment.refresh_from_db()
    assert appointment.status == enums.AppointmentStatus.DONE
    assert appointment.intervention == intervention


def test_only_the_author_changes_a_note(alice, bob, case):
    note = s.note_add(by=alice, case=case, body="Premier rendez-vous fixé.")
    with pytest.raises(ActionRefused, match="auteur"):
        s.note_update(by=bob, note=note, body="Autre chose")
    s.note_update(by=alice, note=note, body="Premier rendez-vous fixé au 3 mars.")
    note.refresh_from_db()
    assert note.body == "Premier rendez-vous fixé au 3 mars."
    event = ChangeEvent.objects.get(verb="note_update")
    # The log keeps what the note said, encrypted.
    assert event.before["body"].startswith("rx1:")


def test_a_fact_note_has_no_named_readers(alice, bob, case):
    note = s.note_add(by=alice, case=case, body="Analyse.", kind="assessment", shared_with=[bob])
    s.note_update(by=alice, note=note, kind="fact")
    assert not note.shared_with.exists()


def test_long_notes_are_refused(alice, case):
    with pytest.raises(ActionRefused, match="20\u202f000"):
        s.note_add(by=alice, case=case, body="a" * (LONG_TEXT_MAX_LENGTH + 1))
    s.note_add(by=alice, case=case, body="a" * LONG_TEXT_MAX_LENGTH)


def test_an_empty_note_is_refused(alice, case):
    with pytest.raises(ActionRefused, match="vide"):
        s.note_add(by=alice, case=case, body="   ")


# --- Plan --------------------------------------------------------------------------------


def test_a_plan_with_goals_actions_and_a_review(alice, case):
    plan = s.plan_create(by=alice, case=case, review_on=TODAY() + datetime.timedelta(days=90))
    first = s.goal_add(by=alice, plan=plan, person_words="Ne plus avoir peur du courrier")
    second = s.goal_add(by=alice, plan=plan, person_words="Garder mon appartement")
    assert (first.position, second.position) == (0, 1)
    action = s.action_add(
        by=alice, goal=first, description="Ouvrir le courrier ensemble", owner="together"
    )
    s.action_update(by=alice, action=action, status=enums.ActionStatus.DONE)
    assert action.done_on == TODAY()
    s.action_update(by=alice, action=action, status=enums.ActionStatus.TODO)
    assert action.done_on is None
    s.goal_update(by=alice, goal=first, status=enums.GoalStatus.REACHED)
    s.plan_review(by=alice, plan=plan, review="Les courriers sont ouverts chaque semaine.")
    plan.refresh_from_db()
    assert plan.reviewed_on == TODAY() and plan.review_on is None


def test_a_goal_needs_the_persons_words(alice, case):
    plan = s.plan_create(by=alice, case=case)
    with pytest.raises(ActionRefused, match="mots de la personne"):
        s.goal_add(by=alice, plan=plan, person_words="", worker_wording="Budget")


# --- Tasks, appointments -------------------------------------------------------------------


def test_a_task_is_done_once(alice, case):
    task = s.task_create(by=alice, assignee=alice, title="Envoyer le dossier", due_on=TODAY())
    s.task_complete(by=alice, task=task)
    with pytest.raises(ActionRefused, match="déjà faite"):
        s.task_complete(by=alice, task=task)


def test_a_task_is_not_given_to_another_service(alice, charlie):
    with pytest.raises(ActionRefused):
        s.task_create(by=alice, assignee=charlie, title="x", due_on=TODAY())


def test_appointments_are_cancelled_or_marked_once(alice, secretary, person):
    later = s.appointment_book(
        by=secretary,
        worker=alice,
        person=person,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        kind="phone",
    )
    with pytest.raises(ActionRefused, match="pas encore eu lieu"):
        s.appointment_mark(by=alice, appointment=later, status="done")
    s.appointment_cancel(by=secretary, appointment=later)
    with pytest.raises(ActionRefused, match="déjà été traité"):
        s.appointment_cancel(by=secretary, appointment=later)
    past = s.appointment_book(
        by=secretary,
        worker=alice,
        person=person,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        kind="office",
    )
    s.appointment_mark(by=alice, appointment=past, status="missed")
    person.refresh_from_db()
    assert person.last_contact_at is None


def test_an_appointment_is_with_a_social_worker(secretary, person):
    with pytest.raises(ActionRefused):
        s.appointment_book(
            by=secretary, worker=secretary, person=person, starts_at=timezone.now(), kind="office"
        )


# --- Financial aid -------------------------------------------------------------------------


def test_an_aid_request_is_followed_until_its_decision(alice, case):
    aid = s.aid_request(
        by=alice,
        case=case,
        kind="loan",
        funder="Action Logement",
        amount_requested=decimal.Decimal("800"),
    )
    reminder = Task.objects.get(case=case, rule__code="aide-relance-financeur")
    assert reminder.due_on == TODAY() + datetime.timedelta(days=30)
    s.aid_update_status(by=alice, aid=aid, status="under_review", committee_on=TODAY())
    with pytest.raises(ActionRefused, match="montant accordé"):
        s.aid_decide(by=alice, aid=aid, granted=True)
    s.aid_decide(by=alice, aid=aid, granted=True, amount_granted=decimal.Decimal("600"))
    assert aid.status == enums.AidStatus.GRANTED
    reminder.refresh_from_db()
    assert reminder.done_at is not None
    with pytest.raises(ActionRefused, match="terminée"):
        s.aid_decide(by=alice, aid=aid, granted=False)
    with pytest.raises(ActionRefused, match="terminée"):
        s.aid_update_status(by=alice, aid=aid, status="postponed")


def test_an_aid_needs_a_positive_amount(alice, case):
    with pytest.raises(ActionRefused, match="positif"):
        s.aid_request(by=alice, case=case, kind="loan", funder="CSE", amount_requested=0)


def test_every_write_of_a_journey_is_logged(alice, person):
    case = s.case_open(by=alice, person=person)
    s.intervention_record(by=alice, case=case, kind="phone", occurred_at=timezone.now())
    s.case_close(by=alice, case=case, reason="goals_reached")
    assert verbs() == ["case_open", "intervention_record", "case_activate", "case_close"]


def test_the_referent_links_carry_the_case_s_opening_date(alice, bob, organisation):
    """``CaseReferent.case_opened_on`` orders the home page's "opened recently": a link
    made at the opening, and one made later, both carry the case's date."""
    person = factories.PersonFactory(organisation=organisation)
    opened_on = timezone.localdate() - datetime.timedelta(days=40)
    case = s.case_open(by=alice, person=person, opened_on=opened_on)
    s.case_update(by=alice, case=case, referents=[alice, bob])
    dates = CaseReferent.objects.filter(case=case).values_list("case_opened_on", flat=True)
    assert list(dates) == [opened_on, opened_on]


def test_the_referent_links_follow_the_case_closing_and_reopening(alice, bob, case):
    """``CaseReferent.case_open`` is the caseload's index: it must say what the status says."""
    from relais.cases import selectors

    def open_links():
        return sorted(
            CaseReferent.objects.filter(case=case, case_open=True).values_list("user_id", flat=True)
        )

    assert open_links() == [alice.pk]
    s.case_update(by=alice, case=case, referents=[alice, bob])
    assert open_links() == sorted([alice.pk, bob.pk])
    assert list(selectors.caseload_page(user=bob, number=1)) == [case]
    s.case_close(by=alice, case=case, reason="goals_reached")
    assert open_links() == []
    assert list(selectors.caseload_page(user=alice, number=1)) == []
    assert list(selectors.caseload_page(user=bob, number=1)) == []
    s.case_reopen(by=alice, case=case)
    assert open_links() == sorted([alice.pk, bob.pk])
    assert list(selectors.caseload_page(user=bob, number=1)) == [case]
