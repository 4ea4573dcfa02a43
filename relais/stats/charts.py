"""Horizontal bar charts as SVG, drawn on the server (no script, no chart library).

Readable without colour: every bar carries its label and value in text; rows whose value
is "not recorded" are hatched; masked rows have no bar and say so. The SVG has a title and
a description that lists the values, for screen readers.
"""

from dataclasses import dataclass

from relais.stats.formatting import format_measure, format_percent
from relais.stats.tables import Table

WIDTH = 560
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
ROW_GAP = 10
BAR_MAX = 400
TOP = 8
# A longer table (one row per employer, per partner) is charted by its largest rows only:
# 287 bars made a chart 15,000 pixels high that nobody reads, and half of the page's
# weight. The table below the chart keeps every row.
MAX_BARS = 20


@dataclass
class Bar:
    label: str
    value_text: str
    label_y: int
    bar_y: int
    width: float
    unknown: bool
    suppressed: bool

    @property
    def value_x(self) -> float:
        return self.width + 6


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]


def bar_chart(table: Table) -> Chart | None:
    """The chart of ``table.chart_of``, or None when there is nothing to draw."""
    if table.chart_of is None or table.fully_suppressed or not table.rows:
        return None
    column = next(c for c in table.columns if c.key == table.chart_of)
    visible = [r.values[column.key] for r in table.rows if not r.suppressed]
    largest = max(visible, default=0)
    if not largest:
        return None  # nothing but zeros and masked rows: the table says it all
    rows, title = table.rows, table.title
    if len(rows) > MAX_BARS:
        # Masked rows never rank: their order would tell something about their value.
        ranked = sorted(
            (r for r in rows if not r.suppressed), key=lambda r: r.values[column.key], reverse=True
        )
        rows = ranked[:MAX_BARS]
        title = f"{table.title} : les {len(rows)} plus grandes lignes sur {len(table.rows)}"
    bars, parts = [], []
    y = TOP
    for row in rows:
        if row.suppressed:
            text = "s (donnée masquée)"
            width = 0.0
        else:
            value = row.values[column.key]
            text = format_measure(value, column.measure)
            if row.percent is not None:
                text += f" ({format_percent(row.percent)})"
            width = (BAR_MAX * value / largest) if largest else 0.0
        parts.append(f"{row.label} : {text}")
        bars.append(
            Bar(
                label=row.label,
                value_text=text,
                label_y=y + 14,
                bar_y=y + LABEL_HEIGHT,
                width=round(width, 1),
                unknown=row.unknown,
                suppressed=row.suppressed,
            )
        )
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    description = f"Diagramme en barres, {column.label.lower()} par ligne : " + " ; ".join(parts)
    if rows is not table.rows:
        description += " (toutes les lignes sont dans le tableau)"
    return Chart(
        id=f"graphique-{table.key}",
        title=title,
        description=description + ".",
        width=WIDTH,
        height=y + TOP,
        bars=bars,
    )
