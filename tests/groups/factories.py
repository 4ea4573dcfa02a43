"""Factories of collective actions: ``GroupActionFactory(facilitator=alice)``."""

import datetime

import factory
from django.utils import timezone

from relais.groups import enums
from relais.groups.models import GroupAction, GroupActionFacilitator, Participation
from tests import factories


class GroupActionFactory(factory.django.DjangoModelFactory):
    """A planned action last week; ``facilitator=user`` makes the user run it."""

    class Meta:
        model = GroupAction
        skip_postgeneration_save = True

    organisation = factory.SubFactory(factories.OrganisationFactory)
    title = factory.Sequence(lambda n: f"Réunion d'information n°{n}")
    kind = enums.GroupActionKind.INFORMATION_MEETING
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    duration_minutes = 90
    place = "Salle de réunion"
    created_by = factory.SubFactory(
        factories.UserFactory, organisation=factory.SelfAttribute("..organisation")
    )

    @factory.post_generation
    def facilitator(self, create, user, **kwargs):
        if create and user is not None:
            GroupActionFacilitator.objects.create(
                organisation=self.organisation, group_action=self, user=user
            )


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    group_action = factory.SubFactory(GroupActionFactory)
    organisation = factory.SelfAttribute("group_action.organisation")
    person = factory.SubFactory(
        factories.PersonFactory, organisation=factory.SelfAttribute("..organisation")
    )
    attended = True
    added_by = factory.SelfAttribute("group_action.created_by")
