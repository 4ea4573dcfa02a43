import datetime

import pytest

from tests import factories

JUNE_2026 = datetime.date(2026, 6, 1)


@pytest.fixture
def household(organisation):
    household = factories.HouseholdFactory(organisation=organisation)
    factories.HouseholdMemberFactory(
        household=household,
        first_name="Marc",
        relation="spouse",
        birth_date=datetime.date(1982, 1, 10),
    )
    factories.HouseholdMemberFactory(
        household=household,
        first_name="Léa",
        relation="child",
        birth_date=datetime.date(2010, 2, 1),  # 16 in June 2026
        is_dependent=True,
    )
    factories.HouseholdMemberFactory(
        household=household,
        first_name="Tom",
        relation="child",
        birth_date=datetime.date(2016, 3, 1),  # 10 in June 2026
        is_dependent=True,
    )
    return household


@pytest.fixture
def person(organisation, household):
    return factories.PersonFactory(
        organisation=organisation,
        first_name="Nadia",
        last_name="Benali",
        household=household,
        birth_date=datetime.date(1984, 5, 2),
    )


@pytest.fixture
def case(person, alice):
    return factories.CaseFactory(person=person, referent=alice)


@pytest.fixture
def budget(case, alice):
    """June 2026: 2400 € in (200 of housing benefit), 1590 € out (1090 fixed, 500 food)."""
    budget = factories.BudgetFactory(person=case.person, month=JUNE_2026, created_by=alice)
    line = factories.BudgetLineFactory
    line(budget=budget, category="salary", amount=1800, holder="person")
    line(budget=budget, category="family_benefits", amount=400, holder="household")
    line(budget=budget, category="housing_benefit", amount=200, holder="household")
    line(budget=budget, charge=True, category="rent", amount=750)
    line(budget=budget, charge=True, category="energy", amount=120)
    line(budget=budget, charge=True, category="home_insurance", amount=30)
    line(budget=budget, charge=True, category="phone_internet", amount=40)
    line(budget=budget, charge=True, category="credit", amount=150)
    line(budget=budget, charge=True, category="food", amount=500)
    return budget


def month_url(case, month=JUNE_2026) -> str:
    return f"/dossiers/{case.public_id}/budget/{month:%Y-%m}/"
