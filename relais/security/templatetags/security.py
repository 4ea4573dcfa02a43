from django import template

from relais.security import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def break_glass_reads_of_my_cases(context):
    """For the home page include: break-glass reads of the cases of the logged-in referent."""
    request = context.get("request")
    if request is None:
        return []
    return selectors.break_glass_reads_of_my_cases(user=request.user)
