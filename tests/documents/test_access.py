import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AccessEvent
from relais.cases.models import CaseShare
from relais.documents import services
from relais.documents.models import Document
from relais.documents.validation import InspectedFile
from tests import factories
from tests.documents.files import pdf_bytes, png_bytes


@pytest.fixture
def case(alice):
    return factories.CaseFactory(
        person=factories.PersonFactory(organisation=alice.membership.organisation), referent=alice
    )


def _file(content=None, name="bulletin.pdf"):
    content = content or pdf_bytes()
    return InspectedFile(content, "application/pdf", "pdf", name)


@pytest.fixture
def document(alice, case):
    return services.document_upload(
        by=alice, person=case.person, case=case, file=_file(), kind="payslip", title="Bulletin"
    )


@pytest.fixture
def person_document(alice, case):
    png = png_bytes("black")
    return services.document_upload(
        by=alice,
        person=case.person,
        file=InspectedFile(png, "image/png", "png", "carte.png"),
        kind="identity",
        title="Carte d'identité",
    )


def test_the_download_is_the_plaintext_and_is_logged(client, alice, document):
    client.force_login(alice)
    response = client.get(reverse("documents:download", args=[document.public_id]))
    assert response.status_code == 200
    assert response.content == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bulletin.pdf"'
    assert "no-store" in response["Cache-Control"]
    event = AccessEvent.objects.get(action="download", object_id=str(document.public_id))
    assert event.user == alice
    assert event.person_id == document.person_id and event.case_id == document.case_id


def test_a_non_ascii_file_name_downloads(client, alice, case):
    document = services.document_upload(
        by=alice,
        person=case.person,
        case=case,
        file=_file(name="relevé d'échéances.pdf"),
        kind="bill",
        title="Échéancier",
    )
    client.force_login(alice)
    response = client.get(reverse("documents:download", args=[document.public_id]))
    assert response.status_code == 200
    assert (
        "filename*=utf-8''relev%C3%A9%20d_%C3%A9ch%C3%A9ances.pdf"
        in response["Content-Disposition"]
    )


@pytest.mark.parametrize(
    "who", ["charlie", "bob", "secretary", "manager", "admin_user", "employer_viewer", "supervisor"]
)
def test_others_get_404_everywhere(client, request, document, person_document, who):
    client.force_login(request.getfixturevalue(who))
    for doc in (document, person_document):
        assert client.get(reverse("documents:download", args=[doc.public_id])).status_code == 404
        assert client.get(reverse("documents:delete", args=[doc.public_id])).status_code == 404
        assert client.post(reverse("documents:delete", args=[doc.public_id])).status_code == 404
    assert client.get(reverse("documents:case", args=[document.case.public_id])).status_code == 404
    assert (
        client.get(reverse("documents:person", args=[document.person.public_id])).status_code == 404
    )
    assert not AccessEvent.objects.filter(action="download").exists()
    assert Document.objects.count() == 2


def test_a_manager_with_a_share_downloads_but_does_not_file(client, manager, alice, document):
    today = timezone.localdate()
    CaseShare.objects.create(
        organisation=document.organisation,
        case=document.case,
        shared_with=manager,
        shared_by=alice,
        reason="Absence",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
    )
    client.force_login(manager)
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 200
    page = client.get(reverse("documents:case", args=[document.case.public_id]))
    assert page.status_code == 200 and "Déposer un document" not in page.text
    upload = client.post(reverse("documents:case", args=[document.case.public_id]), {})
    assert upload.status_code == 403
    assert client.post(reverse("documents:delete", args=[document.public_id])).status_code == 403


def test_a_document_filed_on_the_person_is_seen_by_whoever_sees_one_of_their_cases(
    client, bob, person_document, document
):
    other_case = factories.CaseFactory(person=person_document.person, referent=bob)
    client.force_login(bob)
    assert (
        client.get(reverse("documents:download", args=[person_document.public_id])).status_code
        == 200
    )
    # …but not what is filed in a case Bob does not see.
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 404
    page = client.get(reverse("documents:person", args=[other_case.person.public_id]))
    assert str(person_document.public_id) in page.text
    assert str(document.public_id) not in page.text


def test_the_person_page_uploads_on_the_person(client, alice, case):
    client.force_login(alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("documents:person", args=[case.person.public_id]),
        {
            "file": SimpleUploadedFile("id.png", png_bytes(), "image/png"),
            "kind": "identity",
            "title": "Titre de séjour",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.case_id is None and document.person_id == case.person_id


def test_deleting_asks_then_removes(client, alice, document):
    client.force_login(alice)
    url = reverse("documents:delete", args=[document.public_id])
    assert "Supprimer « Bulletin » ?" in client.get(url).text
    response = client.post(url)
    assert response.status_code == 302
    assert not Document.objects.exists()


def test_the_documents_page_query_count_does_not_grow(
    client, alice, case, document, django_assert_num_queries
):
    client.force_login(alice)
    url = reverse("documents:case", args=[case.public_id])
    client.get(url)
    with django_assert_num_queries(DOCUMENTS_PAGE_QUERIES):
        client.get(url)
    for index in range(4):
        services.document_upload(
            by=alice,
            person=case.person,
            case=case,
            file=_file(pdf_bytes(f"Page {index}")),
            kind="bill",
            title=f"Facture {index}",
            tags=[f"étiquette {index}", "commune"],
        )
    with django_assert_num_queries(DOCUMENTS_PAGE_QUERIES):
        client.get(url)


DOCUMENTS_PAGE_QUERIES = 11
