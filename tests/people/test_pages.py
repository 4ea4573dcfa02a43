import datetime
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AccessEvent
from relais.people.models import HouseholdMember, Person
from relais.people.selectors import parse_search, person_search
from relais.policy import rules
from tests import factories


@pytest.mark.parametrize(
    "typed",
    ["helene", "HÉLÈNE dupont", "dupont", "lefevre", "Lefèvre hel", "14/03/1980", "garonne"],
)
def test_search_finds_helene_however_she_is_typed(client, alice, file, typed):
    client.force_login(alice)
    response = client.get(reverse("people:search"), {"q": typed})
    assert "Hélène DUPONT" in response.text, typed


def test_search_does_not_match_the_middle_of_a_word_nor_another_birth_date(alice, file):
    assert not list(person_search(user=alice, text="pont"))
    assert not list(person_search(user=alice, text="helene 15/03/1980"))


def test_search_results_come_in_one_query(alice, file, organisation, django_assert_num_queries):
    for _ in range(5):
        factories.PersonFactory(organisation=organisation, first_name="Hélène")
    rules.membership(alice)  # fetched once per request, before any search
    # The employers' names, the words of the names the typed word may stand for (the
    # vocabulary), the name candidates from the word index, then the results.
    with django_assert_num_queries(4):
        results = list(person_search(user=alice, text="helene"))
    assert len(results) == 6


def test_parse_search_understands_a_french_date():
    query = parse_search("Dupont 4/3/1980")
    assert query.tokens == ["dupont"]
    assert query.birth_date == datetime.date(1980, 3, 4)
    assert parse_search("31/02/1980").birth_date is None


@pytest.mark.parametrize("page", ["people:search", "cases:request_create"])
def test_searching_is_logged_without_the_words_typed(client, secretary, file, page):
    """Both pages that list persons found by name (the search, and the intake's first step)
    leave the same trace: who searched, when, how many persons the page showed."""
    client.force_login(secretary)
    response = client.get(reverse(page), {"q": "dupont"})
    assert "DUPONT" in response.text
    event = AccessEvent.objects.get(action="search")
    assert (event.user, event.object_type, event.reason) == (
        secretary,
        "people.person",
        "1 résultat(s)",
    )
    assert "dupont" not in event.reason.lower()


