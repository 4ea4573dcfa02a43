from django import template

from relais.policy import rules
from relais.security import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def break_glass_reads_of_my_cases(context):
    """For the home page include: break-glass reads of the cases of the logged-in referent."""
    request = context.get("request")
    if request is None:
        return []
    return selectors.break_glass_reads_of_my_cases(user=request.user)


@register.simple_tag(takes_context=True)
def needs_break_glass(context, case):
    """True when the user may read this case only through a break-glass read."""
    request = context.get("request")
    return request is not None and rules.needs_break_glass(request.user, case)
