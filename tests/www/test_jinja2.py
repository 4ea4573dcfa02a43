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


def test_url_of_uuids_is_what_reverse_gives():
    import uuid

    from django.urls import reverse

    ids = [uuid.uuid4(), uuid.uuid4()]
    page = engines["jinja2"].from_string(
        "{{ url('cases:detail', a) }} {{ url('cases:note_edit', a, b) }}"
    )
    for _ in range(2):  # the second call fills the shape kept by the first
        assert page.render({"a": ids[0], "b": ids[1]}) == " ".join(
            [
                reverse("cases:detail", args=[ids[0]]),
                reverse("cases:note_edit", args=ids),
            ]
        )
        ids.reverse()


@pytest.mark.parametrize("status", ["open", "active", "closed", "unknown-value"])
def test_display_is_the_model_s_own_label(status):
    from relais.cases.models import Case

    case = Case(status=status)
    with override("fr"):
        shown = engines["jinja2"].from_string('{{ display(c, "status") }}').render({"c": case})
        assert shown == str(case.get_status_display())
