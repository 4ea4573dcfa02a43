import datetime
from decimal import Decimal, InvalidOperation

from django import template

from relais.policy import rules

register = template.Library()


@register.filter
def frdate(value: str | None) -> str:
    """An ISO date or date-time from the person's file, the French way."""
    if not value:
        return ""
    try:
        if "T" in value:
            moment = datetime.datetime.fromisoformat(value)
            return f"{moment:%d/%m/%Y à %H:%M}"
        return f"{datetime.date.fromisoformat(value):%d/%m/%Y}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def euros(value) -> str:
    """1234.5 → « 1 234,50 € » (empty when there is no amount)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    from relais.reports.prefill import euros as format_euros

    return format_euros(amount)


@register.filter
def markdown(value: str):
    from relais.reports.rendering import markdown_to_html

    return markdown_to_html(value)


@register.simple_tag(takes_context=True)
def case_reports(context, case):
    """The reports of a case the current user may read (for the case page)."""
    from relais.cases.contents import holds
    from relais.reports.selectors import reports_of_case

    user = context["request"].user
    if not rules.has_role(user, rules.CONTENT_ROLES):
        return None
    # The case page already knows whether the user writes in the case, and whether the
    # case has any report.
    can_write = context.get("can_edit")
    if can_write is None:
        can_write = rules.can_write_report(user, case)
    reports = reports_of_case(user, case) if holds(context, "reports") else []
    return {"reports": reports, "can_write": can_write}


@register.simple_tag(takes_context=True)
def person_file_links(context, person):
    """What the person page links to: their documents, and the copy of their file."""
    user = context["request"].user
    if not rules.has_role(user, rules.CONTENT_ROLES):
        return {"documents": False, "copy": False}
    sees = context.get("can_see_situation")
    if sees is None:
        sees = rules.can_see_person_situation(user, person)
    # The person page already knows whether the user writes in one of the person's cases
    # (the same rule as producing their copy).
    copy = context.get("can_edit_situation")
    if copy is None:
        copy = rules.can_export_person_file(user, person)
    return {"documents": sees, "copy": bool(sees and copy)}
