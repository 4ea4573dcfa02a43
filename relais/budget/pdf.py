"""Printable documents with WeasyPrint: HTML templates → PDF, nothing fetched from outside.

The styles are a file of this app (``pdf_styles/``), handed to WeasyPrint directly: the
templates carry no ``<style>`` (the CSP forbids inline styles in every template), and the
renderer fetches no URL at all.
"""

from pathlib import Path

from django.template.loader import render_to_string

STYLES = Path(__file__).parent / "pdf_styles"


def _no_fetch(url, *args, **kwargs):
    # Nothing is loaded, so no content typed by a user can make the server fetch a URL.
    raise ValueError(f"Ressource externe refusée : {url}")


def render_pdf(template: str, context: dict, *, stylesheet: str, request=None) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(template, context, request=request)
    css = CSS(string=(STYLES / stylesheet).read_text(encoding="utf-8"), url_fetcher=_no_fetch)
    return HTML(string=html, url_fetcher=_no_fetch, base_url=None).write_pdf(stylesheets=[css])
