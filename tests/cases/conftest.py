import pytest

from relais.cases.models import Concern
from relais.cases.reference import reference_seed


@pytest.fixture(autouse=True)
def reference_lists(organisation):
    """The shipped concerns and follow-up rules, as a new organisation gets them."""
    reference_seed(organisation)


@pytest.fixture
def concern(organisation):
    def by_code(code: str) -> Concern:
        return Concern.objects.get(organisation=organisation, code=code)

    return by_code


from tests.cases.fixtures import file  # noqa: E402, F401  (the shared social file)
