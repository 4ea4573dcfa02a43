from faker import Faker

from relais.cases.reference import reference_seed
from relais.demo.groups import create_demo_group_actions
from relais.demo.organisation import create_demo_organisation
from relais.demo.partners import create_demo_partners
from relais.groups.models import GroupAction, GroupActionPartner, Participation
from relais.stats.selectors import Config, Period, Scope, statistics_tables
from tests import factories


def test_the_demo_has_a_few_realistic_collective_actions_once(db):
    demo = create_demo_organisation(Faker("fr_FR"))
    organisation = demo.organisation
    reference_seed(organisation)
    create_demo_partners(organisation)
    garonne = next(e for e in demo.employers if e.name == "Transports Garonne")
    person = factories.PersonFactory(organisation=organisation, employer=garonne)
    factories.CaseFactory(person=person, referent=demo.workers[0])

    assert create_demo_group_actions(organisation) == 5
    assert create_demo_group_actions(organisation) == 0
    actions = GroupAction.objects.filter(organisation=organisation)
    assert actions.count() == 5
    budget = actions.get(title__contains="budget")
    assert (budget.employer, budget.status, budget.theme.code) == (garonne, "held", "budget")
    assert GroupActionPartner.objects.filter(group_action=budget).exists()
    assert actions.filter(title__contains="handicap", status="held").exists()
    assert actions.filter(title__contains="Marche", kind="outing").exists()
    assert {"held", "planned", "cancelled"} == set(actions.values_list("status", flat=True))
    assert Participation.objects.get(group_action=budget).person == person
    start = min(a.starts_at for a in actions).date()
    scope = Scope(organisation.pk, Period(start, start.replace(year=start.year + 1)))
    table = statistics_tables(scope=scope, config=Config(), keys=["actions-collectives"])
    total = table["actions-collectives"].total.values
    assert (total["count"], total["attendees"]) == (3, 23 + 31 + 42)
