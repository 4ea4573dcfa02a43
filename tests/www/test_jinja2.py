"""The Jinja2 fragments print values exactly as Django's templates do (relais/www/jinja2.py):
the same HTML whichever engine renders a value."""

import datetime
import decimal
import zoneinfo

import pytest
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import override

VALUES = [
    'Mme O\'Brien <b>gras</b> & "cie"',
    mark_safe("<em>déjà sûr</em>"),
    decimal.Decimal("1234.50"),
    400,
    0.5,
    None,
    True,
    datetime.date(2026, 3, 2),
    datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 7, 14, 9, 5, tzinfo=zoneinfo.ZoneInfo("America/Cayenne")),
    ["a", "<b>"],
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(value)[:30] for value in VALUES])
def test_a_value_prints_as_in_a_django_template(value):
    with override("fr"):
        django_html = engines["django"].from_string("{{ v }}").render({"v": value})
        jinja_html = engines["jinja2"].from_string("{{ v }}").render({"v": value})
    assert jinja_html == django_html


def test_url_is_django_reverse():
    page = engines["jinja2"].from_string("{{ url('cases:detail', 'x') }}")
    with pytest.raises(Exception, match="Reverse"):
        page.render({})
    assert engines["jinja2"].from_string("{{ url('home') }}").render({}) == "/"
