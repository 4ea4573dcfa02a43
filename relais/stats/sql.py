"""SQL pieces that must give the same answer on SQLite and PostgreSQL.

Age in completed years is computed the way civil registers do it: write both dates as
the number yyyymmdd, subtract, divide by 10,000 and drop the remainder. It gives the same
result as comparing (month, day) — a person born on 29 February becomes a year older on
1 March in common years — and needs no date arithmetic, which SQLite and PostgreSQL do
differently (SQLite has no date type; Django computes its date parts in Python).
"""

import datetime

from django.db.models import ExpressionWrapper, F, Func, IntegerField, Value


class DateAsNumber(Func):
    """A date column as the integer yyyymmdd."""

    arity = 1
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        template = (
            "(EXTRACT(YEAR FROM %(expressions)s) * 10000"
            " + EXTRACT(MONTH FROM %(expressions)s) * 100"
            " + EXTRACT(DAY FROM %(expressions)s))"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite stores a date as the text "YYYY-MM-DD".
        template = "CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "CAST(TO_CHAR(%(expressions)s, 'YYYYMMDD') AS INTEGER)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def date_number(day: datetime.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def age_in_years(birth_date: datetime.date, on: datetime.date) -> int:
    """The Python twin of ``age_on``."""
    return (date_number(on) - date_number(birth_date)) // 10000


def latest_birth_date(age: int, on: datetime.date) -> datetime.date | None:
    """The last birth date of someone at least ``age`` years old on ``on``.

    ``age_in_years(birth_date, on) >= age`` exactly when ``birth_date <=`` this date, so
    age bands compare the stored date with a constant instead of computing every person's
    age once per band. Born on 29 February of a common year does not exist: 28 February is
    the last such day. None when no date qualifies (before year 1).
    """
    year = on.year - age
    if year < datetime.MINYEAR:
        return None
    try:
        return on.replace(year=year)
    except ValueError:  # on is 29 February, year is a common year
        return datetime.date(year, 2, 28)


def age_on(field: str, on: datetime.date) -> ExpressionWrapper:
    """Age in completed years on ``on`` of the date in ``field`` (integer division)."""
    return ExpressionWrapper(
        (Value(date_number(on)) - DateAsNumber(F(field))) / Value(10000),
        output_field=IntegerField(),
    )
