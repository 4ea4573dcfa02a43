from django import template

from relais.audit import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def consultations_of(context, subject, limit=selectors.CONSULTATIONS_LIMIT):
    """ "Who consulted this file" for a case or a person; None if the user may not see it."""
    request = context.get("request")
    if request is None or subject is None:
        return None
    events = selectors.consultations_of(user=request.user, subject=subject, limit=limit)
    for event in events or ():
        # The reader's role, "" for an account without a membership (or deleted).
        membership = getattr(event.user, "membership", None) if event.user else None
        event.reader_role = membership.get_role_display() if membership else ""
    return events
