"""Demo reports and documents: the templates, and a written, signed report on a few cases.

Runs after the demo cases exist (it uses what the other demo modules created); on an
organisation without cases it only installs the templates.
"""

from django.utils import timezone

from relais.cases.models import Case
from relais.documents import services as document_services
from relais.documents.validation import InspectedFile
from relais.reports import services as report_services
from relais.reports.models import ReportTemplate

EVALUATION = (
    "Madame est venue d'elle-même après plusieurs mois de difficultés pour payer son "
    "loyer, depuis la baisse de ses revenus pendant son arrêt de travail. Elle a déjà "
    "pris contact avec son bailleur et mis en place un échéancier qu'elle respecte.\n\n"
    "Elle souhaite rester dans son logement, proche de l'école de son fils et de son "
    "travail. Nous avons établi ensemble son budget : avec les indemnités journalières, "
    "le reste à vivre ne permet pas de résorber seule la dette."
)


def _demo_scan(reference: str) -> bytes:
    """A one-page PDF standing for a scanned rent notice."""
    import weasyprint

    html = (
        "<h1 style='font-family: DejaVu Sans'>Avis d'échéance</h1>"
        "<p style='font-family: DejaVu Sans'>Office public de l'habitat — loyer et charges : "
        f"612,40 €. Référence {reference}.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def create_demo_reports(organisation) -> int:
    report_services.report_templates_seed(organisation.pk)
    template = ReportTemplate.objects.get(organisation=organisation, code="rapport-social")
    created = 0
    cases = (
        Case.objects.filter(organisation=organisation)
        .select_related("person")
        .prefetch_related("referent_links__user")
        .order_by("opened_on", "id")[:2]
    )
    for index, case in enumerate(cases):
        links = list(case.referent_links.all())
        if not links:
            continue
        author = links[0].user
        report = report_services.report_create(
            by=author, case=case, template=template, title="Rapport social pour la commission FSL"
        )
        version = report.latest_version
        report_services.report_save(
            by=author,
            report=report,
            title=report.title,
            recipient="Commission du Fonds de solidarité logement",
            sections={**version.sections, "evaluation": EVALUATION},
            person_opinion="Je suis d'accord avec ce rapport. Je veux garder mon logement.",
            base_version=version.number,
        )
        report.refresh_from_db()
        if index == 0:
            report_services.report_finalise(by=author, report=report)
            report_services.report_record_delivery(
                by=author,
                report=report,
                read_to_person_on=timezone.localdate(),
                copy_given_on=timezone.localdate(),
            )
        document_services.document_upload(
            by=author,
            person=case.person,
            case=case,
            file=InspectedFile(
                _demo_scan(str(case.public_id)[:8]),
                "application/pdf",
                "pdf",
                "avis-echeance.pdf",
            ),
            kind="housing",
            title="Avis d'échéance du bailleur",
            tags=["dossier FSL"],
        )
        created += 1
    return created
