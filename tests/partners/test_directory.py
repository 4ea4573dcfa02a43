"""The partner directory: national bodies as data, local partners, search, access rules."""

import pytest
from django.urls import reverse

from relais.audit.models import ChangeEvent
from relais.partners import enums, services, vocabulary
from relais.partners.models import Contact, Partner, PartnerService
from relais.partners.reference import national_bodies
from tests import factories


def test_the_vocabulary_is_the_national_one():
    groups = vocabulary.thematique_groups()

    assert len(groups) == 16
    assert sum(len(g["values"]) for g in groups) == 69
    assert (
        vocabulary.thematique_labels()[
            "difficultes-financieres--situation-dendettement-surendettement"
        ]
        == "Situation d’endettement ou de surendettement"
    )


def test_the_national_bodies_are_described_with_known_codes():
    names = " ".join(body["name"] for body in national_bodies())
    for expected in (
        "CAF", "CPAM", "CARSAT", "MSA", "France Travail", "MDPH", "Action Logement",
        "Banque de France", "Bailleur social", "SIAO", "CCAS", "FSL",
        "Service de prévention et de santé au travail", "Emmaüs", "Secours Catholique",
        "Secours populaire", "Croix-Rouge", "APAJH", "UNAF", "Fondation de France",
        "Solidarité Laïque",
    ):  # fmt: skip
        assert expected in names
    for body in national_bodies():
        assert body["kind"] in enums.PartnerKind.values
        for service in body["services"]:
            assert set(service["thematiques"]) <= set(vocabulary.thematique_labels())
            assert set(service["publics"]) <= set(vocabulary.labels("publics"))


def test_each_organisation_gets_its_own_copy_of_the_national_bodies(
    organisation, other_organisation
):
    created = services.national_partners_seed(organisation=organisation)
    services.national_partners_seed(organisation=other_organisation)

    assert created == len(national_bodies())
    assert services.national_partners_seed(organisation=organisation) == 0
    mine = Partner.objects.get(organisation=organisation, national_code="caf")
    theirs = Partner.objects.get(organisation=other_organisation, national_code="caf")
    assert mine.pk != theirs.pk
    assert mine.kind == enums.PartnerKind.SOCIAL_SECURITY


def test_the_directory_is_filled_on_first_visit(client, alice, organisation):
    client.force_login(alice)

    response = client.get(reverse("partners:directory"))

    assert response.status_code == 200
    assert "CAF — Caisse d&#x27;allocations familiales" in response.content.decode()


@pytest.fixture
def directory(organisation):
    services.national_partners_seed(organisation=organisation)
    local = factories.PartnerFactory(
        organisation=organisation, name="Épicerie solidaire de Bègles", city="Bègles",
        postal_code="33130", kind=enums.PartnerKind.CHARITY,
    )  # fmt: skip
    factories.PartnerServiceFactory(
        partner=local, name="Épicerie", thematiques=["equipement-et-alimentation--alimentation"]
    )
    return local


def _names(response):
    return {p.name for p in response.context["page"].object_list}


def test_search_by_name_ignores_accents_and_case(client, alice, directory):
    client.force_login(alice)

    assert _names(client.get(reverse("partners:directory"), {"q": "epicerie"})) == {
        "Épicerie solidaire de Bègles"
    }


def test_search_by_thematique_value_and_group(client, alice, directory):
    client.force_login(alice)

    by_value = _names(
        client.get(
            reverse("partners:directory"),
            {"thematique": "difficultes-financieres--situation-dendettement-surendettement"},
        )
    )
    by_group = _names(
        client.get(reverse("partners:directory"), {"thematique": "equipement-et-alimentation"})
    )

    assert by_value == {"Banque de France", "Point conseil budget"}
    assert "Épicerie solidaire de Bègles" in by_group
    assert "Secours populaire français" in by_group
    assert "Banque de France" not in by_group


def test_search_by_commune_or_postal_code(client, alice, directory):
    client.force_login(alice)

    assert _names(client.get(reverse("partners:directory"), {"commune": "begles"})) == {
        directory.name
    }
    assert _names(client.get(reverse("partners:directory"), {"commune": "331"})) == {directory.name}


def test_the_directory_query_count_does_not_grow(
    client, alice, directory, django_assert_num_queries
):
    client.force_login(alice)
    client.get(reverse("partners:directory"))

    with django_assert_num_queries(6):
        client.get(reverse("partners:directory"))
    for n in range(10):
        factories.PartnerServiceFactory(
            partner=factories.PartnerFactory(organisation=directory.organisation, name=f"Asso {n}")
        )
    with django_assert_num_queries(6):
        client.get(reverse("partners:directory"))


def test_another_organisation_never_sees_local_partners(client, directory, charlie):
    client.force_login(charlie)

    listing = client.get(reverse("partners:directory"))
    detail = client.get(reverse("partners:partner_detail", args=[directory.public_id]))
    edit = client.get(reverse("partners:partner_edit", args=[directory.public_id]))

    assert directory.name not in listing.content.decode()
    assert detail.status_code == 404
    assert edit.status_code == 404


