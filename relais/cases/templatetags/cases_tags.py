from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


def _fragment(name: str, context: dict) -> str:
    """A Jinja2 fragment of ``templates/jinja2/`` (why: relais/www/jinja2.py)."""
    html = engines["jinja2"].get_template(name).render(context)
    # Jinja2 escaped every value (autoescape); the result is HTML.
    return mark_safe(html)  # noqa: S308


@register.simple_tag(takes_context=True)
def timeline_entries(context, timeline):
    """The entries of the case page's timeline."""
    return _fragment(
        "cases/timeline_entries.html",
        {
            "entries": timeline.entries,
            "case": context["case"],
            "user": context["user"],
            "can_edit": context.get("can_edit"),
        },
    )


@register.simple_tag
def caseload_rows(cases, today):
    """The rows of the caseload table."""
    return _fragment("cases/caseload_rows.html", {"cases": list(cases), "today": today})
