"""The ``date`` filter of relais/www/templatetags/dates.py gives Django's text, faster."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from relais.www.templatetags.dates import NUMERIC_FORMATS

UTC = datetime.UTC
PARIS = zoneinfo.ZoneInfo("Europe/Paris")

VALUES = [
    datetime.date(2026, 11, 25),
    datetime.date(1931, 1, 5),
    datetime.date(999, 12, 31),  # Django pads the year, strftime does not: Django's filter
    datetime.datetime(2026, 11, 25, 9, 5, 7),  # naive
    datetime.datetime(2026, 11, 25, 23, 30, tzinfo=UTC),  # the next day in Paris
    datetime.datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC),  # before the spring change
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # after it
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the autumn change
    datetime.datetime(2026, 7, 14, 8, 0, tzinfo=PARIS),
    None,
    "",
    "pas une date",
]


@pytest.mark.parametrize("fmt", [*NUMERIC_FORMATS, "c", "j F Y", "l d/m/Y à H:i"])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_page_shows_what_django_s_date_filter_shows(fmt, value):
    page = engines["django"].from_string("{{ value|date:fmt }}")
    local = timezone.template_localtime(value) if isinstance(value, datetime.datetime) else value
    try:
        expected = django_date(local, fmt)
    except TypeError:  # a time format for a plain date: Django refuses it, and so do we
        with pytest.raises(TypeError):
            page.render({"value": value, "fmt": fmt})
        return
    assert page.render({"value": value, "fmt": fmt}) == expected


def test_the_faster_filter_is_the_one_templates_use():
    from relais.www.templatetags import dates

    engine = engines["django"].engine
    assert any(lib.filters.get("date") is dates.date for lib in engine.template_builtins)
