"""Bar charts of the statistics page (relais/stats/charts.py)."""

from relais.stats.charts import MAX_BARS, bar_chart
from relais.stats.tables import Column, Measure, Row, Table

COUNT = Column("count", "Personnes", Measure.COUNT)


def table(n: int, *, suppressed=()) -> Table:
    rows = [
        Row(f"e{i}", f"Employeur {i}", {"count": i}, persons=i, suppressed=i in suppressed)
        for i in range(1, n + 1)
    ]
    return Table(
        "personnes-employeur", "Personnes, par employeur", (COUNT,), rows, chart_of="count"
    )


def test_a_short_table_is_charted_row_by_row_in_its_order():
    chart = bar_chart(table(5))
    assert [bar.label for bar in chart.bars] == [f"Employeur {i}" for i in range(1, 6)]
    assert chart.title == "Personnes, par employeur"


def test_a_long_table_is_charted_by_its_largest_rows_and_says_so():
    chart = bar_chart(table(287, suppressed={287, 286}))
    assert len(chart.bars) == MAX_BARS
    # The largest visible rows, largest first; masked rows never rank.
    assert [bar.label for bar in chart.bars] == [
        f"Employeur {i}" for i in range(285, 285 - MAX_BARS, -1)
    ]
    assert chart.title == f"Personnes, par employeur : les {MAX_BARS} plus grandes lignes sur 287"
    assert "toutes les lignes sont dans le tableau" in chart.description
    assert chart.height < 1000
