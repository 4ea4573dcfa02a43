"""The queries an endpoint makes do not grow with the data.

Each request: token, membership, rate counter (3), then the endpoint's own queries, then
the access log: one chained append for all the rows returned (lock on the chain head, one
insert, update = 3), whatever their number.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.world import casework_world

AUDIT_PER_PAGE = 3
# path: queries besides the access log (authentication 3 + the endpoint's own)
LISTS = {
    "/persons": 6,
    "/requests": 7,
    "/cases": 8,
    "/interventions": 7,
    "/notes": 7,
    "/plans": 8,
    "/tasks": 6,
    "/appointments": 6,
    "/aids": 6,
    "/employers": 4,
    "/concerns": 4,
    "/me": 3,
}


def _count(api, secret, path):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(secret, path, limit=100)
    assert response.status_code == 200
    return len(queries), len(response.json().get("items", []))


@pytest.mark.parametrize("path", list(LISTS))
def test_list_queries_do_not_grow_with_the_data(api, organisation, alice, path):
    secret = api.secret_for(alice)
    casework_world(organisation, alice)
    api.get(secret, "/cases")  # the access log's chain head exists from now on
    logged = 0 if path in {"/employers", "/concerns", "/me"} else AUDIT_PER_PAGE

    queries, rows = _count(api, secret, path)
    assert queries == LISTS[path] + (logged if rows else 0)

    for _ in range(4):
        casework_world(organisation, alice)
    more_queries, more_rows = _count(api, secret, path)
    assert more_queries == LISTS[path] + (logged if more_rows else 0)
    if path != "/me":
        assert more_rows > rows or path == "/concerns"


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/persons/{w.person.public_id}", 6),
        ("/cases/{w.case.public_id}", 8),
        ("/notes/{w.fact_note.public_id}", 7),
        ("/plans/{w.plan.public_id}", 8),
    ],
)
def test_detail_queries_are_pinned(api, organisation, alice, path, expected):
    secret = api.secret_for(alice)
    world = casework_world(organisation, alice)
    api.get(secret, "/cases")
    with CaptureQueriesContext(connection) as queries:
        assert api.get(secret, path.format(w=world)).status_code == 200
    assert len(queries) == expected + AUDIT_PER_PAGE
