import io
import re

import pytest
from django.urls import reverse
from docx import Document as DocxDocument
from pypdf import PdfReader

from relais.audit.models import AccessEvent
from relais.reports import services
from relais.reports.output import report_docx, report_pdf
from relais.reports.rendering import markdown_to_html
from tests.reports.builders import rich_case, template

LONG_PARAGRAPH = (
    "Madame Lefèvre évoque une fatigue importante liée à ses horaires décalés, à la garde "
    "de son fils et aux démarches engagées auprès de la CAF, de la CPAM et du bailleur. "
) * 12


@pytest.fixture
def report(alice, organisation):
    report = services.report_create(
        by=alice, case=rich_case(alice), template=template(organisation)
    )
    sections = report.latest_version.sections
    sections["evaluation"] = "\n\n".join([LONG_PARAGRAPH] * 8) + "\n\n- élément ç\n- œuvre"
    services.report_save(
        by=alice,
        report=report,
        title="Rapport social — demande d'aide à l'énergie",
        recipient="Commission FSL de la Gironde",
        sections=sections,
        person_opinion="Je suis d'accord, c'est juste.",
        base_version=1,
    )
    report.refresh_from_db()
    return report


def _pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_renders_accents_long_texts_header_footer_and_page_numbers(report, organisation):
    reader = PdfReader(io.BytesIO(report_pdf(report, report.latest_version)))
    pages = len(reader.pages)
    flat = _flat("\n".join(page.extract_text() for page in reader.pages))
    assert pages >= 3  # the long evaluation spans several pages
    assert "Rapport social — demande d'aide à l'énergie" in flat
    assert "Élodie LEFÈVRE" in flat
    assert "Commission FSL de la Gironde" in flat
    assert "Composition du foyer" in flat and "Santé" in flat and "Évaluation sociale" in flat
    assert "élément ç" in flat and "œuvre" in flat
    assert "Je suis d'accord, c'est juste." in flat
    assert "Projet — version 2 non signée" in flat
    # Every page carries the organisation, the secrecy footer and its number.
    for number, page in enumerate(reader.pages, 1):
        page_text = _flat(page.extract_text())
        assert organisation.name in page_text
        assert "Confidentiel — secret professionnel" in page_text
        assert f"Page {number} / {pages}" in page_text


def test_the_pdf_of_a_signed_report_names_signer_and_delivery(report, alice):
    from django.utils import timezone

    services.report_finalise(by=alice, report=report)
    services.report_record_delivery(
        by=alice, report=report, read_to_person_on=timezone.localdate(), copy_given_on=None
    )
    report.refresh_from_db()
    flat = _flat(_pdf_text(report_pdf(report, report.signed_version))[0])
    assert f"Signé par {alice.display_name}" in flat
    assert f"Lu à la personne le {timezone.localdate():%d/%m/%Y}" in flat
    assert "non signée" not in flat


def test_the_pdf_uses_real_embedded_fonts(report):
    reader = PdfReader(io.BytesIO(report_pdf(report, report.latest_version)))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVu" in name for name in fonts), fonts


def test_the_docx_reopens_with_python_docx(report, organisation):
    document = DocxDocument(io.BytesIO(report_docx(report, report.latest_version)))
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    assert "Rapport social — demande d'aide à l'énergie" in text
    assert "Évaluation sociale" in [
        p.text for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert "élément ç" in text and "œuvre" in text
    assert LONG_PARAGRAPH.strip() in text
    assert "Je suis d'accord, c'est juste." in text
    section = document.sections[0]
    assert organisation.name in section.header.paragraphs[0].text
    assert "Confidentiel — secret professionnel" in section.footer.paragraphs[0].text
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "élément ç" in bullets


def test_markdown_is_rendered_and_sanitised():
    html = markdown_to_html(
        "# Titre\n\n**gras** <script>alert(1)</script> [lien](javascript:alert(1))"
        "\n\n<img src=x onerror=alert(1)>"
    )
    assert "<script>" not in html and "onerror" not in html and "<img" not in html
    assert "javascript:" not in html and "<a" not in html
    assert "<strong>gras</strong>" in html
    assert "<h3>Titre</h3>" in html


def test_pdf_and_docx_downloads_are_logged(client, alice, report):
    client.force_login(alice)
    pdf = client.get(reverse("reports:pdf", args=[report.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("reports:docx", args=[report.public_id]) + "?version=1")
    assert docx.status_code == 200
    DocxDocument(io.BytesIO(docx.content))
    events = AccessEvent.objects.filter(object_id=str(report.public_id), action="download")
    assert events.count() == 2
    assert {e.reason for e in events} == {"PDF", "DOCX"}
    assert all(e.case_id == report.case_id for e in events)
