import io
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from relais.reports.models import Report
from tests import factories
from tests.documents.files import pdf_bytes


def _case(alice):
    person = factories.PersonFactory(
        organisation=alice.membership.organisation,
        first_name="Hélène",
        last_name="Garçon",
        accommodation="private_tenant",
    )
    return factories.CaseFactory(person=person, referent=alice)


def test_write_finalise_read_give_and_download_a_report(page, login, alice):
    case = _case(alice)
    login(alice)
    page.goto(f"/rapports/dossiers/{case.public_id}/")
    expect(page.get_by_role("heading", name="Rapports et écrits")).to_be_visible()
    page.get_by_label("Rapport social").check()
    page.get_by_role("button", name="Créer l'écrit").click()

    # The report opens pre-filled from the case; the worker writes her assessment.
    expect(page.get_by_label("Logement")).to_have_value("Hébergement : Locataire du parc privé.")
    page.get_by_label("Évaluation sociale").fill(
        "Madame Garçon a su mobiliser ses proches ; la dette de loyer reste élevée."
    )
    page.get_by_label("Avis de la personne").fill("Je suis d'accord avec ce rapport.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Version 2 enregistrée.")).to_be_visible()

    page.get_by_label(re.compile("J'ai relu ce rapport et je le signe")).check()
    page.get_by_role("button", name=re.compile("Finaliser et signer")).click()
    expect(page.get_by_text("version 2 signée et verrouillée")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier")).to_have_count(0)

    today = timezone.localdate()
    page.get_by_label("Lu à la personne le").fill(today.isoformat())
    page.get_by_label("Copie remise à la personne le").fill(today.isoformat())
    page.get_by_role("button", name="Enregistrer les dates").click()
    expect(page.get_by_text("Dates de lecture et de remise enregistrées.")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    content = Path(download.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Madame Garçon a su mobiliser ses proches" in text
    assert f"Lu à la personne le {today:%d/%m/%Y}" in text
    assert f"Copie remise à la personne le {today:%d/%m/%Y}" in text
    assert "Confidentiel — secret professionnel" in text

    report = Report.objects.get(case=case)
    assert report.status == "final"
    assert report.signed_version.read_to_person_on == today


def test_upload_a_scan_and_be_refused_a_disguised_script(page, login, alice, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = _case(alice)
    login(alice)
    page.goto(f"/documents/dossiers/{case.public_id}/")
    script = tmp_path / "releve.pdf"
    script.write_bytes(b"#!/bin/sh\necho pwned\n")
    page.get_by_label("Fichier").set_input_files(str(script))
    page.get_by_label("Type de document").select_option(label="Relevé bancaire")
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_role("alert")).to_contain_text("n'est pas un document accepté")

    scan = tmp_path / "bulletin.pdf"
    scan.write_bytes(pdf_bytes())
    page.get_by_label("Fichier").set_input_files(str(scan))
    page.get_by_label("Type de document").select_option(label="Bulletin de salaire")
    page.get_by_label("Intitulé").fill("Bulletin de mars")
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("Document « Bulletin de mars » déposé et chiffré.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Bulletin de mars", exact=True).click()
    assert Path(download_info.value.path()).read_bytes() == pdf_bytes()
