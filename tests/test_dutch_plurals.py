"""Issue 13, item 10: no "bijeenkomst(en)" or "poging(en)" on any staff page: every count is
written in the singular or the plural as a person would."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "veiligthuis"
#: a word with its plural ending in brackets: "woord(en)", "deelnemer(s)", "adres(sen)",
#: "nieuw(e)" (not a call: "f(s) }}")
BRACKETED_PLURAL = re.compile(r"\w\((en|s|sen|e)\)(?!\s*(\}\}|\)))")


def test_no_page_or_message_writes_a_plural_in_brackets():
    found = []
    for path in [*ROOT.rglob("*.html"), *ROOT.rglob("*.py")]:
        if path.name == "cli.py":  # the operator's terminal, not a page
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if BRACKETED_PLURAL.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
