import pytest

from relais.crypto import keyring
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    # Unwrapped keys are cached per process; test databases are rolled back between tests.
    keyring.forget_cached_keys()
    yield
    keyring.forget_cached_keys()


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()


@pytest.fixture
def other_organisation(db):
    return factories.OrganisationFactory(name="Autre service")


# Fixed users, as in healthchecks' tests: alice holds cases, bob is her colleague,
# charlie works for another organisation. Their names are fixed and found in no list of
# common surnames: a page shows its user's name, and tests check that a person's name
# (Dupont, Martin…) is absent from pages that must not show it.
@pytest.fixture
def alice(organisation):
    return factories.UserFactory(
        organisation=organisation,
        email="alice@example.org",
        first_name="Alice",
        last_name="Xaintrailles",
    )


@pytest.fixture
def bob(organisation):
    return factories.UserFactory(
        organisation=organisation, email="bob@example.org", first_name="Bob", last_name="Xirbal"
    )


@pytest.fixture
def charlie(other_organisation):
    return factories.UserFactory(
        organisation=other_organisation,
        email="charlie@example.org",
        first_name="Charlie",
        last_name="Xoulaire",
    )


@pytest.fixture
def secretary(organisation):
    return factories.UserFactory(organisation=organisation, role="secretary")


@pytest.fixture
def manager(organisation):
    return factories.UserFactory(organisation=organisation, role="manager")


@pytest.fixture
def admin_user(organisation):
    return factories.UserFactory(organisation=organisation, role="admin")


@pytest.fixture
def employer_viewer(organisation):
    employer = factories.EmployerFactory(organisation=organisation)
    return factories.UserFactory(
        organisation=organisation, role="employer_viewer", employer=employer
    )


@pytest.fixture
def supervisor(organisation):
    return factories.UserFactory(organisation=organisation, role="supervisor")
