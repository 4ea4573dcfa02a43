from django import template

from relais.www.jinja2 import fragment

register = template.Library()


@register.simple_tag
def search_rows(persons, pick_url=None):
    """The rows of a person search's results."""
    return fragment("people/search_rows.html", {"persons": persons, "pick_url": pick_url})
