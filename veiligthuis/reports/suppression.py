"""The one rule for small numbers beyond the group, for page, CSV and PDF alike.

A figure is a ``Cell``: a count, or a mean with the number of answers behind it. A cell whose
count is one to four is hidden (primary suppression). A zero is shown: it describes nobody, and
hiding it would only force other figures to be hidden with it. A hidden cell must not come back by
subtraction: wherever figures add up to a total shown (a row with its total column, a column
with its total row, the same figure shared by two tables), one hidden figure alone is solvable,
and so are hidden figures that together are a small number. ``suppress`` then hides the
smallest other figure of that line too (complementary suppression), until no line gives a
hidden figure away. Tables that show the same figure share the same ``Cell`` object, so a figure
hidden in one table is hidden in every table.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

#: beyond a single group, counts under this are not shown
MIN_COUNT = 5
#: what a hidden figure shows (Statistics Netherlands' sign for "confidential")
HIDDEN_MARK = "x"


@dataclass(eq=False)
class Cell:
    """A count (``mean`` None), or a mean over ``n`` answers."""

    n: int
    mean: float | None = None
    is_hidden: bool = False
    #: a figure about the organisation's own work (referrers informed, partners), never about
    #: women: always shown, and never hidden to protect another figure
    is_public: bool = False

    @property
    def shown_n(self) -> int | None:
        """The count as it may be shown, or None when hidden."""
        return None if self.is_hidden else self.n

    @property
    def shown_mean(self) -> float | None:
        """The mean as it may be shown, or None when hidden or empty."""
        return None if self.is_hidden else self.mean


@dataclass(eq=False)
class Row:
    label: str
    cells: list[Cell]


@dataclass(eq=False)
class Table:
    """Rows of cells under ``columns``; ``how`` says how the figures are computed.

    With ``has_total_column`` the last column of every row is the sum of the others (for means:
    the pooled mean, over the summed n). ``total_row`` is the sum of the rows, column by column.
    """

    key: str
    title: str
    how: str
    columns: list[str]
    rows: list[Row]
    total_row: Row | None = None
    has_total_column: bool = False
    is_mean: bool = False
    #: (before row, after row) pairs of a mean table; their change is shown where both are
    change_pairs: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: (leader, follower): a figure that would betray the leader's value, such as the n of the
    #: waiting time, which is close to the number of starts; hidden whenever the leader is
    follows: list[tuple[Cell, Cell]] = field(default_factory=list)

    @property
    def all_rows(self) -> list[Row]:
        return self.rows + ([self.total_row] if self.total_row else [])

    def change(self, pair: tuple[int, int], column: int) -> float | None:
        """After minus before in ``column``, or None if either is hidden or empty."""
        before, after = (self.rows[i].cells[column] for i in pair)
        if before.shown_mean is None or after.shown_mean is None:
            return None
        return after.shown_mean - before.shown_mean


def lines(table: Table) -> Iterator[tuple[list[Cell], Cell]]:
    """Every (members, total) of ``table`` for which the members add up to the total."""
    if table.has_total_column and len(table.columns) > 1:
        for row in table.all_rows:
            yield row.cells[:-1], row.cells[-1]
    if table.total_row is not None:
        for j, total in enumerate(table.total_row.cells):
            yield [row.cells[j] for row in table.rows], total


def _gives_away(members: list[Cell], total: Cell) -> bool:
    hidden = [c for c in (*members, total) if c.is_hidden]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    # With the total shown, the hidden members' sum is known: it must not be a small number.
    hidden_sum = sum(c.n for c in members if c.is_hidden)
    return not total.is_hidden and 0 < hidden_sum < MIN_COUNT


def _complement(members: list[Cell], total: Cell) -> Cell | None:
    # A hidden zero would add little: the small sum would still be known. Prefer real figures.
    shown = sorted(
        (c for c in members if not c.is_hidden and not c.is_public), key=lambda c: (c.n == 0, c.n)
    )
    if shown:
        return shown[0]
    return None if total.is_hidden or total.is_public else total


def suppress(tables: Iterable[Table]) -> None:
    """Hide small figures, and enough others that none can be recomputed, in all ``tables``."""
    tables = list(tables)
    for table in tables:
        for row in table.all_rows:
            for cell in row.cells:
                if 0 < cell.n < MIN_COUNT and not cell.is_public:
                    cell.is_hidden = True
    changed = True
    while changed:
        changed = False
        for table in tables:
            for leader, follower in table.follows:
                if leader.is_hidden and not follower.is_hidden:
                    follower.is_hidden = changed = True
            for members, total in lines(table):
                if _gives_away(members, total):
                    pick = _complement(members, total)
                    if pick is not None:
                        pick.is_hidden = True
                        changed = True


def format_count(cell: Cell) -> str:
    """A count for a page, PDF or CSV: the number, or the hidden mark."""
    return HIDDEN_MARK if cell.is_hidden else str(cell.n)


def format_mean(cell: Cell, digits: int = 1) -> str:
    """A mean in Dutch notation, the hidden mark, or a dash when there are no answers."""
    if cell.is_hidden:
        return HIDDEN_MARK
    if cell.mean is None:
        return "—"
    return f"{cell.mean:.{digits}f}".replace(".", ",")


def format_change(value: float | None) -> str:
    """A change in Dutch notation with its sign, or a dash."""
    return "—" if value is None else f"{value:+.1f}".replace(".", ",")
