from relais.demo.reports import create_demo_reports
from relais.documents.models import Document
from relais.reports.models import Report, ReportTemplate
from tests import factories


def test_demo_reports_on_the_demo_cases(organisation, alice):
    case = factories.CaseFactory(
        person=factories.PersonFactory(organisation=organisation), referent=alice
    )
    assert create_demo_reports(organisation) == 1
    report = Report.objects.get(case=case)
    assert report.status == "final"
    assert report.signed_version.copy_given_on is not None
    assert report.latest_version.person_opinion.startswith("Je suis d'accord")
    document = Document.objects.get(case=case)
    assert [t.name for t in document.tags.all()] == ["dossier FSL"]


def test_demo_without_cases_installs_the_templates_only(organisation):
    assert create_demo_reports(organisation) == 0
    assert ReportTemplate.objects.filter(organisation=organisation).count() == 5
    assert not Report.objects.exists()
