"""The reports and documents sections on the case page, the links on the person page."""

from django.urls import reverse

from relais.documents import services as document_services
from relais.documents.validation import InspectedFile
from relais.reports import services
from tests import factories
from tests.documents.files import pdf_bytes
from tests.reports.builders import rich_case, template


def _add(alice, case, index):
    report = services.report_create(
        by=alice, case=case, template=template(case.organisation), title=f"Rapport n°{index}"
    )
    services.report_finalise(by=alice, report=report)
    document_services.document_upload(
        by=alice,
        person=case.person,
        case=case,
        file=InspectedFile(pdf_bytes(f"doc {index}"), "application/pdf", "pdf", "a.pdf"),
        kind="bill",
        title=f"Facture n°{index}",
        tags=["énergie"],
    )


def test_the_case_page_lists_reports_and_documents(client, alice):
    case = rich_case(alice)
    _add(alice, case, 1)
    client.force_login(alice)
    page = client.get(reverse("cases:detail", args=[case.public_id]))
    assert page.status_code == 200
    assert "Rapports et écrits" in page.text and "Rapport n°1" in page.text
    assert "pas encore lu à la personne" in page.text
    assert "Facture n°1" in page.text and "énergie" in page.text
    assert reverse("reports:case", args=[case.public_id]) + "#nouveau" in page.text
    assert "Déposer un document" in page.text


def test_the_case_page_sections_cost_the_same_whatever_the_data(
    client, alice, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = rich_case(alice)
    _add(alice, case, 1)
    client.force_login(alice)
    url = reverse("cases:detail", args=[case.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(2, 6):
        _add(alice, case, index)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert "Rapport n°5" in page.text and "Facture n°5" in page.text


def test_the_person_page_links_to_documents_and_the_copy(client, alice, bob, secretary):
    case = rich_case(alice)
    person_url = reverse("people:detail", args=[case.person.public_id])
    client.force_login(alice)
    page = client.get(person_url)
    assert reverse("documents:person", args=[case.person.public_id]) in page.text
    assert reverse("reports:person_copies", args=[case.person.public_id]) in page.text
    for other in (secretary, bob):
        client.force_login(other)
        page = client.get(person_url)
        assert page.status_code == 200
        assert reverse("reports:person_copies", args=[case.person.public_id]) not in page.text
        assert reverse("documents:person", args=[case.person.public_id]) not in page.text


def test_a_colleague_with_a_case_of_the_person_sees_documents_link_only_for_her_part(
    client, alice, bob
):
    case = rich_case(alice)
    factories.CaseFactory(person=case.person, referent=bob)
    client.force_login(bob)
    page = client.get(reverse("people:detail", args=[case.person.public_id]))
    assert reverse("documents:person", args=[case.person.public_id]) in page.text
    assert reverse("reports:person_copies", args=[case.person.public_id]) in page.text
