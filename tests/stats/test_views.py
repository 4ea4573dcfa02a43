"""The statistics page: who sees what, masked how, with how many queries."""

import datetime
from decimal import Decimal

import pytest

from relais.accounts.enums import Role
from relais.audit.models import AccessEvent
from relais.stats.selection import COMPANY_KEYS, SERVICE_REPORT_KEYS, STAFF_KEYS
from relais.stats.views import SECTIONS
from tests import factories
from tests.groups.factories import GroupActionFactory
from tests.stats.population import build_population

URL = "/statistiques/"


@pytest.fixture
def pop(organisation, alice, bob):
    return build_population(organisation, alice, bob)


def tables_of(response) -> dict:
    return {
        block["table"].key: block["table"]
        for section in response.context["sections"]
        for block in section["blocks"]
    }


def shown(table, measure="persons"):
    values = {r.label: (None if r.suppressed else r.values[measure]) for r in table.rows}
    values["Total"] = None if table.total.suppressed else table.total.values[measure]
    return values


def test_it_shows_the_service_figures_to_a_manager_with_small_cells_masked(client, pop, manager):
    client.force_login(manager)
    response = client.get(URL, {"annee": "2025"})
    assert response.status_code == 200
    tables = tables_of(response)
    # Requests: persons per origin 3 (person), 2 (doctor), 1 (HR): all under 5, masked;
    # together 6 persons in 3 rows ≥ 3 + 5 - 2, so the total (7 requests, 6 persons) shows.
    requests = tables["demandes-origine"]
    assert shown(requests, "count")["La personne elle-même"] is None
    assert shown(requests, "count")["Encadrement"] == 0
    assert shown(requests, "count")["Total"] == 7
    # Sex: 4 women, 3 men, 1 not recorded, all under 5: masked; 8 in 3 rows ≥ 6: total shown.
    assert shown(tables["personnes-sexe"]) == {
        "Femme": None,
        "Homme": None,
        "Autre / non précisé": 0,
        "Non renseigné": None,
        "Total": 8,
    }
    # Ages: six rows of 1-2 persons; 8 persons in 6 rows < 6 + 5 - 2 = 9: even the total
    # would give them away, so the whole table is masked, and the mean with it.
    assert tables["personnes-age"].fully_suppressed
    assert tables["personnes-age"].extra == {}
    # The file active (8 persons) is shown; opened (6) too; closed (4 persons) is masked.
    activity = {
        r.key: (None if r.suppressed else r.values["persons"]) for r in tables["activite"].rows
    }
    assert activity == {"active": 8, "opened": 6, "closed": None}
    # Each worker's active caseload, for assignment, by name.
    caseload = tables["charge-active"]
    assert {r.label: r.values["count"] for r in caseload.rows} == {
        pop.alice.get_full_name(): 3,
        pop.bob.get_full_name(): 3,
    }
    html = response.content.decode()
    assert "Définitions" in html
    assert "arrondis au dixième" in html
    # Every chart would show masked rows and zeros only: none is drawn.
    assert "<svg" not in html


def test_a_worker_sees_service_figures_masked_and_their_own_unmasked(client, pop, alice):
    client.force_login(alice)
    service = tables_of(client.get(URL, {"annee": "2025"}))
    assert "charge-active" not in service
    assert shown(service["personnes-sexe"])["Femme"] is None
    own = client.get(URL, {"annee": "2025", "perimetre": "moi"})
    tables = tables_of(own)
    # Alice's cases: C1 C3 C7 C11, for P1 P2 P6 P10: four women, exact.
    assert shown(tables["personnes-sexe"]) == {
        "Femme": 4,
        "Homme": 0,
        "Autre / non précisé": 0,
        "Non renseigné": 0,
        "Total": 4,
    }
    # Her persons' ages: 30, 29, 18, 35 → mean 28.0, youngest 18, oldest 35.
    assert tables["personnes-age"].extra == {
        "known": 4,
        "mean": Decimal("28.0"),
        "min": 18,
        "max": 35,
    }
    html = own.content.decode()
    assert "Mes accompagnements" in html
    # Charts: an image with a title and a description listing the values in words.
    assert 'role="img" aria-labelledby="graphique-personnes-sexe-titre' in html
    assert "Femme : 4 (100,0\u202f%)" in html


def test_a_manager_has_no_own_figures_and_no_worker_filter(client, pop, manager):
    client.force_login(manager)
    response = client.get(URL, {"annee": "2025", "perimetre": "moi"})
    form = response.context["form"]
    assert "perimetre" not in form.fields
    assert response.context["selection"].own is False
    assert not any("utilisateur" in name or "worker" in name for name in form.fields)


