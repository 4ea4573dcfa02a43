"""Markdown written by workers, turned into safe HTML for pages, PDF and DOCX.

Whatever is typed (including raw HTML, scripts, links) comes out as a small set of
harmless tags: nh3 removes the rest.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
}
# Worker headings sit under the section titles (h2): shift them down to stay in order.
HEADING_SHIFT = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h3>", "</h2>": "</h3>"}


def markdown_to_html(text: str) -> SafeString:
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    for old, new in HEADING_SHIFT.items():
        html = html.replace(old, new)
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None))  # noqa: S308
