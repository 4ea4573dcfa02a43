from django import template

from relais.www.jinja2 import fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def timeline_entries(context, timeline):
    """The entries of the case page's timeline."""
    return fragment(
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
    return fragment("cases/caseload_rows.html", {"cases": list(cases), "today": today})
