"""A report version as the person and the recipient read it: on screen, in PDF, in DOCX."""

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import html as lxml_html

from relais.reports.models import Report, ReportVersion
from relais.reports.pdf import render_pdf
from relais.reports.rendering import markdown_to_html


@dataclass
class RenderedSection:
    key: str
    title: str
    text: str
    html: SafeString


def rendered_sections(report: Report, version: ReportVersion) -> list[RenderedSection]:
    texts = version.sections
    return [
        RenderedSection(
            key=section["key"],
            title=section["title"],
            text=texts.get(section["key"], ""),
            html=markdown_to_html(texts.get(section["key"], "")),
        )
        for section in report.template.sections
    ]


def output_context(report: Report, version: ReportVersion) -> dict:
    return {
        "report": report,
        "version": version,
        "person": report.case.person,
        "organisation": report.organisation,
        "sections": rendered_sections(report, version),
        "person_opinion_html": markdown_to_html(version.person_opinion),
    }


def report_pdf(report: Report, version: ReportVersion) -> bytes:
    return render_pdf("reports/pdf/report.html", output_context(report, version))


def file_name(report: Report, version: ReportVersion, extension: str) -> str:
    person = report.case.person
    stem = f"{report.get_kind_display()} {person.last_name} v{version.number}"
    safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in stem)
    return f"{'-'.join(safe.split())}.{extension}"


# --- DOCX ----------------------------------------------------------------------------------


def _add_field(run, instruction: str) -> None:
    """A Word field (e.g. PAGE), computed by the word processor when it opens the file."""
    begin, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, end):
        run._r.append(element)


def _add_inline(paragraph, element, bold=False, italic=False) -> None:
    if element.text:
        run = paragraph.add_run(element.text)
        run.bold, run.italic = bold or None, italic or None
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            paragraph.add_run().add_break()
        else:
            _add_inline(
                paragraph,
                child,
                bold=bold or tag == "strong",
                italic=italic or tag == "em",
            )
        if child.tail:
            run = paragraph.add_run(child.tail)
            run.bold, run.italic = bold or None, italic or None


def _add_blocks(document, html: str, list_level: int = 0) -> None:
    """Sanitised HTML (see rendering.py) to Word paragraphs: headings, lists, quotes."""
    if not html.strip():
        return
    for element in lxml_html.fragments_fromstring(html):
        if isinstance(element, str):
            if element.strip():
                document.add_paragraph(element.strip())
            continue
        tag = element.tag
        if tag in {"h3", "h4"}:
            document.add_heading(element.text_content(), level=3)
        elif tag in {"ul", "ol"}:
            style = "List Bullet" if tag == "ul" else "List Number"
            if list_level:
                style += " 2"
            for item in element.findall("li"):
                paragraph = document.add_paragraph(style=style)
                nested = [child for child in item if child.tag in {"ul", "ol"}]
                for child in nested:
                    item.remove(child)
                _add_inline(paragraph, item)
                for child in nested:
                    _add_blocks(document, lxml_html.tostring(child, encoding="unicode"), 1)
        elif tag == "blockquote":
            for child in element:
                paragraph = document.add_paragraph(style="Quote")
                _add_inline(paragraph, child)
        elif tag == "table":
            rows = element.findall(".//tr")
            width = max((len(row) for row in rows), default=0)
            if width:
                table = document.add_table(rows=0, cols=width)
                table.style = "Table Grid"
                for row in rows:
                    cells = table.add_row().cells
                    for index, cell in enumerate(row):
                        cells[index].text = cell.text_content()
        elif tag == "hr":
            document.add_paragraph("—")
        else:
            paragraph = document.add_paragraph()
            _add_inline(paragraph, element)


def report_docx(report: Report, version: ReportVersion) -> bytes:
    context = output_context(report, version)
    organisation, person = report.organisation, report.case.person
    document = DocxDocument()
    styles = document.styles
    styles["Normal"].font.name = "DejaVu Sans"
    styles["Normal"].font.size = Pt(10)

    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{organisation.name} · {report.get_kind_display()}"
    footer = section.footer.paragraphs[0]
    footer.text = "Confidentiel — secret professionnel · page "
    _add_field(footer.add_run(), "PAGE")
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER

    if not version.is_signed:
        document.add_paragraph().add_run(
            f"Projet — version {version.number} non signée : ce document n'est pas finalisé."
        ).bold = True
    document.add_heading(report.title, level=1)
    facts = [("Personne", person.full_name)]
    if person.birth_date:
        facts[0] = ("Personne", f"{person.full_name}, né·e le {person.birth_date:%d/%m/%Y}")
    if report.recipient:
        facts.append(("Destinataire", report.recipient))
    facts.append(("Rédigé par", f"{report.author.display_name}, {organisation.name}"))
    created = timezone.localtime(version.created_at)
    facts.append(("Version", f"{version.number} du {created:%d/%m/%Y}"))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label} : ").bold = True
        paragraph.add_run(value)

    for rendered in context["sections"]:
        document.add_heading(rendered.title, level=2)
        if rendered.text.strip():
            _add_blocks(document, rendered.html)
        else:
            document.add_paragraph("Rien à signaler.")
    if report.template.person_opinion_label:
        document.add_heading(report.template.person_opinion_label, level=2)
        if version.person_opinion.strip():
            _add_blocks(document, context["person_opinion_html"])
        else:
            document.add_paragraph("Non recueilli.")
    if version.amendment_reason:
        document.add_heading("Motif de l'amendement", level=2)
        document.add_paragraph(version.amendment_reason)

    if version.is_signed:
        signed = timezone.localtime(version.signed_at)
        document.add_paragraph(
            f"Signé par {version.signed_by.display_name}, assistant·e de service social, "
            f"le {signed:%d/%m/%Y}."
        )
        if version.read_to_person_on:
            document.add_paragraph(f"Lu à la personne le {version.read_to_person_on:%d/%m/%Y}.")
        if version.copy_given_on:
            document.add_paragraph(
                f"Copie remise à la personne le {version.copy_given_on:%d/%m/%Y}."
            )
    else:
        document.add_paragraph("Non signé.")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
