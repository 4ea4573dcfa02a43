"""The case page's sections read a case's rows "in a case the user sees" (the case question
asked once) instead of probing the case for every row: both ways must give the same rows,
for every way of reaching, or not reaching, the case."""

import datetime

import pytest
from django.utils import timezone

from relais.budget.models import Budget, Debt
from relais.cases.models import BreakGlassAccess, CaseShare, Note
from relais.documents.models import Document
from relais.partners.models import Referral
from relais.reports.models import Report
from relais.security.models import SupervisionShare
from tests import factories
from tests.case_sections import fill_other_sections
from tests.reports.builders import rich_case

MODELS = [Note, Document, Report, Referral, Budget, Debt]


@pytest.fixture
def case(alice, bob):
    case = rich_case(alice)
    organisation = case.organisation
    factories.NoteFactory(case=case, author=alice, kind="fact")
    factories.NoteFactory(case=case, author=alice, kind="assessment")
    shared = factories.NoteFactory(case=case, author=alice, kind="assessment")
    shared.shared_with.add(bob, through_defaults={"organisation": organisation})
    fill_other_sections(case, alice)
    return case


def _share(case, by, to):
    today = timezone.localdate()
    CaseShare.objects.create(
        organisation=case.organisation,
        case=case,
        shared_with=to,
        shared_by=by,
        reason="Congé",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=5),
    )


def _break_glass(case, user):
    BreakGlassAccess.objects.create(
        organisation=case.organisation,
        case=case,
        user=user,
        reason="Appel urgent",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )


def _supervision(case, by, supervisor):
    today = timezone.localdate()
    SupervisionShare.objects.create(
        organisation=case.organisation,
        case=case,
        supervisor=supervisor,
        shared_by=by,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=5),
    )


def _rows(model, user, case):
    if model in (Budget, Debt):
        expected = model.objects.visible_to(user).filter(person_id=case.person_id)
    else:
        expected = model.objects.visible_to(user).filter(case_id=case.pk)
    return set(expected), set(model.objects.in_case_visible_to(user, case))


@pytest.mark.parametrize(
    "who, access, sees",
    [
        ("alice", None, True),
        ("bob", None, False),
        ("bob", "share", True),
        ("manager", None, False),
        ("manager", "break_glass", True),
        ("secretary", None, False),
        ("supervisor", "supervision", False),
        ("charlie", None, False),
    ],
)
def test_the_rows_of_a_case_are_the_same_both_ways(request, case, alice, who, access, sees):
    user = request.getfixturevalue(who)
    if access == "share":
        _share(case, alice, user)
    elif access == "break_glass":
        _break_glass(case, user)
    elif access == "supervision":
        _supervision(case, alice, user)
    for model in MODELS:
        expected, got = _rows(model, user, case)
        assert got == expected, model
        assert bool(got) == sees, model


def test_notes_keep_to_their_readers(case, alice, bob):
    _share(case, alice, bob)
    kinds = sorted(note.kind for note in Note.objects.in_case_visible_to(bob, case))
    assert kinds == ["assessment", "fact"]  # the assessment shared with bob, not the other
    assert Note.objects.in_case_visible_to(alice, case).count() == 3


@pytest.mark.parametrize("who", ["alice", "bob", "manager", "secretary", "supervisor", "charlie"])
def test_ones_own_tasks_and_appointments_are_the_same_both_ways(request, case, alice, who):
    from relais.cases.models import Appointment, Task

    user = request.getfixturevalue(who)
    # On alice's case, which only alice sees: given to each user in turn.
    factories.TaskFactory(case=case, assignee=user, organisation=case.organisation)
    factories.AppointmentFactory(
        case=case, person=case.person, worker=user, organisation=case.organisation
    )
    factories.TaskFactory(case=case, assignee=alice, organisation=case.organisation)
    own_tasks = set(Task.objects.visible_to(user).filter(assignee_id=user.pk))
    assert set(Task.objects.assigned_to_self(user)) == own_tasks
    own_appointments = set(Appointment.objects.visible_to(user).filter(worker_id=user.pk))
    assert set(Appointment.objects.with_self(user)) == own_appointments
    if who in ("alice", "bob", "manager"):
        assert own_tasks and own_appointments
