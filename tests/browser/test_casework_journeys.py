"""The main journeys of a social worker, in Chromium."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.cases.reference import reference_seed
from tests import factories


@pytest.fixture(autouse=True)
def reference_lists(organisation):
    reference_seed(organisation)


def test_from_intake_to_closing(page, login, alice, organisation):
    login(alice)
    # Intake: look for the person first, then create her.
    page.get_by_role("link", name="Nouvelle demande").click()
    page.get_by_label("Nom, nom de naissance, date de naissance ou employeur").fill("Benali")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Aucune personne ne correspond")).to_be_visible()
    page.get_by_role("link", name="Nouvelle personne").click()
    expect(page.get_by_label("Nom (obligatoire)")).to_have_value("Benali")
    page.get_by_label("Prénom").fill("Samira")
    page.get_by_label("Date de naissance").fill("1984-09-02")
    page.get_by_role("button", name="Enregistrer").click()

    # The request, given to me.
    expect(page.get_by_role("heading", name="Nouvelle demande pour Samira BENALI")).to_be_visible()
    page.get_by_label("Canal").select_option(label="Téléphone")
    page.get_by_label("Sous 48 heures").check()
    page.get_by_label("Résumé de la demande").fill("Madame ne peut plus payer son loyer.")
    page.get_by_label("Maintien dans le logement, impayés de loyer").check()
    page.get_by_role("button", name="Enregistrer la demande").click()
    expect(page.get_by_text("Demande enregistrée.")).to_be_visible()

    # It becomes a case.
    page.get_by_role("link", name="Ouvrir un accompagnement").click()
    page.get_by_role("button", name="Ouvrir l'accompagnement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samira BENALI")
    expect(page.get_by_text("Recontacter la personne sous 48 heures").first).to_be_visible()

    # An interview with a note.
    page.get_by_role("link", name="Nouvel entretien").click()
    expect(page.get_by_text("La personne peut demander à lire")).to_be_visible()
    page.get_by_label("Type").select_option(label="Entretien téléphonique")
    page.get_by_label("Note", exact=True).fill("Madame a reçu un commandement de payer le 3 mars.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Madame a reçu un commandement de payer le 3 mars.")).to_be_visible()
    expect(page.locator(".case-header")).to_contain_text("En cours")

    # A plan with a goal in her words, and an action.
    page.get_by_role("link", name="Construire le plan avec la personne").click()
    page.get_by_role("button", name="Commencer le plan").click()
    page.get_by_label("L'objectif, avec les mots de la personne").fill("Garder mon appartement")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_label("Action (obligatoire)").fill("Appeler le bailleur")
    page.get_by_label("Qui s'en charge").select_option(label="La personne")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("« Garder mon appartement »")).to_be_visible()
    expect(page.get_by_role("cell", name="Vous")).to_be_visible()
    page.get_by_role("link", name="Samira BENALI").first.click()

    # A task.
    page.get_by_role("link", name="Ajouter une tâche").click()
    page.get_by_label("Tâche (obligatoire)").fill("Envoyer le dossier FSL")
    due = timezone.localdate() + datetime.timedelta(days=5)
    page.get_by_label("Échéance").fill(due.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Envoyer le dossier FSL")).to_be_visible()

    # Closing: the reason is asked for.
    page.get_by_role("link", name="Clore", exact=True).click()
    page.get_by_role("button", name="Clore l'accompagnement").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez le motif de clôture.")
    page.get_by_label("Objectifs atteints").check()
    page.get_by_role("button", name="Clore l'accompagnement").click()
    expect(page.locator(".case-header")).to_contain_text("Clos")
    expect(page.get_by_role("button", name="Rouvrir l'accompagnement")).to_be_visible()


def test_search_ignores_accents_and_case(page, login, alice, organisation):
    factories.PersonFactory(
        organisation=organisation, last_name="Dupré", first_name="Hélène", birth_name="Lefèvre"
    )
    factories.PersonFactory(organisation=organisation, last_name="Martin", first_name="Paul")
    login(alice)
    page.get_by_role("link", name="Personnes").click()
    box = page.get_by_label("Nom, nom de naissance, date de naissance ou employeur")
    for typed in ["helene", "DUPRE", "lefevre"]:
        box.fill(typed)
        box.press("Enter")
        expect(page.get_by_role("link", name=re.compile("Hélène DUPRÉ"))).to_be_visible()
        expect(page.get_by_text("Paul MARTIN")).to_have_count(0)
        box = page.get_by_label("Nom, nom de naissance, date de naissance ou employeur")


def test_the_secretary_books_a_first_appointment_and_reads_no_notes(
    page, login, secretary, alice, organisation
):
    person = factories.PersonFactory(organisation=organisation, last_name="Roche")
    login(secretary)
    page.goto(f"/demandes/nouvelle/?personne={person.public_id}")
    expect(page.get_by_text("Problématiques")).to_have_count(0)
    page.get_by_label("Canal").select_option(label="Sur place")
    page.get_by_label("Confiée à").select_option(label=alice.display_name)
    when = timezone.localtime() + datetime.timedelta(days=1)
    page.get_by_label("Premier rendez-vous le").fill(when.strftime("%Y-%m-%dT10:00"))
    page.get_by_role("button", name="Enregistrer la demande").click()
    expect(page.get_by_text("Demande enregistrée.")).to_be_visible()
    expect(page.get_by_text(f"avec {alice.display_name}")).to_be_visible()
    page.get_by_role("link", name="Agenda").click()
    page.get_by_role("link", name="Jour suivant →").click()
    expect(page.get_by_role("link", name=re.compile("ROCHE"))).to_be_visible()
