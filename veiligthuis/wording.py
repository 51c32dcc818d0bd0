"""Neutral wording: what a participant may see or receive must not give her away."""

import re

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