def test_new_person_shows_possible_duplicates_first(client, secretary, file):
    client.force_login(secretary)
    data = {"last_name": "Dupond", "first_name": "Helene", "birth_date": "1980-03-14"}
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert "Cette personne est peut-être déjà connue" in unescape(response.text)
    assert "Hélène DUPONT" in response.text
    assert Person.objects.count() == 1
    response = client.post(reverse("people:create"), {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_a_new_person_needs_only_a_name(client, secretary):
    client.force_login(secretary)
    response = client.post(reverse("people:create"), {"last_name": "Nguyen"})
    person = Person.objects.get()
    assert response["Location"] == reverse("people:detail", args=[person.public_id])


def test_a_birth_date_in_the_future_gets_a_french_message(client, secretary):
    client.force_login(secretary)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("people:create"), {"last_name": "Martin", "birth_date": tomorrow.isoformat()}
    )
    assert "La date de naissance ne peut pas être dans le futur." in response.text
    assert 'value="Martin"' in response.text
    assert not Person.objects.exists()


def test_creating_a_person_from_intake_comes_back_to_intake(client, secretary):
    client.force_login(secretary)
    intake = reverse("cases:request_create")
    response = client.post(reverse("people:create"), {"last_name": "Roux", "suite": intake})
    person = Person.objects.get()
    assert response["Location"] == f"{intake}?personne={person.public_id}"


def test_an_outside_next_url_is_ignored(client, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("people:create"), {"last_name": "Roux", "suite": "https://evil.example/"}
    )
    assert "evil" not in response["Location"]


def test_the_person_page_is_logged(client, alice, file):
    client.force_login(alice)
    page = client.get(reverse("people:detail", args=[file.person.public_id]))
    assert "Situation" in page.text
    assert AccessEvent.objects.filter(
        action="view", object_type="people.person", person_id=file.person.pk
    ).exists()


def test_identity_is_edited_by_the_secretary(client, secretary, file):
    client.force_login(secretary)
    url = reverse("people:edit_identity", args=[file.person.public_id])
    data = {"last_name": "Dupont", "first_name": "Hélène", "phone": "05 56 00 00 00"}
    assert client.post(url, data).status_code == 302
    file.person.refresh_from_db()
    assert file.person.phone == "05 56 00 00 00"


def test_situation_and_household(client, alice, file):
    client.force_login(alice)
    p = file.person.public_id
    response = client.post(
        reverse("people:edit_situation", args=[p]),
        {
            "work_situation": "sick_leave",
            "work_situation_since": "2026-01-05",
            "accommodation": "social_tenant",
            "income_sources": ["salary", "daily_allowance"],
        },
    )
    assert response.status_code == 302
    file.person.refresh_from_db()
    assert file.person.income_sources == ["salary", "daily_allowance"]
    client.post(
        reverse("people:member_add", args=[p]),
        {
            "relation": "child",
            "first_name": "Léo",
            "birth_date": "2015-06-01",
            "is_dependent": "on",
        },
    )
    member = HouseholdMember.objects.get()
    page = client.get(reverse("cases:detail", args=[file.case.public_id])).text
    assert "Léo" in page and "Indemnités journalières" in page
    client.post(reverse("people:member_remove", args=[p, member.public_id]))
    assert not HouseholdMember.objects.exists()


def test_a_household_member_of_another_household_is_not_found(client, alice, file, organisation):
    other = factories.HouseholdMemberFactory(household__organisation=organisation)
    client.force_login(alice)
    url = reverse("people:member_edit", args=[file.person.public_id, other.public_id])
    assert client.get(url).status_code == 404


def test_search_tolerates_typos_but_not_other_names(alice, file, organisation):
    factories.PersonFactory(organisation=organisation, last_name="Martin", first_name="Paul")
    assert [p.last_name for p in person_search(user=alice, text="Dupnot")] == ["Dupont"]
    assert [p.last_name for p in person_search(user=alice, text="helen dupon")] == ["Dupont"]
    assert [p.last_name for p in person_search(user=alice, text="martin")] == ["Martin"]


def test_an_employer_and_a_name_together(alice, file, organisation):
    factories.PersonFactory(organisation=organisation, last_name="Dupont", first_name="Marc")
    found = person_search(user=alice, text="dupont garonne")
    assert [p.first_name for p in found] == ["Hélène"]


def test_a_word_of_an_employer_name_finds_its_staff_and_the_names_it_starts(
    alice, file, organisation, django_assert_max_num_queries
):
    """ "garonne" names the employer (Transports Garonne): its staff, and the persons one of
    whose name words starts with it, through the name index (not a scan of every name)."""
    factories.PersonFactory(organisation=organisation, last_name="Garonnel", first_name="Léa")
    factories.PersonFactory(organisation=organisation, last_name="Bruel-Garonnet", first_name="Noé")
    factories.PersonFactory(organisation=organisation, last_name="Ogaronne", first_name="Luc")
    # The employers' names, the ids in name order, then the rows of those ids only.
    with django_assert_max_num_queries(3) as queries:
        found = {p.first_name for p in person_search(user=alice, text="garonne")}
    assert found == {"Hélène", "Léa", "Noé"}
    if connection.vendor == "sqlite":
        assert "MATCH" in queries.captured_queries[1]["sql"]


@pytest.mark.parametrize("last_name", ["李", "Łukasz-Ó", "!!!"])
def test_a_name_in_another_script_or_only_signs_is_recorded(client, secretary, last_name):
    client.force_login(secretary)
    response = client.post(reverse("people:create"), {"last_name": last_name})
    assert response.status_code == 302
    assert Person.objects.get().last_name == last_name


def test_a_name_in_another_script_is_found(alice, organisation):
    person = factories.PersonFactory(organisation=organisation, last_name="王", first_name="芳")
    factories.CaseFactory(person=person, referent=alice)
    assert person in person_search(user=alice, text="王")


def test_the_results_mark_the_persons_whose_case_the_user_reads(
    client, alice, bob, secretary, file
):
    """ "mon dossier": alice is the referent of Hélène's case; bob (same service, no share)
    and the secretary (no access to cases) see her without the mark."""
    expected = {alice: 1, bob: 0, secretary: 0}
    for user, marks in expected.items():
        client.force_login(user)
        response = client.get(reverse("people:search"), {"q": "dupont"})
        assert response.status_code == 200
        assert "Hélène" in response.content.decode()
        assert response.content.decode().count("mon dossier") == marks, user
    factories.CaseShareFactory(case=file.case, shared_with=bob, shared_by=alice)
    client.force_login(bob)
    assert "mon dossier" in client.get(reverse("people:search"), {"q": "dupont"}).content.decode()