def test_another_organisation_cannot_reach_services_and_contacts(client, directory, charlie):
    service = directory.services.get()
    contact = factories.ContactFactory(partner=directory)
    charlie_admin = factories.UserFactory(
        organisation=charlie.membership.organisation, role="admin"
    )
    for user in (charlie, charlie_admin):
        client.force_login(user)
        for url in (
            reverse("partners:service_edit", args=[service.public_id]),
            reverse("partners:contact_edit", args=[contact.public_id]),
            reverse("partners:service_create", args=[directory.public_id]),
            reverse("partners:contact_create", args=[directory.public_id]),
        ):
            assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["employer_viewer", "supervisor"])
def test_roles_without_use_of_the_directory_are_refused(client, organisation, directory, role):
    user = factories.UserFactory(
        organisation=organisation,
        role=role,
        employer=factories.EmployerFactory(organisation=organisation)
        if role == "employer_viewer"
        else None,
    )
    client.force_login(user)

    assert client.get(reverse("partners:directory")).status_code == 403
    assert (
        client.get(reverse("partners:partner_detail", args=[directory.public_id])).status_code
        == 403
    )


def test_the_secretary_reads_but_does_not_edit(client, secretary, directory):
    client.force_login(secretary)

    assert client.get(reverse("partners:directory")).status_code == 200
    assert (
        client.get(reverse("partners:partner_detail", args=[directory.public_id])).status_code
        == 200
    )
    assert client.get(reverse("partners:partner_create")).status_code == 403
    assert (
        client.get(reverse("partners:partner_edit", args=[directory.public_id])).status_code == 403
    )


def test_a_worker_adds_a_local_partner_a_service_and_a_contact(client, alice, organisation):
    client.force_login(alice)

    response = client.post(
        reverse("partners:partner_create"),
        {"name": "Restos du cœur — Bègles", "kind": "charity", "city": "Bègles",
         "website": "restosducoeur.example.org", "is_active": "on"},
    )  # fmt: skip
    partner = Partner.objects.get(name="Restos du cœur — Bègles")
    client.post(
        reverse("partners:service_create", args=[partner.public_id]),
        {
            "name": "Distribution alimentaire",
            "thematiques": ["equipement-et-alimentation--alimentation"],
            "publics": ["familles"],
            "modes_accueil": ["en-presentiel"],
            "is_active": "on",
        },
    )
    client.post(
        reverse("partners:contact_create", args=[partner.public_id]),
        {"name": "Paul Girard", "role": "Responsable du centre", "is_active": "on"},
    )

    assert response.status_code == 302
    assert partner.organisation == organisation
    assert partner.origin == enums.PartnerOrigin.LOCAL
    assert partner.website == "https://restosducoeur.example.org"
    service = PartnerService.objects.get(partner=partner)
    assert service.thematiques == ["equipement-et-alimentation--alimentation"]
    assert Contact.objects.get(partner=partner).name == "Paul Girard"
    found = client.get(
        reverse("partners:directory"), {"thematique": "equipement-et-alimentation--alimentation"}
    )
    assert partner.name in _names(found)
    assert ChangeEvent.objects.filter(verb="partner_create", user=alice).exists()


def test_a_bad_form_keeps_what_was_typed_and_explains(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("partners:partner_create"),
        {"name": "", "kind": "charity", "description": "Aide aux familles <b>monoparentales</b>"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in content
    assert "Aide aux familles &lt;b&gt;monoparentales&lt;/b&gt;" in content


def test_editing_a_service_reindexes_its_thematiques(client, alice, directory):
    service = directory.services.get()
    client.force_login(alice)

    client.post(
        reverse("partners:service_edit", args=[service.public_id]),
        {
            "name": service.name,
            "thematiques": ["mobilite--financer-ma-mobilite"],
            "is_active": "on",
        },
    )

    assert _names(client.get(reverse("partners:directory"), {"thematique": "mobilite"})) == {
        directory.name
    }
    assert directory.name not in _names(
        client.get(reverse("partners:directory"), {"thematique": "equipement-et-alimentation"})
    )


def test_every_directory_page_renders_for_an_editor(client, alice, directory):
    service = directory.services.get()
    contact = factories.ContactFactory(partner=directory)
    client.force_login(alice)

    for url in (
        reverse("partners:directory"),
        reverse("partners:partner_create"),
        reverse("partners:partner_detail", args=[directory.public_id]),
        reverse("partners:partner_edit", args=[directory.public_id]),
        reverse("partners:service_create", args=[directory.public_id]),
        reverse("partners:service_edit", args=[service.public_id]),
        reverse("partners:contact_create", args=[directory.public_id]),
        reverse("partners:contact_edit", args=[contact.public_id]),
    ):
        assert client.get(url).status_code == 200, url
