"""``{% fragment "cases/case_header.html" key=value %}``: a Jinja2 fragment of
``templates/jinja2/`` included in a Django template (relais/www/jinja2.py says why).

The fragment receives the whole context of the Django template, with the given keys
added; ``{{ csrf_input }}`` prints the form's CSRF field as ``{% csrf_token %}`` does."""

from django import template
from django.template.defaulttags import CsrfTokenNode

from relais.www.jinja2 import fragment as render_fragment

register = template.Library()


class CsrfInput:
    """The hidden CSRF field, made from the page's token when first printed and then
    reused: Django's Jinja2 ``csrf_input`` masks the token again at every print (32
    random characters, some 25 µs), once per form of a list."""

    def __init__(self, token):
        self.token = token
        self.html = None

    def __html__(self) -> str:
        if self.html is None:
            # Django's own {% csrf_token %} (nothing when the page has no token).
            self.html = CsrfTokenNode().render({"csrf_token": self.token})
        return self.html

    __str__ = __html__


@register.simple_tag(takes_context=True)
def fragment(context, name: str, **extra):
    values = context.flatten()
    values.update(extra)
    values["csrf_input"] = CsrfInput(values.get("csrf_token"))
    return render_fragment(name, values)
