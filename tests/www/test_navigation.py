"""The main menu: each role sees the entries it may use, the current one marked."""

import re

import pytest
from django.urls import reverse

from relais.www import navigation as module

MENU = re.compile(r'<nav aria-label="Navigation principale".*?</nav>', re.S)

SEEN = {
    "social_worker": [
        "Accueil",
        "Personnes",
        "Agenda",
        "Orientations",
        "Partenaires",
        "Actions collectives",
        "Statistiques",
    ],
    "secretary": ["Accueil", "Personnes", "Agenda", "Partenaires", "Actions collectives"],
    "manager": [
        "Accueil",
        "Personnes",
        "Agenda",
        "Orientations",
        "Partenaires",
        "Actions collectives",
        "Statistiques",
    ],
    "admin": ["Accueil", "Partenaires"],
}


def _menu(page: str) -> list[tuple[str, bool]]:
    html = MENU.search(page).group(0)
    return [
        (label, "aria-current" in attributes)
        for attributes, label in re.findall(r"<a([^>]*)>([^<]+)</a>", html)
    ]


@pytest.mark.parametrize("role", SEEN)
def test_each_role_sees_the_entries_it_may_use(client, organisation, role):
    from tests import factories

    user = factories.UserFactory(organisation=organisation, role=role)
    client.force_login(user)
    page = client.get(reverse("home")).text
    assert [label for label, _ in _menu(page)] == SEEN[role]


def test_the_current_section_is_marked(client, alice):
    client.force_login(alice)
    menu = _menu(client.get(reverse("people:search") + "?q=dupont").text)
    assert ("Personnes", True) in menu
    assert [label for label, current in menu if current] == ["Personnes"]


@pytest.mark.parametrize(
    ("route", "label"),
    [
        ("people:search", "Personnes"),
        ("cases:agenda", "Agenda"),
        ("partners:referrals", "Orientations"),
        ("partners:directory", "Partenaires"),
        ("groups:list", "Actions collectives"),
        ("stats:index", "Statistiques"),
    ],
)
def test_each_entry_is_marked_on_its_own_page_and_only_it(client, alice, route, label):
    client.force_login(alice)
    response = client.get(reverse(route))
    assert response.status_code == 200
    assert [entry for entry, current in _menu(response.text) if current] == [label]


def test_a_page_below_an_entry_marks_it(client, alice, organisation):
    from tests import factories

    partner = factories.PartnerFactory(organisation=organisation)
    client.force_login(alice)
    page = client.get(reverse("partners:partner_detail", args=[partner.public_id])).text
    assert [entry for entry, current in _menu(page) if current] == ["Partenaires"]


def test_no_entry_address_begins_another():
    module._entries_for.cache_clear()
    urls = [url for role in SEEN for _, url in module._entries_for(role, "/")]
    module._entries_for.cache_clear()
    assert not [(a, b) for a in urls for b in urls if a != b and b.startswith(a)]


def test_an_entry_whose_page_does_not_exist_is_left_out():
    module._entries_for.cache_clear()
    try:
        entries = module.navigation(role="admin", path="/")
    finally:
        module._entries_for.cache_clear()
    # The administration screens are not routed on this branch: no dead link.
    assert [entry["label"] for entry in entries] == ["Partenaires"]
