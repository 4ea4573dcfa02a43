"""Small-cell suppression: no masked cell can be found again from totals and differences."""

import itertools
import random
from decimal import Decimal

from relais.stats.suppression import suppress
from relais.stats.tables import Column, Measure, Row, Table, percentage, with_percentages

THRESHOLD = 5


def make_table(counts, *, total=True, additive=True):
    rows = [Row(f"r{i}", f"Ligne {i}", {"persons": n}, n) for i, n in enumerate(counts)]
    total_row = Row("total", "Total", {"persons": sum(counts)}, sum(counts)) if total else None
    return with_percentages(
        Table(
            "t",
            "Tableau",
            (Column("persons", "Personnes", Measure.PERSONS),),
            rows,
            total_row,
            percent_of="persons" if total else None,
            additive=additive,
        )
    )


def shown(table):
    return [None if r.suppressed else r.values["persons"] for r in table.rows]


def test_it_masks_a_small_cell_and_the_next_smallest_so_the_total_does_not_give_it_away():
    # 10 + 8 + 2 = 20. Masking 2 alone: 20 - 10 - 8 = 2. Masking 8 too: 2 + 8 = 10, and
    # the small one can be anything from 1 to 9.
    table = suppress(make_table([10, 8, 2]), THRESHOLD)
    assert shown(table) == [10, None, None]
    assert table.total.values["persons"] == 20 and not table.total.suppressed
    assert [r.percent for r in table.rows] == [Decimal("50.0"), None, None]


def test_two_small_cells_that_add_up_to_little_take_a_third_with_them():
    # 1 + 1 + 30 = 32. Masking the two 1s only: 32 - 30 = 2 = 1 + 1, both found again.
    table = suppress(make_table([1, 1, 30]), THRESHOLD)
    assert shown(table) == [None, None, None]
    assert not table.total.suppressed


def test_empty_rows_stay_visible_and_are_not_used_to_hide_others():
    table = suppress(make_table([3, 0, 12, 9]), THRESHOLD)
    assert shown(table) == [None, 0, 12, None]


def test_a_table_about_fewer_than_five_persons_is_masked_whole():
    table = suppress(make_table([2, 2]), THRESHOLD)
    assert shown(table) == [None, None]
    assert table.total.suppressed
    assert table.fully_suppressed


def test_when_every_row_is_small_the_total_is_masked_too():
    # 5 persons in 5 rows of 1: the total 5 = five masked rows of at least 1 each.
    table = suppress(make_table([1, 1, 1, 1, 1]), THRESHOLD)
    assert table.fully_suppressed


def test_a_table_without_total_masks_its_small_cells_only():
    table = suppress(make_table([2, 7], total=False), THRESHOLD)
    assert shown(table) == [None, 7]


def test_nothing_is_masked_when_no_cell_is_small():
    table = suppress(make_table([5, 0, 12]), THRESHOLD)
    assert shown(table) == [5, 0, 12]
    assert not table.has_suppressed_cells


def test_the_youngest_and_oldest_ages_are_never_shown_once_masked():
    table = make_table([6, 7])
    table.extra = {"known": 13, "mean": Decimal("40.2"), "min": 19, "max": 63}
    table.single_person_extras = ("min", "max")
    assert suppress(table, THRESHOLD).extra == {"mean": Decimal("40.2")}
    table.extra = {"known": 4, "mean": Decimal("40.2"), "min": 19, "max": 63}
    assert suppress(table, THRESHOLD).extra == {}


def _feasible_values(table, index):
    """Every value the masked row ``index`` can take, for a reader who sees the total and
    the visible rows and knows that a masked row holds at least one person."""
    hidden = [i for i, r in enumerate(table.rows) if r.suppressed]
    rest = table.total.values["persons"] - sum(
        r.values["persons"] for r in table.rows if not r.suppressed
    )
    others = len(hidden) - 1
    return set(range(1, rest - others + 1)) if rest - others >= 1 else set()


def test_no_masked_small_cell_can_be_narrowed_below_the_whole_small_range():
    generator = random.Random(2026)
    for _ in range(3000):
        counts = [generator.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _ in range(6)]
        table = suppress(make_table(counts), THRESHOLD)
        if table.fully_suppressed:
            assert sum(counts) < THRESHOLD or all(c < THRESHOLD for c in counts)
            continue
        for i, row in enumerate(table.rows):
            small = 0 < counts[i] < THRESHOLD
            if small:
                assert row.suppressed, counts
                feasible = _feasible_values(table, i)
                # The reader learns nothing beyond "small": every value 1..4 stays possible.
                assert set(range(1, THRESHOLD)) <= feasible, (counts, shown(table))
            if row.suppressed:
                assert counts[i] > 0


def test_two_masked_cells_cannot_be_split_by_subtracting_from_the_total():
    # Every way to fill the masked cells that is consistent with what is shown must leave
    # more than one value for each masked small cell.
    for counts in itertools.product([0, 1, 3, 6, 20], repeat=3):
        table = suppress(make_table(list(counts)), THRESHOLD)
        if table.fully_suppressed or not table.has_suppressed_cells:
            continue
        hidden = [i for i, r in enumerate(table.rows) if r.suppressed]
        rest = table.total.values["persons"] - sum(
            r.values["persons"] for r in table.rows if not r.suppressed
        )
        solutions = [
            values
            for values in itertools.product(range(1, rest + 1), repeat=len(hidden))
            if sum(values) == rest
        ]
        for position, i in enumerate(hidden):
            if 0 < counts[i] < THRESHOLD:
                assert len({s[position] for s in solutions}) > 1, counts


def test_percentages_round_half_up_to_one_decimal():
    assert percentage(1, 16) == Decimal("6.3")  # 6.25
    assert percentage(1, 80) == Decimal("1.3")  # 1.25
    assert percentage(1, 3) == Decimal("33.3")
    assert percentage(2, 3) == Decimal("66.7")
    assert percentage(0, 3) == Decimal("0.0")
    assert percentage(3, 0) is None
