from django import template
from django.template.loader import render_to_string

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


# The HTML of the quick note's fields, by form class and reminder.
_blank_quick_notes: dict[tuple, str] = {}


@register.simple_tag
def quick_note_fields(form, reminder):
    """The fields and button of the case page's quick note. That form is never bound nor
    filled there (a note with errors is shown again by the note's own page), so its HTML
    is the same on every case page: rendered once per process (Django renders a textarea
    and two radio buttons through its widget templates: some 0.3 ms a page)."""
    context = {"quick_note": form, "note_reminder": reminder}
    if form.is_bound or form.initial:
        return render_to_string("cases/includes/quick_note_fields.html", context)
    key = (type(form), reminder)
    found = _blank_quick_notes.get(key)
    if found is None:
        found = render_to_string("cases/includes/quick_note_fields.html", context)
        _blank_quick_notes[key] = found
    return found
