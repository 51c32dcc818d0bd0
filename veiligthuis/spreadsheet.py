"""CSV files a coordinator opens in Excel or LibreOffice: one writer for every export.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs (``=HYPERLINK(...)`` in a participant's free answer would become
a live link). Following OWASP's advice on CSV injection, such a cell gets a leading apostrophe,
which the program shows as text and hides.
"""

import csv
import io
from collections.abc import Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet will show it as text, never run it as a formula.

    Numbers stay numbers (a negative count is not a formula); only text is neutralised.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """A semicolon-separated CSV (Dutch Excel's default) in UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
