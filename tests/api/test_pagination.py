import datetime

from django.utils import timezone

from relais.api.pagination import MAX_LIMIT
from tests import factories


def _walk(api, user, path, **params):
    seen, cursor = [], None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        response = api.get(user, path, **query)
        assert response.status_code == 200, response.content
        page = response.json()
        seen.append([item["id"] for item in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def _persons(organisation, names):
    return [
        factories.PersonFactory(organisation=organisation, last_name=name, first_name="")
        for name in names
    ]


def test_pages_follow_the_sort_and_end(api, organisation, alice):
    _persons(organisation, ["Bernard", "Abel", "Durand", "Caron", "Evrard"])
    pages = _walk(api, alice, "/persons", limit=2, sort="last_name")
    assert [len(page) for page in pages] == [2, 2, 1]
    names = [
        api.get(alice, f"/persons/{pid}").json()["last_name"] for page in pages for pid in page
    ]
    assert names == ["Abel", "Bernard", "Caron", "Durand", "Evrard"]
    descending = _walk(api, alice, "/persons", limit=3, sort="-last_name")
    assert [pid for page in descending for pid in page] == [
        pid for page in reversed(pages) for pid in reversed(page)
    ]


def test_pages_are_stable_when_rows_are_added_meanwhile(api, organisation, alice):
    _persons(organisation, ["Bernard", "Durand", "Durand", "Garnier", "Hubert"])
    first = api.get(alice, "/persons", limit=2).json()
    # Someone records new persons while the client walks the list: before and after it.
    _persons(organisation, ["Aubert", "Carpentier", "Zola"])
    second = api.get(alice, "/persons", limit=2, cursor=first["next_cursor"]).json()
    third = api.get(alice, "/persons", limit=10, cursor=second["next_cursor"]).json()
    walked = [p["last_name"] for p in first["items"] + second["items"] + third["items"]]
    # Nothing twice, nothing already passed shifts the pages; new rows after the
    # cursor appear in their place.
    assert walked == ["Bernard", "Durand", "Durand", "Garnier", "Hubert", "Zola"]
    ids = [p["id"] for p in first["items"] + second["items"] + third["items"]]
    assert len(ids) == len(set(ids))


def test_equal_sort_keys_never_lose_or_repeat_a_row(api, organisation, alice):
    _persons(organisation, ["Martin"] * 7)
    pages = _walk(api, alice, "/persons", limit=3)
    ids = [pid for page in pages for pid in page]
    assert len(ids) == len(set(ids)) == 7


def test_datetime_keys_paginate_across_equal_instants(api, organisation, alice):
    case = factories.CaseFactory(
        organisation=organisation,
        person=factories.PersonFactory(organisation=organisation),
        referent=alice,
    )
    instant = timezone.now().replace(microsecond=123456)
    for minutes in (0, 0, 0, 5, 10):
        factories.InterventionFactory(
            organisation=organisation,
            case=case,
            author=alice,
            occurred_at=instant - datetime.timedelta(minutes=minutes),
        )
    pages = _walk(api, alice, "/interventions", limit=2)
    ids = [pid for page in pages for pid in page]
    assert len(ids) == len(set(ids)) == 5


def test_a_bad_or_foreign_cursor_is_refused(api, organisation, alice):
    _persons(organisation, ["A", "B", "C"])
    cursor = api.get(alice, "/persons", limit=1, sort="last_name").json()["next_cursor"]
    for bad in ["n'importe quoi", "e30", cursor[:-3]]:
        response = api.get(alice, "/persons", cursor=bad)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_cursor"
        assert "cursor" in response.json()["fields"]
    # A cursor is tied to the sort it was made for.
    response = api.get(alice, "/persons", cursor=cursor, sort="-created_at")
    assert response.status_code == 400


def test_the_page_size_is_bounded(api, alice):
    assert api.get(alice, "/persons", limit=MAX_LIMIT).status_code == 200
    response = api.get(alice, "/persons", limit=MAX_LIMIT + 1)
    assert response.status_code == 422
    assert "limit" in response.json()["fields"]


def test_filters_narrow_the_list(api, organisation, alice):
    employer = factories.EmployerFactory(organisation=organisation)
    _persons(organisation, ["Lefèvre", "Lefebvre", "Moreau"])
    factories.PersonFactory(organisation=organisation, last_name="Roux", employer=employer)
    names = {p["last_name"] for p in api.get(alice, "/persons", q="lefevre").json()["items"]}
    assert names == {"Lefèvre"}
    by_employer = api.get(alice, "/persons", employer=str(employer.public_id)).json()["items"]
    assert [p["last_name"] for p in by_employer] == ["Roux"]
