from django import template

from relais.www.jinja2 import fragment

register = template.Library()

CARD_LISTS = (
    "today",
    "is_worker",
    "today_appointments",
    "overdue_tasks",
    "upcoming_tasks",
    "waiting_requests",
    "caseload_count",
    "caseload",
    "recent_cases",
)


@register.simple_tag(takes_context=True)
def home_cards(context):
    """The cards of the home page: appointments, tasks, requests, caseload (each row links
    somewhere; Jinja2 renders them, see relais/www/jinja2.py)."""
    return fragment("www/home_cards.html", {name: context.get(name) for name in CARD_LISTS})
