import datetime

import pytest
from django.utils import timezone

from relais.audit.models import ChangeEvent
from relais.cases import services as case_services
from relais.cases.errors import ActionRefused
from relais.cases.models import Task
from relais.cases.reference import reference_seed
from relais.people import services as s
from tests import factories


def test_only_the_name_is_required(alice):
    person = s.person_create(by=alice, last_name="  Lefèvre ")
    assert person.last_name == "Lefèvre"
    assert person.search_name == "lefevre"
    assert ChangeEvent.objects.get(verb="person_create").person_id == person.pk


def test_a_birth_date_in_the_future_is_refused(alice):
    with pytest.raises(ActionRefused, match="futur"):
        s.person_create(
            by=alice,
            last_name="Martin",
            birth_date=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_an_employer_of_another_service_is_refused(alice, other_organisation):
    employer = factories.EmployerFactory(organisation=other_organisation)
    with pytest.raises(ActionRefused):
        s.person_create(by=alice, last_name="Martin", employer=employer)


def test_identity_and_situation_are_changed_apart(secretary, organisation):
    person = factories.PersonFactory(organisation=organisation)
    s.person_update_identity(by=secretary, person=person, phone="06 12 34 56 78")
    with pytest.raises(TypeError):
        s.person_update_identity(by=secretary, person=person, accommodation="owner")
    event = ChangeEvent.objects.get(verb="person_update_identity")
    assert event.after == {"phone": "06 12 34 56 78"}


def test_a_sick_leave_plans_the_pre_return_visit(alice, organisation):
    reference_seed(organisation)
    person = factories.PersonFactory(organisation=organisation)
    case = case_services.case_open(by=alice, person=person)
    since = timezone.localdate() - datetime.timedelta(days=10)
    s.person_update_situation(
        by=alice, person=person, work_situation="sick_leave", work_situation_since=since
    )
    task = Task.objects.get(case=case)
    assert task.due_on == since + datetime.timedelta(days=90)
    assert "pré-reprise" in task.title
    # Still on sick leave: no second task.
    s.person_update_situation(by=alice, person=person, work_situation="long_sick_leave")
    assert Task.objects.filter(case=case).count() == 1


def test_household_members_come_and_go(alice, organisation):
    person = factories.PersonFactory(organisation=organisation)
    child = s.household_member_add(
        by=alice, person=person, relation="child", first_name="Léa", is_dependent=True
    )
    person.refresh_from_db()
    assert child.household == person.household
    s.household_member_update(by=alice, member=child, birth_date=datetime.date(2016, 2, 1))
    s.household_member_remove(by=alice, member=child)
    assert not person.household.members.exists()
    assert list(ChangeEvent.objects.order_by("seq").values_list("verb", flat=True)) == [
        "household_create",
        "person_update_situation",
        "household_member_add",
        "household_member_update",
        "household_member_remove",
    ]


def test_a_household_member_is_not_born_tomorrow(alice, organisation):
    person = factories.PersonFactory(organisation=organisation)
    with pytest.raises(ActionRefused):
        s.household_member_add(
            by=alice,
            person=person,
            relation="child",
            birth_date=timezone.localdate() + datetime.timedelta(days=1),
        )
