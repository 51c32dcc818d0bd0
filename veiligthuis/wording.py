"""Neutral wording: what a participant may see or receive must not give her away; and the
few phrases every page writes the same way (plurals, dates)."""

import re
from datetime import date

from babel.dates import format_date

#: words that reveal what the group is about or who runs it
SENSITIVE_WORDS = (
    "geweld",
    "huiselijk",
    "veilig thuis",
    "amw",
    "maatschappelijk werk",
    "mishandeling",
    "misbruik",
    "slachtoffer",
    "violence",
    "abuse",
)

_PATTERN = re.compile(
    "|".join(r"\b" + re.escape(word) for word in SENSITIVE_WORDS), flags=re.IGNORECASE
)


def find_sensitive_words(text: str) -> list[str]:
    """The sensitive words in ``text`` (lower-cased), in order of appearance."""
    return [match.group(0).lower() for match in _PATTERN.finditer(text or "")]


def plural(count: int, singular: str, many: str) -> str:
    """``count`` with the right Dutch noun: "1 wijziging", "3 wijzigingen"."""
    return f"{count} {singular if count == 1 else many}"


def day_nl(day: date) -> str:
    """A date as every staff page writes it: "maandag 27 april 2026"."""
    return format_date(day, "EEEE d MMMM y", locale="nl")
