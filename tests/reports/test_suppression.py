"""Small cells stay hidden: an adversary who subtracts shown figures recovers none of them."""

from hypothesis import given, settings
from hypothesis import strategies as st

from veiligthuis.reports.suppression import MIN_COUNT, Cell, Row, Table, lines, suppress


def recover(tables: list[Table]) -> set[int]:
    """What a reader solves from the shown figures: any line with one unknown, repeatedly."""
    known = {id(c) for t in tables for r in t.all_rows for c in r.cells if not c.is_hidden}
    progress = True
    while progress:
        progress = False
        for table in tables:
            for members, total in lines(table):
                unknown = [c for c in (*members, total) if id(c) not in known]
                if len(unknown) == 1:
                    known.add(id(unknown[0]))
                    progress = True
    return known


def count_table(grid: list[list[int]], total_row: Row | None = None) -> Table:
    rows = [Row(f"r{i}", [Cell(n) for n in r] + [Cell(sum(r))]) for i, r in enumerate(grid)]
    if total_row is None:
        sums = [sum(col) for col in zip(*grid, strict=True)]
        total_row = Row("totaal", [Cell(n) for n in sums] + [Cell(sum(sums))])
    columns = [f"c{j}" for j in range(len(grid[0]))] + ["totaal"]
    return Table("t", "t", "", columns, rows, total_row=total_row, has_total_column=True)


def small_cells(tables):
    return [c for t in tables for r in t.all_rows for c in r.cells if 0 < c.n < MIN_COUNT]


def test_one_small_cell_in_a_row_takes_a_second_with_it():
    table = count_table([[3, 12, 20], [9, 8, 30]])
    suppress([table])
    assert table.rows[0].cells[0].is_hidden and table.rows[0].cells[1].is_hidden
    assert not table.rows[0].cells[3].is_hidden  # the row total itself may stay
    assert not small_cells([table]) or all(c.is_hidden for c in small_cells([table]))
    assert all(id(c) not in recover([table]) for c in small_cells([table]))


def test_hidden_cells_that_add_up_to_a_small_number_take_a_third():
    # Two small cells of 1 and 2 sum to 3 against a shown total: still a small number.
    row = Row("r", [Cell(1), Cell(2), Cell(9), Cell(12), Cell(24)])
    table = Table("t", "t", "", ["a", "b", "c", "d", "totaal"], [row], has_total_column=True)
    suppress([table])
    hidden = [c.n for c in row.cells if c.is_hidden]
    assert sorted(hidden) == [1, 2, 9]


def test_a_figure_shared_by_two_tables_is_hidden_in_both():
    starts = Row("gestart", [Cell(12), Cell(3), Cell(15)])
    first = count_table([[6, 2], [6, 1]], total_row=starts)
    second = count_table([[12, 3]], total_row=starts)
    suppress([first, second])
    assert starts.cells[1].is_hidden and starts.cells[0].is_hidden
    assert all(id(c) not in recover([first, second]) for c in small_cells([first, second]))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(0, 14), min_size=width, max_size=width), min_size=1, max_size=5
        )
    )
)
def test_no_hidden_count_can_be_recomputed(grid):
    table = count_table(grid)
    suppress([table])
    small = small_cells([table])
    assert all(c.is_hidden for c in small)
    known = recover([table])
    assert not [c.n for c in small if id(c) in known]
    hidden = [c for r in table.all_rows for c in r.cells if c.is_hidden]
    assert not [c.n for c in hidden if id(c) in known]


def test_zeros_stay_shown_and_the_complement_is_a_real_figure():
    row = Row("r", [Cell(0), Cell(1), Cell(6), Cell(0), Cell(5), Cell(12)])
    table = Table("t", "t", "", list("abcde") + ["totaal"], [row], has_total_column=True)
    suppress([table])
    assert [c.shown_n for c in row.cells] == [0, None, 6, 0, None, 12]


def test_a_figure_that_betrays_a_hidden_one_is_hidden_with_it():
    starts = Row("gestart", [Cell(9), Cell(3), Cell(12)])
    overview = Table("a", "a", "", ["x", "y", "totaal"], [starts], has_total_column=True)
    wait = Row("wachttijd", [Cell(9, 20.0), Cell(3, 30.0), Cell(12, 22.5)])
    waiting = Table("b", "b", "", ["x", "y", "totaal"], [wait], has_total_column=True)
    waiting.follows = list(zip(starts.cells, wait.cells, strict=True))
    suppress([overview, waiting])
    assert [c.is_hidden for c in starts.cells] == [True, True, False]
    assert [c.is_hidden for c in wait.cells] == [True, True, False]
