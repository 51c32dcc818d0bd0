"""What an editor types for a session plan, cleaned into the values a version stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from veiligthuis.methodiek.content import BREAK_KIND
from veiligthuis.models import DomainError


def normalise_text(text: str | None) -> str:
    """Text from a form: Unix line ends, no trailing spaces, no blank lines around it."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n").strip()


def normalise_line(text: str | None) -> str:
    """One line of text from a form, single spaces."""
    return " ".join((text or "").split())


def normalise_markdown(text: str | None) -> str:
    """A Markdown body from a form: Unix line ends, ending in exactly one newline."""
    body = (text or "").replace("\r\n", "\n").replace("\r", "\n").rstrip()
    return body + "\n" if body else ""


@dataclass
class SessionEdit:
    """What an editor fills in for a session: plain values."""

    title: str
    theme: str = ""
    goals: list[str] = field(default_factory=list)
    #: [{"title", "minutes", "kind"?, "description"}]
    activities: list[dict[str, Any]] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    handouts: list[str] = field(default_factory=list)
    home_practice: str = ""
    culture_notes: str = ""
    low_literacy_notes: str = ""
    body: str = ""


def clean_session_edit(edit: SessionEdit) -> dict[str, Any]:
    """The column values for ``edit``, normalised; refuses what cannot be stored at all."""
    title = normalise_line(edit.title)
    if not title:
        raise DomainError("Vul een titel in.", "title")
    if len(title) > 200:
        raise DomainError("De titel is te lang (hoogstens 200 tekens).", "title")
    theme = normalise_line(edit.theme)
    if len(theme) > 300:
        raise DomainError("Het thema is te lang (hoogstens 300 tekens).", "theme")
    activities = [
        _clean_activity(index, activity) for index, activity in enumerate(edit.activities, start=1)
    ]
    return {
        "title": title,
        "theme": theme,
        "goals": [normalise_line(g) for g in edit.goals if normalise_line(g)],
        "activities": activities,
        "materials": [normalise_line(m) for m in edit.materials if normalise_line(m)],
        "handout_files": list(dict.fromkeys(h for h in edit.handouts if h)),
        "home_practice": normalise_text(edit.home_practice),
        "culture_notes": normalise_text(edit.culture_notes),
        "low_literacy_notes": normalise_text(edit.low_literacy_notes),
        "body": normalise_markdown(edit.body),
    }


def _clean_activity(index: int, activity: dict[str, Any]) -> dict[str, Any]:
    """One work form as stored: a title, 1 to 150 minutes, the break marked, a description."""
    name = normalise_line(activity.get("title"))
    minutes = activity.get("minutes")
    if not name:
        raise DomainError(f"Werkvorm {index} heeft geen titel.", "activities")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 150:
        raise DomainError(
            f"Werkvorm {index} ({name}): vul een aantal minuten in van 1 tot 150.", "activities"
        )
    item: dict[str, Any] = {"title": name, "minutes": minutes}
    if activity.get("kind") == BREAK_KIND:
        item["kind"] = BREAK_KIND
    item["description"] = normalise_text(activity.get("description"))
    return item