def test_teams_of_one_worker_cannot_be_chosen(client, pop, manager):
    client.force_login(manager)
    # Nord has only Alice: choosing it would show one worker's figures.
    response = client.get(URL, {"annee": "2025", "equipe": str(pop.t1.public_id)})
    assert response.context["sections"] == []
    assert "equipe" in response.context["form"].errors
    # With a second worker, Nord becomes a team.
    factories.UserFactory(organisation=pop.organisation, team=pop.t1)
    response = client.get(URL, {"annee": "2025", "equipe": str(pop.t1.public_id)})
    tables = tables_of(response)
    # Nord: C1 C2 C3 C7 C11 for P1 P2 P6 P10 (4 persons, 5 cases in the file active).
    active = tables["activite"].rows[0]
    assert (active.values["count"], active.values["persons"]) == (5, 4)


def test_an_employer_viewer_sees_only_their_company(client, pop):
    viewer = factories.UserFactory(
        organisation=pop.organisation, role=Role.EMPLOYER_VIEWER, employer=pop.e1
    )
    client.force_login(viewer)
    # Asking for the other company, a team or free dates changes nothing: those filters
    # do not exist for this role.
    response = client.get(
        URL,
        {
            "annee": "2025",
            "employeur": str(pop.e2.public_id),
            "debut": "2025-03-01",
            "fin": "2025-03-02",
            "perimetre": "moi",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"annee", "trimestre"}
    tables = tables_of(response)
    assert "personnes-employeur" not in tables
    assert "charge-active" not in tables
    assert "problematiques-niveau-2" not in tables
    # Transports' staff in the file active: P1 P2 P3 P6 P10 = 5: 4 women, 1 man. The man
    # is masked, then the women too (else 5 - 4 = 1); the total shows.
    assert shown(tables["personnes-sexe"]) == {
        "Femme": None,
        "Homme": None,
        "Autre / non précisé": 0,
        "Non renseigné": 0,
        "Total": 5,
    }
    # The company's establishments table replaces the employers table.
    assert "personnes-etablissement" in tables


def test_an_employer_viewer_cannot_see_a_company_of_another_organisation(
    client, pop, other_organisation
):
    foreign = factories.EmployerFactory(organisation=other_organisation)
    viewer = factories.UserFactory(
        organisation=other_organisation, role=Role.EMPLOYER_VIEWER, employer=foreign
    )
    client.force_login(viewer)
    tables = tables_of(client.get(URL, {"annee": "2025"}))
    assert tables["activite"].rows[0].values["persons"] == 0


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.ADMIN, Role.SUPERVISOR])
def test_roles_without_statistics_are_refused(client, organisation, role):
    client.force_login(factories.UserFactory(organisation=organisation, role=role))
    for url in (
        URL,
        "/statistiques/export/personnes-sexe.csv",
        "/statistiques/rapport/",
        "/statistiques/rapport.pdf",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]


def test_another_organisations_filters_are_refused_and_show_nothing(client, pop, charlie):
    client.force_login(charlie)
    response = client.get(URL, {"annee": "2025", "employeur": str(pop.e1.public_id)})
    assert response.status_code == 200
    assert "employeur" in response.context["form"].errors
    assert response.context["sections"] == []
    assert "Transports" not in response.content.decode()
    # Without filters, charlie's own (empty) organisation: none of this population.
    tables = tables_of(client.get(URL, {"annee": "2025"}))
    assert tables["activite"].rows[0].values["persons"] == 0
    assert tables["interventions-type"].total.values["count"] == 0


def test_bad_filters_get_a_french_message_and_no_figures(client, pop, manager):
    client.force_login(manager)
    response = client.get(URL, {"annee": "2025", "debut": "2025-06-01", "fin": "2025-01-01"})
    assert response.context["sections"] == []
    assert "La fin de la période doit suivre son début." in response.content.decode()
    response = client.get(URL, {"annee": "deux mille"})
    assert "annee" in response.context["form"].errors


