"""Alice runs a budget information meeting and follows Hélène Dupont, who came to it;
bob, her colleague, follows nobody there; charlie works for another service."""

from dataclasses import dataclass

import pytest

from relais.cases.models import Concern
from relais.cases.reference import reference_seed
from tests import factories
from tests.groups.factories import GroupActionFactory, ParticipationFactory


@dataclass
class Meeting:
    group_action: object
    person: object
    case: object
    participation: object
    employer: object
    budget: object


@pytest.fixture
def concerns(organisation):
    reference_seed(organisation)
    return {concern.code: concern for concern in Concern.objects.filter(organisation=organisation)}


@pytest.fixture
def meeting(organisation, alice, concerns):
    employer = factories.EmployerFactory(organisation=organisation, name="Transports Garonne")
    person = factories.PersonFactory(
        organisation=organisation, last_name="Dupont", first_name="Hélène", employer=employer
    )
    case = factories.CaseFactory(person=person, referent=alice)
    group_action = GroupActionFactory(
        organisation=organisation,
        title="Réunion d'information sur le budget",
        theme=concerns["budget"],
        employer=employer,
        created_by=alice,
        facilitator=alice,
    )
    participation = ParticipationFactory(group_action=group_action, person=person, added_by=alice)
    return Meeting(group_action, person, case, participation, employer, concerns["budget"])
