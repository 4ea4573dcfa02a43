import pytest

from relais.cases.reference import reference_seed
from tests.cases.fixtures import file  # noqa: F401  (the shared social file)


@pytest.fixture(autouse=True)
def reference_lists(organisation):
    reference_seed(organisation)
