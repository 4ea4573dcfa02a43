from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def timeline_entries(context, timeline):
    """The timeline's entries, rendered by Jinja2 (``templates/jinja2/cases/``; why: see
    relais/www/jinja2.py)."""
    fragment = engines["jinja2"].get_template("cases/timeline_entries.html")
    html = fragment.render(
        {
            "entries": timeline.entries,
            "case": context["case"],
            "user": context["user"],
            "can_edit": context.get("can_edit"),
        }
    )
    # Jinja2 escaped every value (autoescape); the result is HTML.
    return mark_safe(html)  # noqa: S308
