"""Orient a person to the CAF with her consent, print the letter, record the answer."""

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from relais.partners import services
from relais.partners.models import Referral
from tests import factories


def test_orient_to_the_caf_with_consent_print_the_letter_record_the_answer(page, login, alice):
    organisation = alice.membership.organisation
    person = factories.PersonFactory(
        organisation=organisation,
        first_name="Nadia",
        last_name="Benali",
        address="4 rue des Faures",
        postal_code="33800",
        city="Bordeaux",
        phone="06 12 34 56 78",
    )
    case = factories.CaseFactory(person=person, referent=alice)
    services.national_partners_seed(organisation=organisation)
    login(alice)

    page.goto(reverse("cases:detail", args=[case.public_id]))
    page.locator("#orientations-section").get_by_role(
        "link", name="Orienter vers un partenaire"
    ).click()
    page.get_by_role("link", name="CAF — Caisse d'allocations familiales").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Orienter vers CAF")
    rights = (
        "Ouverture et révision des droits (prestations familiales, logement, RSA, prime d'activité)"
    )
    page.get_by_label("Service du partenaire").select_option(label=rights)
    page.get_by_label("Ce qui est demandé au partenaire").fill(
        "Réexamen de l'aide au logement après la séparation."
    )
    page.get_by_label("Adresse", exact=True).check()
    due = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Réponse attendue le").fill(due.isoformat())
    page.get_by_role("button", name="Préparer l'orientation").click()

    expect(page.get_by_text("Aucun consentement valable").first).to_be_visible()
    # Without consent, the send page asks for the person's consent or an emergency reason.
    page.get_by_role("link", name="Marquer comme envoyée").click()
    expect(page.get_by_role("button", name="Envoyer en urgence, sans consentement")).to_be_visible()
    page.get_by_role("link", name="Recueillir le consentement de la personne").click()
    page.get_by_label("J'ai informé la personne").check()
    page.get_by_role("button", name="Enregistrer le consentement").click()
    expect(page.get_by_text("Consentement valable jusqu'au")).to_be_visible()

    page.get_by_role("link", name="Marquer comme envoyée").click()
    page.get_by_role("button", name="Marquer comme envoyée").click()
    expect(page.locator(".lead .badge")).to_have_text("Envoyée")
    expect(page.get_by_text("(relance prévue)")).to_be_visible()

    page.get_by_role("link", name="Courrier au partenaire").click()
    letter = page.get_by_label("Texte du courrier")
    expect(letter).to_contain_text("Nadia BENALI")
    expect(letter).to_contain_text("4 rue des Faures")
    expect(letter).not_to_contain_text("06 12 34 56 78")
    letter.press("Control+End")
    letter.type("\nPS : Madame Benali vous appellera lundi.")
    page.get_by_role("button", name="Enregistrer et voir le courrier").click()
    expect(page.locator(".letter")).to_contain_text("Madame Benali vous appellera lundi.")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_hidden()
    expect(page.locator(".letter")).to_be_visible()
    page.emulate_media(media="screen")
    pdf_url = page.get_by_role("link", name="Télécharger le PDF").get_attribute("href")
    pdf = page.request.get(pdf_url)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.get_by_role("link", name="Retour à l'orientation").click()
    page.get_by_role("link", name="Enregistrer la réponse").click()
    page.get_by_label("Accordée").check()
    page.get_by_label("Résultat, réponse du partenaire").fill("Aide au logement révisée.")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator(".lead .badge")).to_have_text("Accordée")
    expect(page.get_by_text("Aide au logement révisée.")).to_be_visible()
    page.get_by_role("link", name="Retour au dossier").click()
    expect(page.locator("#orientations-section")).to_contain_text("accordée")
    referral = Referral.objects.get()
    assert referral.status == "granted"
    assert referral.chase_task.done_at is not None


def test_the_directory_search_works_with_the_keyboard(page, login, alice):
    services.national_partners_seed(organisation=alice.membership.organisation)
    login(alice)

    page.get_by_role("link", name="Partenaires").click()
    page.get_by_label("Thématique").select_option(
        "difficultes-financieres--situation-dendettement-surendettement"
    )
    page.get_by_label("Commune ou code postal").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="2 partenaires trouvés")).to_be_visible()
    expect(page.get_by_role("link", name="Banque de France")).to_be_visible()
