"""The caseload list: the worker's open cases, by name, fifty a page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.cases import services as s
from tests import factories


@pytest.fixture
def caseload(organisation, alice, bob):
    """53 open cases of alice (AAA00 … AAA52), one of hers closed, one of bob's."""
    cases = []
    for n in range(53):
        person = factories.PersonFactory(
            organisation=organisation, last_name=f"Aaa{n:02d}", first_name="Zoé"
        )
        cases.append(s.case_open(by=alice, person=person))
    closed_person = factories.PersonFactory(organisation=organisation, last_name="Aaclose")
    closed = s.case_open(by=alice, person=closed_person)
    s.case_close(by=alice, case=closed, reason="goals_reached")
    s.case_open(by=bob, person=factories.PersonFactory(organisation=organisation, last_name="Bbb"))
    return cases


def _names(page: str) -> list[str]:
    return [part.split("</a>")[0].split(">")[-1] for part in page.split('href="/dossiers/')[1:]]


def test_the_caseload_lists_her_open_cases_by_name_fifty_a_page(client, alice, caseload):
    client.force_login(alice)
    first = client.get(reverse("cases:caseload")).text
    assert "53 accompagnements en cours" in first
    assert [name for name in _names(first) if "AAA" in name] == [
        f"Zoé AAA{n:02d}" for n in range(50)
    ]
    assert "Page 1 sur 2" in first
    second = client.get(reverse("cases:caseload") + "?page=2").text
    assert [name for name in _names(second) if "AAA" in name] == [
        f"Zoé AAA{n:02d}" for n in range(50, 53)
    ]
    assert "AACLOSE" not in first + second and "BBB" not in first + second


@pytest.mark.parametrize("asked, shown", [("abc", "Page 1 sur 2"), ("99", "Page 2 sur 2")])
def test_an_unreadable_or_too_high_page_number_shows_a_page_that_exists(
    client, alice, caseload, asked, shown
):
    client.force_login(alice)
    assert shown in client.get(reverse("cases:caseload") + f"?page={asked}").text


def test_each_row_says_its_concerns_and_its_next_due_date(client, alice, caseload, concern):
    case = caseload[0]
    s.case_update(by=alice, case=case, referents=[alice], concerns=[concern("logement-maintien")])
    due = timezone.localdate() + datetime.timedelta(days=3)
    s.task_create(by=alice, case=case, assignee=alice, title="Rappeler", due_on=due)
    client.force_login(alice)
    page = client.get(reverse("cases:caseload")).text
    row = page.split(str(case.public_id))[1].split("</tr>")[0]
    assert "Maintien dans le logement, impayés de loyer" in row
    assert due.strftime("%d/%m/%Y") in row


def test_a_case_shared_with_her_is_listed_apart_with_its_referent(
    client, organisation, alice, bob, caseload
):
    person = factories.PersonFactory(organisation=organisation, last_name="Partagé")
    shared = s.case_open(by=bob, person=person)
    s.case_share(
        by=bob,
        case=shared,
        shared_with=alice,
        until=timezone.localdate() + datetime.timedelta(days=10),
        reason="Congés",
    )
    client.force_login(alice)
    page = client.get(reverse("cases:caseload")).text
    section = page.split("Dossiers partagés avec moi")[1]
    assert "PARTAGÉ" in section and "Bob Xirbal" in section
