"""One row in every section the other apps add to the case page (relais.cases.contents):
those sections make no query when the case has none, so tests that count or compare the
page's queries give the case one of each."""

from relais.documents import services as document_services
from relais.documents.validation import InspectedFile
from relais.reports import services as report_services
from tests import factories
from tests.documents.files import pdf_bytes
from tests.reports.builders import template


def fill_other_sections(case, by, *, report_title="Rapport", document_title="Facture"):
    """A budget and a debt of the person, a referral, a report and a document of the case."""
    factories.BudgetFactory(person=case.person, created_by=by)
    factories.DebtFactory(person=case.person)
    factories.ReferralFactory(case=case, created_by=by)
    report_services.report_create(
        by=by, case=case, template=template(case.organisation), title=report_title
    )
    document_services.document_upload(
        by=by,
        person=case.person,
        case=case,
        file=InspectedFile(pdf_bytes("doc"), "application/pdf", "pdf", "a.pdf"),
        kind="bill",
        title=document_title,
        tags=[],
    )