def test_filters_live_in_the_url_so_a_view_can_be_bookmarked(client, pop, manager):
    client.force_login(manager)
    query = {"annee": "2025", "trimestre": "1", "employeur": str(pop.e1.public_id)}
    response = client.get(URL, query)
    selection = response.context["selection"]
    assert selection.title == "1er trimestre 2025"
    assert selection.scope.period.start == datetime.date(2025, 1, 1)
    assert selection.scope.period.end == datetime.date(2025, 3, 31)
    assert selection.filters_text == ["Employeur : Transports"]
    html = response.content.decode()
    # Export links and usual periods keep the employer.
    assert (
        f"/statistiques/export/personnes-sexe.csv?annee=2025&amp;trimestre=1&amp;employeur={pop.e1.public_id}"
        in html
    )
    assert f"?annee=2024&amp;employeur={pop.e1.public_id}" in html
    # A free period replaces the year.
    response = client.get(URL, {"annee": "2025", "debut": "2025-02-01", "fin": "2025-02-28"})
    assert response.context["selection"].title == "Période du 01/02/2025 au 28/02/2025"


def test_the_page_makes_the_same_number_of_queries_whatever_the_data(
    client, pop, manager, django_assert_num_queries
):
    client.force_login(manager)
    # Session, user with membership; teams, employers, establishments; settings; then one
    # query per table group: activity, requests, interventions, closures, concerns (total,
    # labels, level 1, level 2), aid, collective actions (themes, figures), referrals (by
    # kind with the total, by partner), persons (all fixed breakdowns), employers, caseload
    # (workers, then their counts).
    expected = 2 + 3 + 1 + 17
    with django_assert_num_queries(expected):
        client.get(URL, {"annee": "2025"})
    # Ten times more persons, cases, interventions, concerns and aid.
    for i in range(30):
        person = factories.PersonFactory(
            organisation=pop.organisation, sex="f", employer=pop.e1, last_name=f"Extra{i}"
        )
        case = factories.CaseFactory(person=person, opened_on=datetime.date(2025, 5, 1))
        factories.InterventionFactory(
            case=case,
            author=pop.alice,
            occurred_at=datetime.datetime(2025, 5, 2, tzinfo=datetime.UTC),
        )
        factories.FinancialAidFactory(
            case=case, created_by=pop.alice, requested_on=datetime.date(2025, 5, 3)
        )
        factories.ReferralFactory(
            case=case,
            created_by=pop.alice,
            prepared_on=datetime.date(2025, 5, 4),
            sent_on=datetime.date(2025, 5, 4),
            status="sent",
        )
        GroupActionFactory(
            organisation=pop.organisation,
            status="held",
            headcount=10,
            starts_at=datetime.datetime(2025, 5, 5, tzinfo=datetime.UTC),
            facilitator=pop.alice,
        )
    factories.EmployerFactory(organisation=pop.organisation)
    factories.TeamFactory(organisation=pop.organisation)
    with django_assert_num_queries(expected):
        client.get(URL, {"annee": "2025"})


def test_an_employer_viewers_page_makes_few_queries(client, pop, django_assert_num_queries):
    viewer = factories.UserFactory(
        organisation=pop.organisation, role=Role.EMPLOYER_VIEWER, employer=pop.e1
    )
    client.force_login(viewer)
    # No filter lists; activity, requests, interventions, concerns (total, labels,
    # level 1), aid, collective actions (themes, figures), referrals by partner kind, persons,
    # establishments.
    with django_assert_num_queries(2 + 1 + 12):
        client.get(URL, {"annee": "2025"})


def test_exports_are_not_logged_as_reads_of_a_person_but_as_exports(client, pop, manager):
    client.force_login(manager)
    response = client.get("/statistiques/export/demandes-origine.csv", {"annee": "2025"})
    assert response.status_code == 200
    event = AccessEvent.objects.get(action="export")
    assert event.object_type == "stats.table"
    assert event.object_id == "demandes-origine"
    assert event.person_id is None


@pytest.mark.parametrize("keys", [STAFF_KEYS, COMPANY_KEYS, SERVICE_REPORT_KEYS])
def test_every_table_a_page_computes_has_a_section_that_shows_it(keys):
    shown_keys = {key for _, _, section_keys in SECTIONS for key in section_keys}
    assert set(keys) <= shown_keys


def test_the_manager_sees_the_collective_actions_of_the_year(client, pop, manager):
    GroupActionFactory(
        organisation=pop.organisation,
        status="held",
        headcount=12,
        starts_at=datetime.datetime(2025, 3, 10, 11, tzinfo=datetime.UTC),
    )
    client.force_login(manager)
    response = client.get(URL, {"annee": "2025"})
    table = tables_of(response)["actions-collectives"]
    assert table.total.values["count"] == 1
    assert "Actions collectives, par type" in response.text
