"""A statistics table as a spreadsheet sheet (CSV / XLSX through relais.exports)."""

from relais.exports.tabular import Sheet
from relais.stats.tables import PERCENT_RULE, SUPPRESSION_MARK, Measure, Table

SUPPRESSION_LEGEND = (
    f"{SUPPRESSION_MARK} : donnée masquée (secret statistique) — elle décrit moins de "
    "{threshold} personnes, ou permettrait de retrouver par différence une donnée masquée."
)


def _header(column) -> str:
    if column.measure == Measure.MINUTES:
        return f"{column.label} (minutes)"
    if column.measure == Measure.MONEY:
        return f"{column.label} (euros)"
    return column.label


def _line(row, table: Table) -> list:
    if row.suppressed:
        values = [SUPPRESSION_MARK] * len(table.columns)
        percent = [SUPPRESSION_MARK] if table.percent_of else []
    else:
        values = [row.values.get(c.key) for c in table.columns]
        percent = [row.percent] if table.percent_of else []
    return [row.label, *values, *percent]


def table_sheet(table: Table, *, context: list[str], threshold: int) -> Sheet:
    header = ["Libellé", *(_header(c) for c in table.columns)]
    if table.percent_of:
        header.append("Part (%)")
    rows = [_line(row, table) for row in table.rows]
    if table.total is not None:
        rows.append(_line(table.total, table))
    notes = [table.title, *context]
    if table.definition:
        notes.append(table.definition)
    if table.percent_of:
        notes.append(PERCENT_RULE)
    if table.masked:
        notes.append(SUPPRESSION_LEGEND.format(threshold=threshold))
    for key, label in (("mean", "Âge moyen"), ("min", "Âge minimum"), ("max", "Âge maximum")):
        if key in table.extra:
            notes.append(f"{label} : {table.extra[key]} ans")
    return Sheet(title=table.title, header=header, rows=rows, notes=notes)
