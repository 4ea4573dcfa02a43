"""Printable documents with WeasyPrint: HTML templates → PDF, nothing fetched from outside."""

from django.template.loader import render_to_string


def _no_fetch(url, *args, **kwargs):
    # The document is self-contained (styles inline, system fonts): nothing is loaded,
    # so no content typed by a user can make the server fetch a URL.
    raise ValueError(f"Ressource externe refusée : {url}")


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(template, context, request=request)
    return HTML(string=html, url_fetcher=_no_fetch, base_url=None).write_pdf()
