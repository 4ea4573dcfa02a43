import pytest
from django.urls import reverse

from relais.documents.models import Document
from tests import factories
from tests.documents.files import pdf_bytes, png_bytes, upload


@pytest.fixture
def case(alice):
    return factories.CaseFactory(
        person=factories.PersonFactory(organisation=alice.membership.organisation), referent=alice
    )


def _post(client, case, file, **fields):
    data = {"file": file, "kind": "payslip", "title": "", "tags": "", **fields}
    return client.post(reverse("documents:case", args=[case.public_id]), data)


def test_a_pdf_is_filed_typed_and_tagged(client, alice, case):
    client.force_login(alice)
    response = _post(
        client,
        case,
        upload("bulletin mars.pdf", pdf_bytes()),
        title="Bulletin de salaire de mars",
        document_date="2026-03-31",
        tags="dossier FSL, Surendettement, dossier fsl",
    )
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert document.person_id == case.person_id
    assert document.kind == "payslip"
    assert document.title == "Bulletin de salaire de mars"
    assert document.content_type == "application/pdf" and document.extension == "pdf"
    assert document.size == len(pdf_bytes())
    assert sorted(t.name for t in document.tags.all()) == ["Surendettement", "dossier FSL"]
    page = client.get(reverse("documents:case", args=[case.public_id]))
    assert "Bulletin de salaire de mars" in page.text and "dossier FSL" in page.text


def test_the_type_comes_from_the_content_not_the_name(client, alice, case):
    client.force_login(alice)
    response = _post(client, case, upload("scan.pdf", png_bytes(), "application/pdf"))
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert document.content_type == "image/png" and document.extension == "png"
    assert document.download_name == "scan.png"
    assert document.title == "Bulletin de salaire"  # the kind, when no title is given


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("releve.pdf", b"#!/bin/sh\nrm -rf ~\n", "application/pdf"),
        ("releve.pdf", b"<html><script>fetch('/')</script></html>", "application/pdf"),
        ("avis.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64, "application/pdf"),
        ("notes.txt", "Loyer impayé depuis mars".encode(), "text/plain"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 40, "application/pdf"),
    ],
    ids=["shell-script-as-pdf", "html-as-pdf", "executable-as-pdf", "text", "zip-as-pdf"],
)
def test_anything_but_a_scan_is_refused(client, alice, case, name, content, content_type):
    client.force_login(alice)
    response = _post(client, case, upload(name, content, content_type))
    assert response.status_code == 200
    assert "seuls les formats PDF, JPEG, PNG, TIFF, WebP ou HEIC sont acceptés" in response.text
    assert not Document.objects.exists()


def test_a_pdf_carrying_a_script_is_refused(client, alice, case):
    client.force_login(alice)
    content = pdf_bytes().replace(
        b"<< /Type /Catalog",
        b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> /Type /Catalog",
    )
    response = _post(client, case, upload("facture.pdf", content))
    assert response.status_code == 200
    assert "contenu actif" in response.text
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit(client, alice, case, settings):
    settings.RELAIS_DOCUMENT_MAX_BYTES = 1024 * 1024
    client.force_login(alice)
    big = pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    response = _post(client, case, upload("gros.pdf", big), title="Un titre gardé")
    assert response.status_code == 200
    assert "la limite est de 1 Mo" in response.text
    assert 'value="Un titre gardé"' in response.text  # nothing typed is lost
    assert not Document.objects.exists()


def test_an_empty_or_missing_file_is_refused(client, alice, case):
    client.force_login(alice)
    assert "Choisissez le fichier" in _post(client, case, "").text
    assert not Document.objects.exists()


def test_the_same_file_twice_for_the_person_is_refused(client, alice, case):
    client.force_login(alice)
    _post(client, case, upload("a.pdf", pdf_bytes()), title="Premier dépôt")
    response = _post(client, case, upload("b.pdf", pdf_bytes()))
    assert response.status_code == 200
    assert "Ce fichier est déjà dans le dossier : « Premier dépôt »" in response.text
    assert Document.objects.count() == 1


def test_the_same_file_for_another_person_is_accepted(client, alice, case):
    other = factories.CaseFactory(
        person=factories.PersonFactory(organisation=case.organisation), referent=alice
    )
    client.force_login(alice)
    _post(client, case, upload("a.pdf", pdf_bytes()))
    assert _post(client, other, upload("a.pdf", pdf_bytes())).status_code == 302
    assert Document.objects.count() == 2


def test_a_duplicate_in_a_case_one_cannot_see_is_not_described(client, alice, bob, case):
    from relais.documents import services
    from relais.documents.validation import InspectedFile

    hidden_case = factories.CaseFactory(person=case.person, referent=bob)
    services.document_upload(
        by=bob,
        person=case.person,
        case=hidden_case,
        file=InspectedFile(pdf_bytes(), "application/pdf", "pdf", "x.pdf"),
        kind="payslip",
        title="Titre confidentiel de Bob",
    )
    client.force_login(alice)
    response = _post(client, case, upload("a.pdf", pdf_bytes()))
    assert "Ce fichier a déjà été déposé pour cette personne." in response.text
    assert "Titre confidentiel de Bob" not in response.text
