"""Build a budget with the person, see what is left to live on, print it."""

import datetime
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests import factories


@pytest.fixture
def case(organisation, alice):
    household = factories.HouseholdFactory(organisation=organisation)
    factories.HouseholdMemberFactory(
        household=household,
        first_name="Marc",
        relation="spouse",
        birth_date=datetime.date(1982, 1, 10),
    )
    factories.HouseholdMemberFactory(
        household=household,
        first_name="Léa",
        relation="child",
        birth_date=datetime.date(2010, 2, 1),
        is_dependent=True,
    )
    factories.HouseholdMemberFactory(
        household=household,
        first_name="Tom",
        relation="child",
        birth_date=datetime.date(2020, 3, 1),
        is_dependent=True,
    )
    person = factories.PersonFactory(
        organisation=organisation, first_name="Nadia", last_name="Benali", household=household
    )
    return factories.CaseFactory(person=person, referent=alice)


def add_line(page, section: str, category: str, amount: str, holder: str | None = None):
    form = page.locator(f"#{section}")
    form.get_by_label("Catégorie").select_option(label=category)
    form.get_by_label("Montant par mois (€)").fill(amount)
    if holder:
        form.get_by_label("Pour qui").select_option(label=holder)
    form.get_by_role("button", name=re.compile("^Ajouter la")).click()


def test_build_a_budget_see_what_is_left_and_print_it(page, login, alice, case):
    login(alice)
    page.goto(f"/dossiers/{case.public_id}/budget/")
    page.get_by_role("link", name=re.compile(r"^Budget de ")).first.click()
    page.get_by_role("button", name="Commencer un budget vide").click()
    expect(page.get_by_text("Aucune ressource saisie.")).to_be_visible()

    add_line(
        page, "ressources", "Salaire, revenu d'activité", "1 800", "Nadia (personne accompagnée)"
    )
    add_line(page, "ressources", "Aide au logement (APL, ALF, ALS)", "200")
    add_line(page, "charges", "Loyer", "750")
    add_line(page, "charges", "Alimentation", "400")

    # A typo gets a clear message and keeps what was typed.
    add_line(page, "charges", "Eau", "-30")
    expect(page.get_by_role("alert")).to_contain_text("ne peut pas être négatif")
    page.get_by_role("link", name="Annuler").click()

    # 2000 − 750 = 1250 ; 2.3 units (1 + Marc 0.5 + Léa 0.5 + Tom 0.3) → 543.48 → 18.12 a day.
    indicators = page.locator("#indicateurs")
    expect(indicators).to_contain_text("1\u00a0250,00\u00a0€")
    expect(indicators).to_contain_text("18,12\u00a0€ par jour")

    page.get_by_role("link", name="À regarder ensemble").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Le budget de")
    expect(page.get_by_text("1\u00a0250\u00a0€ par mois")).to_be_visible()
    expect(page.get_by_text("18,12\u00a0€ par jour")).to_be_visible()

    href = page.get_by_role("link", name="Imprimer pour la personne (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    assert "Mon budget de" in text
    assert "1 250,00 € par mois" in text
    assert "18,12 € par jour" in text


def test_the_month_page_fits_a_laptop_screen(page, login, alice, case):
    login(alice)
    month = datetime.date.today().replace(day=1)
    page.goto(f"/dossiers/{case.public_id}/budget/{month:%Y-%m}/")
    page.get_by_role("button", name="Commencer un budget vide").click()
    # The two columns sit side by side at 1366 px: no horizontal scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366
    resources = page.locator("#ressources").bounding_box()
    charges = page.locator("#charges").bounding_box()
    assert resources["x"] < charges["x"] and abs(resources["y"] - charges["y"]) < 5
