"""The activity report as a PDF (WeasyPrint), from templates/stats/report_pdf.html."""

from pathlib import Path

from django.template.loader import render_to_string

STYLESHEET = Path(__file__).parent / "pdf.css"


def _no_fetch(url, *args, **kwargs):
    # The report embeds nothing from outside: no network, no file system.
    raise ValueError(f"Ressource externe refusée : {url}")


def render_report_pdf(context: dict, request=None) -> bytes:
    import weasyprint  # heavy import, only when a PDF is asked for

    html = render_to_string("stats/report_pdf.html", context, request)
    return weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(STYLESHEET))]
    )
