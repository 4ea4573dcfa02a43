"""Table downloads (CSV, XLSX), the PDF activity report, and the settings page."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from relais.accounts.enums import Role
from relais.audit.models import ChangeEvent
from relais.stats.models import StatisticsSettings
from tests import factories
from tests.stats.population import build_population


@pytest.fixture
def pop(organisation, alice, bob):
    return build_population(organisation, alice, bob)


def csv_lines(response) -> list[list[str]]:
    return [line.split(";") for line in response.content.decode("utf-8-sig").splitlines()]


def test_a_table_downloads_as_csv_with_the_same_masked_figures(client, pop, manager):
    client.force_login(manager)
    response = client.get("/statistiques/export/demandes-origine.csv", {"annee": "2025"})
    assert response["Content-Disposition"] == (
        'attachment; filename="statistiques-demandes-origine-2025-01-01-2025-12-31.csv"'
    )
    lines = csv_lines(response)
    assert lines[0] == ["Libellé", "Demandes", "Personnes", "Part (%)"]
    assert lines[1] == ["La personne elle-même", "s", "s", "s"]
    assert lines[4] == ["Encadrement", "0", "0", "0,0"]
    assert lines[-1] == ["Total", "7", "6", "100,0"]


def test_a_workers_own_table_downloads_unmasked(client, pop, alice):
    client.force_login(alice)
    response = client.get(
        "/statistiques/export/interventions-type.csv", {"annee": "2025", "perimetre": "moi"}
    )
    lines = csv_lines(response)
    assert lines[0] == [
        "Libellé",
        "Interventions",
        "Temps passé (minutes)",
        "Personnes concernées",
        "Part (%)",
    ]
    # Alice's cases: office I1 I2 I5 (45 + 60 + 30 = 135 min, P1 and P6), phone I3 (15 min).
    assert lines[1] == ["Entretien au bureau", "3", "135", "2", "60,0"]
    assert lines[2] == ["Entretien téléphonique", "1", "15", "1", "20,0"]
    assert lines[-1] == ["Total", "5", "190", "4", "100,0"]


def test_a_table_downloads_as_xlsx_with_its_definitions(client, pop, manager):
    client.force_login(manager)
    response = client.get(
        "/statistiques/export/personnes-employeur.xlsx",
        {"annee": "2025"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Libellé", "Personnes", "Part (%)"]
    # Mairie 1 and "none" 2 are small; Transports (5) goes with them so that 8 - 5 ≠ 3.
    assert rows[1:5] == [
        ["Mairie", "s", "s"],
        ["Transports", "s", "s"],
        ["Sans employeur renseigné", "s", "s"],
        ["Total", 8, 100],
    ]
    notes = [r[0] for r in rows[6:]]
    assert "Année 2025" in notes
    assert any(n.startswith("s : donnée masquée") for n in notes)


def test_an_employer_name_that_looks_like_a_formula_is_neutralised(client, pop, alice):
    pop.e1.name = '=HYPERLINK("http://x","clic")'
    pop.e1.save()
    client.force_login(alice)
    response = client.get(
        "/statistiques/export/personnes-employeur.xlsx", {"annee": "2025", "perimetre": "moi"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    labels = [row[0].value for row in sheet.iter_rows(min_row=2, max_row=3)]
    assert '\'=HYPERLINK("http://x","clic")' in labels
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_exports_of_tables_the_user_may_not_see_are_not_found(client, pop, alice):
    client.force_login(alice)
    # The caseload table is the manager's.
    assert client.get("/statistiques/export/charge-active.csv").status_code == 404
    assert client.get("/statistiques/export/nimporte-quoi.csv").status_code == 404
    assert client.get("/statistiques/export/personnes-sexe.exe").status_code == 404


def test_an_employer_viewer_exports_only_their_companys_table(client, pop):
    viewer = factories.UserFactory(
        organisation=pop.organisation, role=Role.EMPLOYER_VIEWER, employer=pop.e2
    )
    client.force_login(viewer)
    response = client.get(
        "/statistiques/export/personnes-sexe.csv",
        {"annee": "2025", "employeur": str(pop.e1.public_id)},
    )
    lines = csv_lines(response)
    # Mairie: only P4 in the file active: one person, the whole table is masked.
    assert lines[-1] == ["Total", "s", "s"]
    assert client.get("/statistiques/export/personnes-employeur.csv").status_code == 404


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_company_report_is_a_masked_pdf_without_any_name(client, pop):
    viewer = factories.UserFactory(
        organisation=pop.organisation, role=Role.EMPLOYER_VIEWER, employer=pop.e1
    )
    client.force_login(viewer)
    response = client.get("/statistiques/rapport.pdf", {"annee": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-activite-transports-2025-01-01-2025-12-31.pdf"'
    )
    text = pdf_text(response)
    assert "Rapport d'activité du service social — Année 2025" in text
    assert "Entreprise : Transports" in text
    # Nobody is named: neither the persons nor the workers.
    assert "Xylo" not in text
    for worker in (pop.alice, pop.bob):
        assert worker.last_name not in text
    # The other company appears nowhere.
    assert "Mairie" not in text
    # Transports' 5 persons: total shown, the small rows masked.
    assert "File active (accompagnements en cours pendant la période) 6 5" in text
    assert "secret statistique" in text


def test_the_report_draws_its_charts_in_the_pdf(client, pop):
    # Fifteen more Transports employees (nine women, six men) in 2025: enough persons for
    # the sex breakdown to be shown, and drawn.
    for i in range(15):
        person = factories.PersonFactory(
            organisation=pop.organisation,
            employer=pop.e1,
            sex="f" if i < 9 else "m",
            last_name=f"Xylo-extra{i}",
        )
        factories.CaseFactory(person=person, opened_on=datetime.date(2025, 3, 1))
    viewer = factories.UserFactory(
        organisation=pop.organisation, role=Role.EMPLOYER_VIEWER, employer=pop.e1
    )
    client.force_login(viewer)
    preview = client.get("/statistiques/rapport/", {"annee": "2025"})
    sexes = preview.context["report"].tables["personnes-sexe"]
    # Transports: P1 P2 P6 P10 + 9 women = 13; P3 + 6 men = 7.
    assert [(r.label, r.values["persons"], r.suppressed) for r in sexes.rows[:2]] == [
        ("Femme", 13, False),
        ("Homme", 7, False),
    ]
    assert preview.context["report"].charts["personnes-sexe"] is not None
    response = client.get("/statistiques/rapport.pdf", {"annee": "2025"})
    text = pdf_text(response).replace("\u202f", " ")
    # The table row, then the chart's bar label (the SVG's description is not printed).
    assert "Femme 13 65,0 %" in text
    assert "Femme\n13 (65,0 %)" in text
    assert "Femme : 13" not in text
    assert "Xylo" not in text


def test_a_quarterly_report_covers_the_quarter(client, pop, manager):
    client.force_login(manager)
    response = client.get(
        "/statistiques/rapport/",
        {"annee": "2025", "trimestre": "4", "employeur": str(pop.e1.public_id)},
    )
    report = response.context["report"]
    assert report.title == "4e trimestre 2025"
    assert (str(report.scope.period.start), str(report.scope.period.end)) == (
        "2025-10-01",
        "2025-12-31",
    )
    assert report.scope.employer_id == pop.e1.pk
    # Masked whoever asks: in Q4 Transports' file active is P1 P2 P6 P10 (4 persons).
    assert report.tables["activite"].rows[0].suppressed
    html = response.content.decode()
    assert "Télécharger le PDF" in html


def test_the_service_report_lists_employers_masked(client, pop, manager):
    client.force_login(manager)
    response = client.get("/statistiques/rapport.pdf", {"annee": "2025"})
    text = pdf_text(response)
    assert "Ensemble du service" in text
    assert "Personnes, par employeur" in text
    assert "Xylo" not in text


def test_a_manager_cannot_ask_for_a_company_of_another_organisation(
    client, pop, other_organisation
):
    foreign = factories.EmployerFactory(organisation=other_organisation, name="Ailleurs")
    client.force_login(factories.UserFactory(organisation=pop.organisation, role=Role.MANAGER))
    response = client.get(
        "/statistiques/rapport/", {"annee": "2025", "employeur": str(foreign.public_id)}
    )
    assert "employeur" in response.context["form"].errors
    assert response.context["report"].scope is None
    response = client.get(
        "/statistiques/rapport.pdf", {"annee": "2025", "employeur": str(foreign.public_id)}
    )
    assert response.status_code == 302


def test_a_manager_sets_the_age_bands_and_the_change_is_logged(client, pop, manager):
    client.force_login(manager)
    response = client.post(
        "/statistiques/reglages/", {"age_band_starts": "0, 30, 60", "small_cell_threshold": "6"}
    )
    assert response.status_code == 302
    settings = StatisticsSettings.objects.get(organisation=pop.organisation)
    assert settings.age_band_starts == [0, 30, 60]
    assert settings.small_cell_threshold == 6
    event = ChangeEvent.objects.get(verb="statistics_settings_update")
    assert event.user_id == manager.pk
    # The page then uses them (alice's own figures, so nothing is masked).
    client.force_login(pop.alice)
    response = client.get("/statistiques/", {"annee": "2025", "perimetre": "moi"})
    ages = next(
        b["table"]
        for s in response.context["sections"]
        for b in s["blocks"]
        if b["table"].key == "personnes-age"
    )
    # Alice's persons: 30, 29, 18, 35 → 0-29: 2, 30-59: 2.
    assert [(r.label, r.values["persons"]) for r in ages.rows] == [
        ("0 à 29 ans", 2),
        ("30 à 59 ans", 2),
        ("60 ans et plus", 0),
        ("Non renseigné", 0),
    ]


def test_the_admin_may_set_the_age_bands_but_not_read_statistics(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/statistiques/reglages/").status_code == 200
    assert client.get("/statistiques/").status_code == 403


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ("20, 20, 40", "Les âges doivent aller en croissant, sans doublon."),
        ("vingt", "Écrivez des âges en nombres entiers"),
        ("20, 200", "Les âges vont de 0 à 120 ans."),
    ],
)
def test_bad_age_bands_get_a_french_message_and_nothing_changes(
    client, organisation, manager, bands, message
):
    client.force_login(manager)
    response = client.post(
        "/statistiques/reglages/", {"age_band_starts": bands, "small_cell_threshold": "5"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StatisticsSettings.objects.filter(organisation=organisation).exists()


def test_the_threshold_cannot_go_below_five(client, organisation, manager):
    client.force_login(manager)
    response = client.post(
        "/statistiques/reglages/", {"age_band_starts": "20", "small_cell_threshold": "2"}
    )
    assert response.status_code == 200
    assert not StatisticsSettings.objects.filter(organisation=organisation).exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SECRETARY, Role.SUPERVISOR])
def test_other_roles_cannot_change_the_settings(client, organisation, role):
    client.force_login(factories.UserFactory(organisation=organisation, role=role))
    assert client.get("/statistiques/reglages/").status_code == 403
    assert client.post("/statistiques/reglages/", {}).status_code == 403


def test_settings_are_per_organisation(client, pop, manager, other_organisation):
    StatisticsSettings.objects.create(organisation=other_organisation, age_band_starts=[0, 50])
    client.force_login(manager)
    response = client.get("/statistiques/reglages/")
    assert response.context["form"].initial["age_band_starts"] == "20, 31, 41, 51"
