"""PDF output with WeasyPrint: real fonts (DejaVu), page numbers, organisation header and
the professional-secrecy footer, from an HTML template under templates/reports/pdf/."""

from pathlib import Path

import weasyprint
from django.template.loader import render_to_string

STYLESHEET = Path(__file__).parent / "pdf.css"


def _no_fetch(url, *args, **kwargs):
    # Printed documents embed nothing from outside: no network, no file system.
    raise ValueError(f"Ressource externe refusée : {url}")


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(STYLESHEET))]
    )
