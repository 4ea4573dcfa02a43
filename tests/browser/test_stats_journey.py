"""A manager reads the year's statistics, narrows them, and downloads a table."""

from playwright.sync_api import expect

from relais.accounts.enums import Role
from tests import factories
from tests.stats.population import build_population


def test_manager_reads_statistics_and_bookmarks_a_filtered_view(
    page, login, organisation, alice, bob
):
    pop = build_population(organisation, alice, bob)
    manager = factories.UserFactory(organisation=organisation, role=Role.MANAGER)
    login(manager)
    page.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statistiques du service")
    page.get_by_label("Année", exact=True).fill("2025")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Année 2025")
    requests = page.locator("#tableau-demandes-origine")
    expect(requests.locator("tfoot")).to_contain_text("7")
    # Small cells are masked, in words for screen readers too.
    expect(requests.get_by_title("donnée masquée (secret statistique)").first).to_be_visible()
    # Narrow to one employer: the choice is kept in the address.
    page.get_by_label("Employeur", exact=True).select_option(label="Transports")
    page.get_by_role("button", name="Afficher").click()
    assert f"employeur={pop.e1.public_id}" in page.url
    expect(page.locator("p.lead").first).to_contain_text("Employeur : Transports")
    bookmarked = page.url
    page.goto("/")
    page.goto(bookmarked)
    expect(page.locator("p.lead").first).to_contain_text("Employeur : Transports")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV — Personnes, par sexe").click()
    assert download.value.suggested_filename.startswith("statistiques-personnes-sexe-2025")


def test_worker_reads_their_own_figures_with_accessible_charts(
    page, login, organisation, alice, bob
):
    build_population(organisation, alice, bob)
    login(alice)
    page.goto("/statistiques/?annee=2025")
    page.get_by_label("Chiffres de").select_option(label="Mes accompagnements")
    page.get_by_role("button", name="Afficher").click()
    assert "perimetre=moi" in page.url
    # A chart is an image whose name is its title and whose description lists the values.
    chart = page.get_by_role("img", name="Personnes, par sexe")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("Femme : 4")
    expect(page.locator("#tableau-personnes-age")).to_contain_text("20 à 30 ans")
    expect(page.get_by_text("Âge moyen : 28,0 ans")).to_be_visible()


def test_employer_viewer_reads_their_report(page, login, organisation, alice, bob):
    pop = build_population(organisation, alice, bob)
    viewer = factories.UserFactory(
        organisation=organisation, role=Role.EMPLOYER_VIEWER, employer=pop.e1
    )
    login(viewer)
    page.get_by_role("link", name="Statistiques").click()
    page.get_by_label("Année", exact=True).fill("2025")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_label("Employeur", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Rapport d'activité (PDF) de l'entreprise").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport d'activité")
    expect(page.locator(".report-preview")).to_contain_text("Entreprise : Transports")
    expect(page.locator(".report-preview")).not_to_contain_text("Mairie")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert download.value.suggested_filename == (
        "rapport-activite-transports-2025-01-01-2025-12-31.pdf"
    )
