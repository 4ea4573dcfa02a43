"""Who sees and changes collective actions and the participations linked to them."""

import datetime

import pytest
from django.utils import timezone

from relais.cases.models import BreakGlassAccess
from relais.groups.models import GroupAction, Participation
from relais.policy import rules
from tests import factories
from tests.groups.factories import GroupActionFactory


def test_the_staff_who_work_with_persons_see_the_organisations_actions(
    meeting, alice, bob, secretary, manager, employer_viewer, supervisor, admin_user, charlie
):
    action = meeting.group_action
    for user in (alice, bob, secretary, manager):
        assert rules.can_see_group_action(user, action)
        assert GroupAction.objects.visible_to(user).filter(pk=action.pk).exists()
    for user in (employer_viewer, supervisor, admin_user, charlie):
        assert not rules.can_see_group_action(user, action)
        assert not GroupAction.objects.visible_to(user).filter(pk=action.pk).exists()


def test_its_facilitators_and_the_managers_change_an_action(
    meeting, alice, bob, secretary, manager, charlie, organisation
):
    action = meeting.group_action
    other_manager = factories.UserFactory(
        organisation=factories.OrganisationFactory(), role="manager"
    )
    allowed = {alice, manager}
    for user in (alice, bob, secretary, manager, charlie, other_manager):
        assert rules.can_edit_group_action(user, action) == (user in allowed), user
        assert GroupAction.objects.editable_by(user).filter(pk=action.pk).exists() == (
            user in allowed
        ), user


def test_only_a_facilitator_who_is_a_social_worker_links_persons(meeting, alice, bob, manager):
    action = meeting.group_action
    assert rules.can_link_participants(alice, action)
    assert not rules.can_link_participants(bob, action)
    # The manager edits the action but holds no file: she links nobody.
    assert not rules.can_link_participants(manager, action)


def test_a_participation_is_seen_only_by_those_who_see_one_of_the_persons_cases(
    meeting, alice, bob, secretary, manager, employer_viewer, supervisor, admin_user, charlie
):
    participation = meeting.participation
    seen_by = {alice}
    for user in (
        alice,
        bob,
        secretary,
        manager,
        employer_viewer,
        supervisor,
        admin_user,
        charlie,
    ):
        assert rules.can_see_participation(user, participation) == (user in seen_by), user
        assert Participation.objects.visible_to(user).filter(pk=participation.pk).exists() == (
            user in seen_by
        ), user


def test_a_colleague_the_case_is_shared_with_sees_the_participation(meeting, alice, bob):
    factories.CaseShareFactory(case=meeting.case, shared_by=alice, shared_with=bob)
    assert rules.can_see_participation(bob, meeting.participation)


def test_a_manager_sees_it_only_through_a_break_glass_read(meeting, manager):
    assert not rules.can_see_participation(manager, meeting.participation)
    BreakGlassAccess.objects.create(
        organisation=meeting.case.organisation,
        case=meeting.case,
        user=manager,
        reason="Absence de la référente",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert rules.can_see_participation(manager, meeting.participation)


def test_linking_a_person_needs_to_write_in_one_of_their_cases(meeting, alice, bob, organisation):
    stranger = factories.PersonFactory(organisation=organisation)
    factories.CaseFactory(person=stranger, referent=bob)
    assert rules.can_link_person_to_group_action(alice, meeting.group_action, meeting.person)
    assert not rules.can_link_person_to_group_action(alice, meeting.group_action, stranger)


@pytest.mark.parametrize("attended", [True, False])
def test_editing_a_participation_is_for_a_facilitator_who_writes_in_the_file(
    meeting, alice, bob, attended
):
    meeting.participation.attended = attended
    assert rules.can_edit_participation(alice, meeting.participation, meeting.group_action)
    assert not rules.can_edit_participation(bob, meeting.participation, meeting.group_action)
    other_action = GroupActionFactory(organisation=meeting.case.organisation, facilitator=alice)
    assert not rules.can_edit_participation(alice, meeting.participation, other_action)
