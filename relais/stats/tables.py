"""The shape of a statistics table: columns, rows, a real total, percentages.

A table is computed by ``relais.stats.selectors`` (in SQL), then given its percentages
here, then possibly masked by ``relais.stats.suppression``. Pages, exports and the PDF
report all read these objects: one set of numbers, several outputs.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

PERCENT_RULE = (
    "Les pourcentages sont calculés à partir des effectifs, sur le total du tableau, et "
    "arrondis au dixième le plus proche (0,05 est arrondi au dixième supérieur) ; leur somme "
    "peut donc différer légèrement de 100 %."
)
SUPPRESSION_MARK = "s"


class Measure(StrEnum):
    PERSONS = "persons"  # distinct persons
    COUNT = "count"  # things (cases, requests, interventions, aid requests)
    MINUTES = "minutes"  # time spent
    MONEY = "money"  # euros


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    measure: Measure


@dataclass
class Row:
    key: str
    label: str
    values: dict
    # How many distinct persons the row describes: what small-cell suppression looks at.
    persons: int
    unknown: bool = False
    percent: Decimal | None = None
    suppressed: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[Row]
    total: Row | None = None
    definition: str = ""
    # The column whose share of the total is shown as a percentage.
    percent_of: str | None = None
    # True when every counted thing falls in exactly one row, so the rows add up to the
    # total; False when a person may appear in several rows (concerns).
    additive: bool = True
    chart_of: str | None = None
    # False for tables that describe no person (each worker's caseload size).
    suppressible: bool = True
    masked: bool = False  # True once small-cell suppression has been applied
    # Figures shown under the table (mean, minimum and maximum age); "known" is how many
    # persons they are computed from.
    extra: dict = field(default_factory=dict)
    # Extra figures that each describe one person (the youngest, the oldest): never shown
    # once the table is masked.
    single_person_extras: tuple[str, ...] = ()

    @property
    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def fully_suppressed(self) -> bool:
        return self.total is not None and self.total.suppressed

    @property
    def has_suppressed_cells(self) -> bool:
        return any(r.suppressed for r in self.rows) or self.fully_suppressed


def percentage(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded half-up to one decimal."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def with_percentages(table: Table) -> Table:
    if table.percent_of is None or table.total is None:
        return table
    whole = table.total.values[table.percent_of]
    for row in table.rows:
        row.percent = percentage(row.values[table.percent_of], whole)
    table.total.percent = percentage(whole, whole)
    return table


def hours_minutes(minutes: int | None) -> str:
    """185 → "3 h 05"."""
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    return f"{hours} h {rest:02d}"
