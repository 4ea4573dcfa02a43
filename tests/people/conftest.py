from tests.cases.fixtures import file  # noqa: F401  (the shared social file)
