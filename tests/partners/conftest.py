import datetime

import pytest

from relais.partners import services
from relais.partners.models import Partner
from relais.people import enums as people_enums
from tests import factories


@pytest.fixture
def person(organisation):
    employer = factories.EmployerFactory(organisation=organisation, name="Transports Garonne")
    return factories.PersonFactory(
        organisation=organisation,
        civility=people_enums.Civility.MADAME,
        first_name="Nadia",
        last_name="Benali",
        birth_date=datetime.date(1984, 6, 2),
        phone="06 12 34 56 78",
        email="nadia.benali@example.org",
        address="4 rue des Faures",
        postal_code="33800",
        city="Bordeaux",
        family_situation=people_enums.FamilySituation.SINGLE_PARENT,
        accommodation=people_enums.Accommodation.PRIVATE_TENANT,
        income_sources=["salary", "family_benefits"],
        employer=employer,
        job_title="Agente de quai",
        legal_protection=people_enums.LegalProtection.NONE,
    )


@pytest.fixture
def case(person, alice):
    return factories.CaseFactory(person=person, referent=alice)


@pytest.fixture
def caf(organisation):
    services.national_partners_seed(organisation=organisation)
    return Partner.objects.get(organisation=organisation, national_code="caf")
