"""Small-cell suppression ("secret statistique") with secondary suppression.

Primary: a row describing between 1 and ``threshold - 1`` persons is masked.

Secondary: a table shows its real total, so a single masked row could be found again by
subtracting the visible rows from the total. Whenever a row is masked, more rows are
masked (the smallest non-empty ones first) until:

- at least two rows are masked, and
- the masked rows together describe at least ``k + threshold - 2`` persons (``k`` masked
  rows).

A reader who knows the total and the visible rows learns only the sum S of the masked
rows, and that each masked row is at least 1; so a masked row can be anything from 1 to
S - (k - 1) ≥ threshold - 1: the whole range of a small cell. When even masking every
non-empty row cannot reach that, the total is masked too (the table says only that it
describes too few persons).

Figures under a table that describe one person (the youngest and oldest ages) are not
shown once a table is masked; a mean is shown only over at least ``threshold`` persons.

Empty rows (0) stay visible: they say that nobody is in the row, which identifies no one.
In tables where a person may appear in several rows (concerns), rows do not add up to the
total; the same rule is applied anyway, which is stricter than needed.
"""

from dataclasses import replace

from relais.stats.tables import Table


def _masked(row):
    return replace(row, suppressed=True, percent=None)


def suppress(table: Table, threshold: int) -> Table:
    """A copy of the table with small cells (and the cells that would reveal them) masked."""
    if not table.suppressible:
        return table
    rows = list(table.rows)
    total = table.total
    if total is not None and 0 < total.persons < threshold:
        return replace(
            table, rows=[_masked(r) for r in rows], total=_masked(total), masked=True, extra={}
        )
    hidden = {i for i, row in enumerate(rows) if 0 < row.persons < threshold}
    if hidden and total is not None:
        while not _protected(rows, hidden, threshold):
            candidates = [i for i, r in enumerate(rows) if i not in hidden and r.persons > 0]
            if not candidates:
                return replace(
                    table,
                    rows=[_masked(r) for r in rows],
                    total=_masked(total),
                    masked=True,
                    extra={},
                )
            hidden.add(min(candidates, key=lambda i: (rows[i].persons, i)))
    return replace(
        table,
        rows=[_masked(r) if i in hidden else r for i, r in enumerate(rows)],
        masked=True,
        extra=_safe_extra(table, threshold),
    )


def _safe_extra(table: Table, threshold: int) -> dict:
    if table.extra.get("known", 0) < threshold:
        # A mean over fewer persons than the threshold says too much about each of them.
        return {}
    # "known" itself is dropped: total minus "known" would give the masked "unknown" row.
    hidden = {"known", *table.single_person_extras}
    return {k: v for k, v in table.extra.items() if k not in hidden}


def _protected(rows, hidden: set[int], threshold: int) -> bool:
    k = len(hidden)
    persons = sum(rows[i].persons for i in hidden)
    return k >= 2 and persons >= k + threshold - 2
