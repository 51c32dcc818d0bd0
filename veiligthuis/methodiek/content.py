"""The shape of a methodiek: its files, limits, and the ``Content`` read from files or a version.

The format is described in methodiek/README.md; ``loader`` reads it and ``checks`` applies
the method's rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from veiligthuis.methodiek.models import LANGUAGES

SESSION_COUNT = 12
SESSION_MINUTES = 150
BREAK_KIND = "pauze"
ACTIVITY_KINDS = ("werkvorm", BREAK_KIND)

META_FILE = "methodiek.yaml"
SESSIONS_DIR = "sessies"
HANDOUTS_DIR = "bijlagen"
EVALUATION_DIR = "evaluatie"
FOLDER_DOCUMENT = "werving/folder.md"
REFERRERS_DOCUMENT = "werving/verwijzers.yaml"
REFERRER_KEYS = ("kind", "label", "why")

SESSION_FILE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HANDOUT_FILE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
DOCUMENT_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")

META_KEYS = ("title", "version", "description")
#: optional whole numbers in methodiek.yaml for a programme other than the women's group:
#: its number of meetings and their minutes (absent: 12 and 150)
META_NUMBER_KEYS = {"sessions": (1, 52), "minutes": (15, 480)}
SESSION_KEYS = (
    "number",
    "title",
    "theme",
    "aligned_with",
    "goals",
    "activities",
    "materials",
    "handouts",
    "home_practice",
    "culture_notes",
    "low_literacy_notes",
)
ACTIVITY_KEYS = ("title", "minutes", "kind", "description")
QUESTION_SET_KEYS = ("set", "title", "intro", "source", "scales", "questions")
QUESTION_KEYS = ("id", "type", "scale", "reverse", "group", "text")
QUESTION_TYPES = ("scale", "text")
OPTION_KEYS = ("value", "face", *LANGUAGES)
#: every question set is shown to participants on their phone: wording must be neutral
NEUTRAL_SETS = ("sessie", "afsluiting", "voor-na")
#: the Pearlin Mastery Scale in voor-na: item id -> reverse-coded (so a higher sum = more mastery)
PEARLIN_ITEMS = {
    "pm1": True,
    "pm2": True,
    "pm3": True,
    "pm4": False,
    "pm5": True,
    "pm6": False,
    "pm7": True,
}
QUESTION_GROUPS = ("pearlin", "eigen")
Path_ = tuple[Any, ...]


@dataclass
class Problem:
    """One thing wrong with the material, at a file and (when known) a line."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class SessionContent:
    """One session plan as in its file: front matter fields and the Markdown body."""

    number: int
    slug: str
    title: str = ""
    theme: str = ""
    #: the women's-group session on the same theme: an aligned group meets in its week
    aligned_with: int | None = None
    goals: list[str] = field(default_factory=list)
    #: [{"title", "minutes", "kind"?, "description"}]
    activities: list[dict[str, Any]] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    handouts: list[str] = field(default_factory=list)
    home_practice: str = ""
    culture_notes: str = ""
    low_literacy_notes: str = ""
    body: str = ""
    #: the file it came from; None when built from the database
    source: str | None = None

    @property
    def path(self) -> str:
        """The file of this session, relative to the methodiek folder."""
        return self.source or session_path(self.number, self.slug)

    @property
    def total_minutes(self) -> int:
        """The minutes of all work forms, the break included."""
        return sum(a["minutes"] for a in self.activities if is_int(a.get("minutes")))

    def front_matter(self) -> dict[str, Any]:
        """The YAML front matter, keys in the documented order."""
        aligned = {} if self.aligned_with is None else {"aligned_with": self.aligned_with}
        return {
            "number": self.number,
            "title": self.title,
            "theme": self.theme,
            **aligned,
            "goals": list(self.goals),
            "activities": [canonical_activity(a) for a in self.activities],
            "materials": list(self.materials),
            "handouts": list(self.handouts),
            "home_practice": self.home_practice,
            "culture_notes": self.culture_notes,
            "low_literacy_notes": self.low_literacy_notes,
        }


@dataclass
class Content:
    """A whole methodiek: what a folder holds and what a version stores."""

    meta: dict[str, str] = field(default_factory=dict)
    #: the programme's number of meetings and their length, which the sessions must fill
    session_count: int = SESSION_COUNT
    session_minutes: int = SESSION_MINUTES
    sessions: list[SessionContent] = field(default_factory=list)
    #: file name (in bijlagen/) -> Markdown
    handouts: dict[str, str] = field(default_factory=dict)
    #: kind (sessie, afsluiting, voor-na) -> the set as in its YAML file
    question_sets: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: path -> text, for every other file (recruitment material, README.md, ...)
    documents: dict[str, str] = field(default_factory=dict)
    #: file -> {key path: line number}, filled when read from files
    lines: dict[str, dict[Path_, int]] = field(default_factory=dict)
    #: files that could not be read (bad YAML): their problem is reported, not its echoes
    unreadable: set[str] = field(default_factory=set)

    def line(self, file: str, *path: Any) -> int | None:
        """The line of ``path`` in ``file`` or of its nearest enclosing key."""
        known = self.lines.get(file)
        if not known:
            return None
        for end in range(len(path), -1, -1):
            if path[:end] in known:
                return known[path[:end]]
        return None


def session_path(number: int, slug: str) -> str:
    """The file of session ``number``: sessies/NN-slug.md."""
    return f"{SESSIONS_DIR}/{number:02d}-{slug}.md"


def question_set_path(kind: str) -> str:
    """The file of a question set: evaluatie/<kind>.yaml."""
    return f"{EVALUATION_DIR}/{kind}.yaml"


def canonical_activity(activity: dict[str, Any]) -> dict[str, Any]:
    """An activity with its keys in the documented order; ``kind`` only when set."""
    out = {"title": activity.get("title", ""), "minutes": activity.get("minutes", 0)}
    if activity.get("kind"):
        out["kind"] = activity["kind"]
    out["description"] = activity.get("description", "")
    for key, value in activity.items():
        if key not in out and key != "kind":
            out[key] = value
    return out


def is_break(activity: dict[str, Any]) -> bool:
    """Whether a work form is the break."""
    return activity.get("kind") == BREAK_KIND


def is_int(value: Any) -> TypeGuard[int]:
    """Whether ``value`` is a whole number (YAML's true and false are not)."""
    return isinstance(value, int) and not isinstance(value, bool)
