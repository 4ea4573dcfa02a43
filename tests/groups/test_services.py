"""The write path of collective actions: consistency, transitions, audit rows."""

import datetime

import pytest
from django.utils import timezone

from relais.audit.models import ChangeEvent
from relais.cases.errors import ActionRefused
from relais.groups import services
from relais.groups.models import GroupActionFacilitator, Participation
from tests import factories
from tests.groups.factories import GroupActionFactory


def _plan(by, **overrides):
    values = {
        "title": "Atelier logement",
        "kind": "workshop",
        "starts_at": timezone.now() + datetime.timedelta(days=10),
        "duration_minutes": 120,
        "facilitators": [by],
    }
    return services.group_action_create(by=by, **{**values, **overrides})


def test_planning_an_action_records_it_with_its_facilitators_and_partners(
    organisation, alice, bob, concerns
):
    partner = factories.PartnerFactory(organisation=organisation)
    action = _plan(alice, facilitators=[alice, bob], partners=[partner], theme=concerns["logement"])
    assert action.status == "planned" and action.headcount is None
    assert set(
        GroupActionFacilitator.objects.filter(group_action=action).values_list("user", flat=True)
    ) == {alice.pk, bob.pk}
    event = ChangeEvent.objects.get(verb="group_action_create", object_id=str(action.public_id))
    assert sorted(event.after["facilitators"]) == sorted([alice.pk, bob.pk])
    assert event.after["partners"] == [partner.pk]
    assert event.person_id is None  # an action names nobody


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"duration_minutes": 0}, "au moins une minute"),
        ({"duration_minutes": -30}, "au moins une minute"),
        ({"starts_at": timezone.now().replace(year=1999)}, "l'année semble erronée"),
        ({"starts_at": timezone.now() + datetime.timedelta(days=5 * 365)}, "l'année semble"),
        ({"facilitators": []}, "au moins un·e animateur·rice"),
    ],
)
def test_impossible_values_are_refused_in_french(alice, concerns, overrides, message):
    with pytest.raises(ActionRefused, match=message):
        _plan(alice, **overrides)


def test_the_theme_is_a_first_level_concern_of_the_service(alice, concerns, other_organisation):
    with pytest.raises(ActionRefused, match="premier niveau"):
        _plan(alice, theme=concerns["logement"].children.first())
    foreign = factories.ConcernFactory(organisation=other_organisation)
    with pytest.raises(ActionRefused, match="n'appartient pas à votre service"):
        _plan(alice, theme=foreign)


def test_facilitators_are_workers_of_the_service(alice, secretary, charlie):
    with pytest.raises(ActionRefused, match="professionnel·les du service"):
        _plan(alice, facilitators=[alice, charlie])
    with pytest.raises(ActionRefused, match="professionnel·les du service"):
        _plan(alice, facilitators=[secretary])


def test_the_establishment_belongs_to_the_chosen_company(alice, organisation):
    employer = factories.EmployerFactory(organisation=organisation)
    elsewhere = factories.EstablishmentFactory(
        employer=factories.EmployerFactory(organisation=organisation)
    )
    with pytest.raises(ActionRefused, match="n'appartient pas à l'entreprise"):
        _plan(alice, employer=employer, establishment=elsewhere)


def test_marking_held_records_the_headcount(organisation, alice):
    action = GroupActionFactory(organisation=organisation, facilitator=alice)
    services.group_action_mark_held(
        by=alice, group_action=action, headcount=14, summary="Échanges."
    )
    action.refresh_from_db()
    assert (action.status, action.headcount, action.summary) == ("held", 14, "Échanges.")
    event = ChangeEvent.objects.get(verb="group_action_mark_held")
    assert event.before["status"] == "planned" and event.after["status"] == "held"
    assert event.after["headcount"] == 14


def test_a_held_action_needs_a_headcount_that_is_not_negative_nor_in_the_future(
    organisation, alice
):
    action = GroupActionFactory(organisation=organisation, facilitator=alice)
    with pytest.raises(ActionRefused, match="ne peut pas être négatif"):
        services.group_action_mark_held(by=alice, group_action=action, headcount=-1)
    future = GroupActionFactory(
        organisation=organisation, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(ActionRefused, match="à venir"):
        services.group_action_mark_held(by=alice, group_action=future, headcount=3)
    assert not ChangeEvent.objects.filter(verb="group_action_mark_held").exists()


def test_only_a_planned_action_is_held_or_cancelled(organisation, alice):
    action = GroupActionFactory(organisation=organisation, facilitator=alice)
    services.group_action_cancel(by=alice, group_action=action)
    assert action.status == "cancelled"
    with pytest.raises(ActionRefused, match="Seule une action prévue"):
        services.group_action_mark_held(by=alice, group_action=action, headcount=3)
    with pytest.raises(ActionRefused, match="Seule une action prévue"):
        services.group_action_cancel(by=alice, group_action=action)
    with pytest.raises(ActionRefused, match="annulée"):
        services.group_action_update(
            by=alice,
            group_action=action,
            title="x",
            kind="other",
            starts_at=action.starts_at,
            duration_minutes=10,
            facilitators=[alice],
        )


def test_updating_a_held_action_keeps_a_valid_headcount(organisation, alice, bob):
    action = GroupActionFactory(organisation=organisation, facilitator=alice)
    services.group_action_mark_held(by=alice, group_action=action, headcount=10)
    values = {
        "title": "Marche du midi",
        "kind": "outing",
        "starts_at": action.starts_at,
        "duration_minutes": 60,
        "facilitators": [alice, bob],
    }
    with pytest.raises(ActionRefused, match="nombre de participant"):
        services.group_action_update(by=alice, group_action=action, headcount=None, **values)
    services.group_action_update(by=alice, group_action=action, headcount=12, **values)
    action.refresh_from_db()
    assert (action.title, action.headcount) == ("Marche du midi", 12)
    event = ChangeEvent.objects.get(verb="group_action_update")
    assert event.before["headcount"] == 10 and event.after["headcount"] == 12
    assert sorted(event.after["facilitators"]) == sorted([alice.pk, bob.pk])


def test_linking_a_person_is_recorded_against_that_person(meeting, alice, organisation):
    Participation.objects.all().delete()
    participation = services.participation_add(
        by=alice, group_action=meeting.group_action, person=meeting.person, attended=False
    )
    event = ChangeEvent.objects.get(verb="participation_add")
    assert event.person_id == meeting.person.pk
    with pytest.raises(ActionRefused, match="déjà liée"):
        services.participation_add(
            by=alice, group_action=meeting.group_action, person=meeting.person
        )
    services.participation_set_attended(by=alice, participation=participation, attended=True)
    assert ChangeEvent.objects.get(verb="participation_set_attended").after == {"attended": True}
    services.participation_remove(by=alice, participation=participation)
    assert not Participation.objects.exists()
    removal = ChangeEvent.objects.get(verb="participation_remove")
    assert removal.person_id == meeting.person.pk and removal.after is None


def test_nobody_is_linked_to_a_cancelled_action_or_across_services(
    meeting, alice, other_organisation
):
    foreign = factories.PersonFactory(organisation=other_organisation)
    with pytest.raises(ActionRefused, match="n'appartient pas"):
        services.participation_add(by=alice, group_action=meeting.group_action, person=foreign)
    Participation.objects.all().delete()
    services.group_action_cancel(by=alice, group_action=meeting.group_action)
    with pytest.raises(ActionRefused, match="annulée"):
        services.participation_add(
            by=alice, group_action=meeting.group_action, person=meeting.person
        )
