"""The list of collective actions makes a fixed number of SQL queries, whatever the
number of actions, facilitators, themes and companies.

The count includes the session (read: 1; written at most once a minute), the user with their
membership (1), the filter form's lists (themes, companies: 2), the paginator's count, the
page of actions with their theme, company, establishment and team, and their facilitators
(one query for all of them).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from relais.groups.models import GroupActionFacilitator
from tests import factories
from tests.groups.factories import GroupActionFactory

LIST_QUERIES = 7


def grow(organisation, concerns, n: int) -> None:
    themes = [concerns["budget"], concerns["logement"], concerns["handicap"]]
    for i in range(n):
        employer = factories.EmployerFactory(organisation=organisation)
        action = GroupActionFactory(
            organisation=organisation,
            theme=themes[i % len(themes)],
            employer=employer,
            establishment=factories.EstablishmentFactory(employer=employer),
            team=factories.TeamFactory(organisation=organisation),
            starts_at=timezone.now() - datetime.timedelta(days=i),
            headcount=i,
            status="held",
            facilitator=factories.UserFactory(organisation=organisation),
        )
        GroupActionFacilitator.objects.create(
            organisation=organisation,
            group_action=action,
            user=factories.UserFactory(organisation=organisation),
        )


def test_the_list_makes_a_pinned_number_of_queries(
    client, django_assert_num_queries, organisation, alice, concerns
):
    grow(organisation, concerns, 2)
    client.force_login(alice)
    url = reverse("groups:list")
    client.get(url)  # warm the per-process caches
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200
    grow(organisation, concerns, 25)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count("/actions-collectives/") > 25
    filtered = url + f"?theme={concerns['budget'].public_id}&debut=2020-01-01"
    # A chosen theme is looked up once to validate the filter.
    with django_assert_num_queries(LIST_QUERIES + 1):
        assert client.get(filtered).status_code == 200
