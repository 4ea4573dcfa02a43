from django import template

from relais.audit import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def consultations_of(context, subject, limit=selectors.CONSULTATIONS_LIMIT):
    """ "Who consulted this file" for a case or a person; None if the user may not see it."""
    request = context.get("request")
    if request is None or subject is None:
        return None
    return selectors.consultations_of(user=request.user, subject=subject, limit=limit)
