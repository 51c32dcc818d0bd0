"""The report as files: a zip of CSV tables with a README, and the data behind the PDF."""

import io
import zipfile

from veiligthuis.reports.service import Report
from veiligthuis.reports.suppression import (
    HIDDEN_MARK,
    MIN_COUNT,
    Table,
    format_change,
    format_count,
    format_mean,
)
from veiligthuis.spreadsheet import csv_bytes


def table_rows(table: Table) -> tuple[list[str], list[list[str]]]:
    """Header and rows of one table as shown: hidden figures carry the hidden mark."""
    if table.is_mean:
        header = ["rij"] + [f"{c} {part}" for c in table.columns for part in ("n", "gemiddelde")]
    else:
        header = ["rij", *table.columns]
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            cells.append(format_count(cell))
            if table.is_mean:
                cells.append(format_mean(cell))
        rows.append([row.label, *cells])
    for pair in table.change_pairs:
        label = f"verandering: {table.rows[pair[1]].label} min {table.rows[pair[0]].label}"
        changes = []
        for j in range(len(table.columns)):
            changes += ["", format_change(table.change(pair, j))]
        rows.append([label, *changes])
    if table.total_row is not None:
        rows.append([table.total_row.label, *(format_count(c) for c in table.total_row.cells)])
    return header, rows


def chart_widths(table: Table) -> list[float | None]:
    """Per row the bar of its last column, in percent of the largest; None where hidden or empty."""
    values = [
        None
        if row.cells[-1].is_hidden
        else (row.cells[-1].mean if table.is_mean else float(row.cells[-1].n))
        for row in table.rows
    ]
    top = max((v for v in values if v is not None), default=0.0)
    return [None if v is None or not top else round(100 * v / top, 1) for v in values]


def _readme(report: Report, period: str) -> str:
    lines = [
        f"Jaarverslag, groepen begonnen in {period}",
        "",
        "Anoniem: geen namen, codes of datums; alleen aantallen en gemiddelden over groepen.",
        f"{HIDDEN_MARK} = verborgen: een aantal van 1 tot en met {MIN_COUNT - 1}, of een cijfer waarmee zo'n "
        "aantal terug te rekenen zou zijn.",
        "Getallen met een komma zijn gemiddelden; n is het aantal vrouwen of antwoorden erachter.",
        "Kolommen: 'rij' is wat er geteld is; daarna één kolom per "
        + ("jaar of locatie en 'totaal'." if len(report.columns) > 1 else "periode ('totaal').")
        + " Bij gemiddelden staan per kolom n en gemiddelde naast elkaar.",
        "",
        "groepen.csv: de groepen in dit verslag (locatie en maand van de start).",
    ]
    for table in report.tables:
        lines += ["", f"{table.key}.csv: {table.title}", f"  {table.how}"]
        lines += [f"  {note}" for note in table.notes]
    return "\n".join(lines) + "\n"


def csv_zip(report: Report, period: str) -> bytes:
    """One CSV per table, the included groups and a README, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(report, period))
        archive.writestr(
            "groepen.csv",
            csv_bytes(
                ["locatie", "gestart (maand)", "kolom"],
                (
                    [g.location, g.month.strftime("%Y-%m"), report.columns[g.column]]
                    for g in report.groups
                ),
            ),
        )
        for table in report.tables:
            header, rows = table_rows(table)
            archive.writestr(f"{table.key}.csv", csv_bytes(header, rows))
    return buffer.getvalue()
