"""Age bands compare the birth date with a constant date instead of computing each age."""

import datetime

import pytest

from relais.stats.selectors import Config, Period, Scope, statistics_tables
from relais.stats.sql import age_in_years, latest_birth_date
from tests import factories

DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "on",
    [
        datetime.date(2024, 2, 29),
        datetime.date(2024, 2, 28),
        datetime.date(2025, 2, 28),
        datetime.date(2025, 3, 1),
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 1),
    ],
)
@pytest.mark.parametrize("age", [0, 1, 19, 20, 21, 120])
def test_the_latest_birth_date_is_where_the_civil_age_reaches_the_band(on, age):
    latest = latest_birth_date(age, on)
    birth = min(latest - 800 * DAY, on)
    while birth <= min(latest + 800 * DAY, on):
        assert (birth <= latest) == (age_in_years(birth, on) >= age), (birth, on, age)
        birth += DAY


def test_no_birth_date_makes_an_age_older_than_the_calendar():
    assert latest_birth_date(2025, datetime.date(2025, 6, 1)) is None
    assert latest_birth_date(2024, datetime.date(2025, 6, 1)) == datetime.date(1, 6, 1)


def test_the_database_puts_a_29_february_birthday_in_the_civil_registers_band(organisation, alice):
    person = factories.PersonFactory(
        organisation=organisation, birth_date=datetime.date(2004, 2, 29)
    )
    factories.CaseFactory(person=person, opened_on=datetime.date(2020, 1, 1))
    config = Config(age_band_starts=(19, 20, 21))
    for day, band in (
        (datetime.date(2024, 2, 28), "19 à 19 ans"),
        (datetime.date(2024, 2, 29), "20 à 20 ans"),
        (datetime.date(2025, 2, 28), "20 à 20 ans"),
        (datetime.date(2025, 3, 1), "21 ans et plus"),
    ):
        scope = Scope(organisation.pk, Period(datetime.date(2024, 1, 1), day))
        table = statistics_tables(scope=scope, config=config, keys=["personnes-age"])
        counts = {row.label: row.values["persons"] for row in table["personnes-age"].rows}
        assert counts == {
            "Moins de 19 ans": 0,
            "19 à 19 ans": 0,
            "20 à 20 ans": 0,
            "21 ans et plus": 0,
            "Non renseigné": 0,
        } | {band: 1}, day
