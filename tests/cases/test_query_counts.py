"""The key pages make a fixed number of SQL queries, whatever the size of the file.

The counts include the session (read; it is written at most once a minute, not within
these tests), the user with their membership (one query), and the access-log row the page
writes.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.cases import services as s
from tests import factories

# The case page: 25 of its own (one says which of the other apps' sections have rows:
# relais.cases.contents), plus secrecy (who consulted the file). The sections of other apps
# have no row here, so they make no query; with a row in every one of them the page makes
# CASE_PAGE_FULL_QUERIES (referrals 1, budget 2, reports 1, documents 2: with their tags).
CASE_PAGE_QUERIES = 25
CASE_PAGE_FULL_QUERIES = 31
# The home page: 10 of its own, plus the break-glass slot (1).
HOME_QUERIES = 10
CASELOAD_QUERIES = 6
AGENDA_QUERIES = 4
TASKS_QUERIES = 3
REQUESTS_QUERIES = 4
# The person page: 16 of its own, plus the other apps' links (documents, secrecy: 2).
PERSON_PAGE_QUERIES = 17


def grow(organisation, alice, bob, secretary, file, n: int) -> None:
    """n more of everything: interventions with notes, tasks, appointments, aid, cases."""
    now = timezone.now()
    for i in range(n):
        s.intervention_record(
            by=alice,
            case=file.case,
            kind="phone",
            occurred_at=now - datetime.timedelta(hours=i + 1),
            note_body=f"Note {i}",
            note_kind="assessment" if i % 2 else "fact",
            note_shared_with=[bob] if i % 2 else [],
        )
        task = s.task_create(
            by=alice, case=file.case, assignee=alice, title=f"Tâche {i}", due_on=now.date()
        )
        if i % 2:
            s.task_complete(by=alice, task=task)
        s.aid_request(by=alice, case=file.case, kind="loan", funder="CSE", amount_requested=10)
        person = factories.PersonFactory(organisation=organisation)
        other = s.case_open(by=alice, person=person)
        s.task_create(
            by=alice,
            case=other,
            assignee=alice,
            title="En retard",
            due_on=now.date() - datetime.timedelta(days=2),
        )
        s.appointment_book(
            by=secretary,
            worker=alice,
            case=other,
            starts_at=now + datetime.timedelta(minutes=10 + i),
            kind="office",
        )
        s.request_record(by=secretary, person=person, origin="person", channel="phone")


PAGES = [
    ("case page", lambda f: reverse("cases:detail", args=[f.case.public_id]), CASE_PAGE_QUERIES),
    ("home page", lambda f: reverse("home"), HOME_QUERIES),
    ("caseload", lambda f: reverse("cases:caseload"), CASELOAD_QUERIES),
    ("agenda", lambda f: reverse("cases:agenda") + "?vue=semaine", AGENDA_QUERIES),
    ("tasks", lambda f: reverse("cases:tasks"), TASKS_QUERIES),
    ("requests", lambda f: reverse("cases:requests"), REQUESTS_QUERIES),
    (
        "person page",
        lambda f: reverse("people:detail", args=[f.person.public_id]),
        PERSON_PAGE_QUERIES,
    ),
]


@pytest.mark.parametrize("name, url, expected", PAGES, ids=[page[0] for page in PAGES])
def test_pages_make_a_pinned_number_of_queries_that_does_not_grow(
    client,
    django_assert_num_queries,
    organisation,
    alice,
    bob,
    secretary,
    file,
    name,
    url,
    expected,
):
    client.force_login(alice)
    client.get(url(file))  # warm the per-process caches (content types, data keys)
    with django_assert_num_queries(expected):
        assert client.get(url(file)).status_code == 200
    grow(organisation, alice, bob, secretary, file, 12)
    with django_assert_num_queries(expected):
        response = client.get(url(file))
    assert response.status_code == 200


def test_the_home_page_of_the_secretary_does_not_grow(
    client, django_assert_num_queries, organisation, alice, bob, secretary, file
):
    client.force_login(secretary)
    client.get(reverse("home"))
    with django_assert_num_queries(4) as before:
        client.get(reverse("home"))
    grow(organisation, alice, bob, secretary, file, 8)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(reverse("home"))


def test_the_whole_history_also_has_a_fixed_number_of_queries(
    client, django_assert_num_queries, organisation, alice, bob, secretary, file
):
    grow(organisation, alice, bob, secretary, file, 30)
    client.force_login(alice)
    url = reverse("cases:detail", args=[file.case.public_id]) + "?historique=complet"
    client.get(url)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        page = client.get(url).text
    assert "Note 29" in page


def test_the_case_page_with_a_row_in_every_section_of_the_other_apps(
    client, django_assert_num_queries, organisation, alice, bob, secretary, file
):
    from tests.case_sections import fill_other_sections

    case = file.case
    fill_other_sections(case, alice, report_title="Rapport au juge", document_title="Facture EDF")
    client.force_login(alice)
    url = reverse("cases:detail", args=[case.public_id])
    client.get(url)
    with django_assert_num_queries(CASE_PAGE_FULL_QUERIES):
        page = client.get(url).text
    assert "Rapport au juge" in page and "Facture EDF" in page
    grow(organisation, alice, bob, secretary, file, 12)
    with django_assert_num_queries(CASE_PAGE_FULL_QUERIES):
        client.get(url)
