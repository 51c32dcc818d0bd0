"""Reading and checking a methodiek folder; the format is described in methodiek/README.md.

``read_folder`` parses the files into a ``Content`` and lists every problem it finds with the
file and line; ``validate_content`` applies the rules of the method (150 minutes, one break,
twelve sessions, four languages, neutral wording) to a ``Content`` from files or from the
database alike, so the command line and the publish button refuse the same things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from veiligthuis.methodiek.models import LANGUAGES, QUESTION_SET_KINDS
from veiligthuis.wording import find_sensitive_words

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
SESSION_KEYS = (
    "number",
    "title",
    "theme",
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
        return sum(a["minutes"] for a in self.activities if _is_int(a.get("minutes")))

    def front_matter(self) -> dict[str, Any]:
        """The YAML front matter, keys in the documented order."""
        return {
            "number": self.number,
            "title": self.title,
            "theme": self.theme,
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


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- YAML with line numbers ----------------------------------------------------------------


def parse_yaml(text: str, file: str, first_line: int = 1) -> tuple[Any, dict, list[Problem]]:
    """Parse ``text``; returns the data, {key path: line} and problems (bad YAML, dup keys).

    ``first_line`` is the file line of the text's first line (front matter starts on line 2).
    """
    problems: list[Problem] = []
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, problems
        lines: dict[Path_, int] = {}
        _index_lines(node, (), lines, problems, file, first_line - 1)
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + first_line if mark is not None else None
        what = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, {}, [Problem(file, line, f"ongeldige YAML: {what}")]
    finally:
        loader.dispose()
    return data, lines, problems


def _index_lines(node, path: Path_, lines: dict, problems: list, file: str, offset: int) -> None:
    lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        key_node.start_mark.line + 1 + offset,
                        f"sleutel '{key}' staat er twee keer",
                    )
                )
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1 + offset
            _index_lines(value_node, (*path, key), lines, problems, file, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), lines, problems, file, offset)


# --- reading a folder ----------------------------------------------------------------------


def read_folder(root: str | Path) -> tuple[Content, list[Problem]]:
    """Read the methodiek in ``root``; returns its content and every problem found."""
    root = Path(root)
    content = Content()
    problems: list[Problem] = []
    if not root.is_dir():
        return content, [Problem(str(root), None, "map bestaat niet")]

    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") or part == "__pycache__" for part in rel.split("/")):
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(rel, None, "geen tekstbestand in UTF-8"))
            continue
        text = text.replace("\r\n", "\n")
        folder, _, name = rel.rpartition("/")
        if rel == META_FILE:
            _read_meta(content, text, problems)
        elif folder == SESSIONS_DIR:
            _read_session(content, rel, name, text, problems)
        elif folder == HANDOUTS_DIR:
            if HANDOUT_FILE.match(name):
                content.handouts[name] = text
            else:
                problems.append(
                    Problem(rel, None, "een bijlage heet <kleine-letters-en-streepjes>.md")
                )
        elif folder == EVALUATION_DIR:
            kind = name.removesuffix(".yaml")
            if name.endswith(".yaml") and kind in QUESTION_SET_KINDS:
                _read_question_set(content, rel, kind, text, problems)
            else:
                expected = ", ".join(f"{k}.yaml" for k in QUESTION_SET_KINDS)
                problems.append(Problem(rel, None, f"onbekend bestand; verwacht: {expected}"))
        elif folder.split("/")[0] in (SESSIONS_DIR, HANDOUTS_DIR, EVALUATION_DIR):
            problems.append(Problem(rel, None, "onverwachte submap"))
        elif DOCUMENT_PATH.match(rel):
            content.documents[rel] = text
        else:
            problems.append(Problem(rel, None, "bestandsnaam met ongebruikelijke tekens"))

    if not (root / META_FILE).is_file():
        problems.append(Problem(META_FILE, None, "bestand ontbreekt"))
    content.sessions.sort(key=lambda s: (s.number, s.path))
    problems.extend(validate_content(content))
    return content, problems


def check_folder(root: str | Path) -> list[Problem]:
    """Every problem in the methodiek folder ``root`` (an empty list: all is well)."""
    return read_folder(root)[1]


def _read_meta(content: Content, text: str, problems: list[Problem]) -> None:
    data, lines, found = parse_yaml(text, META_FILE)
    problems.extend(found)
    content.lines[META_FILE] = lines
    if found and data is None:
        content.unreadable.add(META_FILE)
    if data is None and not found:
        data = {}
    if not isinstance(data, dict):
        if not found:
            problems.append(Problem(META_FILE, 1, "verwacht sleutels title, version, description"))
        return
    for key, value in data.items():
        if key not in META_KEYS:
            problems.append(Problem(META_FILE, lines.get((key,)), f"onbekend veld '{key}'"))
        elif value is not None and not isinstance(value, str):
            problems.append(Problem(META_FILE, lines.get((key,)), f"'{key}' moet tekst zijn"))
        else:
            content.meta[key] = value or ""


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a Markdown file that starts with a --- block, else None."""
    if not text.startswith("---\n"):
        return None
    match = re.search(r"^---[ \t]*$\n?", text[4:], flags=re.MULTILINE)
    if match is None:
        return None
    return text[4 : 4 + match.start()], text[4 + match.end() :]


def _read_session(
    content: Content, rel: str, name: str, text: str, problems: list[Problem]
) -> None:
    match = SESSION_FILE.match(name)
    if match is None:
        problems.append(
            Problem(
                rel, None, "een bijeenkomst heet NN-onderwerp.md, bijvoorbeeld 01-kennismaking.md"
            )
        )
        return
    parts = split_front_matter(text)
    if parts is None:
        problems.append(Problem(rel, 1, "begint niet met kopgegevens tussen twee regels '---'"))
        content.unreadable.add(rel)
        return
    front, body = parts
    data, lines, found = parse_yaml(front, rel, first_line=2)
    problems.extend(found)
    content.lines[rel] = lines
    if found and data is None:
        content.unreadable.add(rel)
        return
    if not isinstance(data, dict):
        problems.append(Problem(rel, 2, "de kopgegevens moeten sleutels met waarden zijn"))
        content.unreadable.add(rel)
        return

    def where(*path: Any) -> int | None:
        return content.line(rel, *path)

    for key in data:
        if key not in SESSION_KEYS:
            problems.append(Problem(rel, where(key), f"onbekend veld '{key}'"))
    number = data.get("number")
    if not _is_int(number):
        problems.append(Problem(rel, where("number"), "'number' moet een geheel getal zijn"))
        number = int(match.group(1))
    elif number != int(match.group(1)):
        problems.append(
            Problem(
                rel,
                where("number"),
                f"number is {number}, maar de bestandsnaam begint met {match.group(1)}",
            )
        )
    session = SessionContent(number=number, slug=match.group(2), body=body, source=rel)
    for key in ("title", "theme", "home_practice", "culture_notes", "low_literacy_notes"):
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.append(Problem(rel, where(key), f"'{key}' moet tekst zijn"))
            value = str(value)
        setattr(session, key, value)
    for key in ("goals", "materials", "handouts"):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(rel, where(key), f"'{key}' moet een lijst met tekst zijn"))
            value = [str(v) for v in value] if isinstance(value, list) else []
        setattr(session, key, value)
    activities = data.get("activities") or []
    if not isinstance(activities, list):
        problems.append(Problem(rel, where("activities"), "'activities' moet een lijst zijn"))
        activities = []
    for index, activity in enumerate(activities):
        if not isinstance(activity, dict):
            problems.append(
                Problem(rel, where("activities", index), "een werkvorm heeft title en minutes")
            )
            continue
        for key in activity:
            if key not in ACTIVITY_KEYS:
                problems.append(
                    Problem(rel, where("activities", index, key), f"onbekend veld '{key}'")
                )
        item = {
            "title": activity.get("title") or "",
            "minutes": activity.get("minutes"),
            "description": activity.get("description") or "",
        }
        if activity.get("kind") is not None:
            item["kind"] = activity["kind"]
        for key in ("title", "description"):
            if not isinstance(item[key], str):
                problems.append(
                    Problem(rel, where("activities", index, key), f"'{key}' moet tekst zijn")
                )
                item[key] = str(item[key])
        session.activities.append(item)
    content.sessions.append(session)


def _read_question_set(
    content: Content, rel: str, kind: str, text: str, problems: list[Problem]
) -> None:
    data, lines, found = parse_yaml(text, rel)
    problems.extend(found)
    content.lines[rel] = lines
    if found and data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "een vragenlijst heeft set, title, intro en questions"))
        return
    content.question_sets[kind] = data


# --- the rules -----------------------------------------------------------------------------


def validate_content(content: Content) -> list[Problem]:
    """Every rule the material breaks; lines are given where the content came from files."""
    problems: list[Problem] = []
    _check_meta(content, problems)
    _check_sessions(content, problems)
    _check_handouts(content, problems)
    for kind in QUESTION_SET_KINDS:
        if kind not in content.question_sets:
            if question_set_path(kind) not in content.lines:
                problems.append(Problem(question_set_path(kind), None, "vragenlijst ontbreekt"))
            continue
        _check_question_set(content, kind, content.question_sets[kind], problems)
    _check_documents(content, problems)
    return problems


def _check_meta(content: Content, problems: list[Problem]) -> None:
    if (META_FILE not in content.lines and not content.meta) or META_FILE in content.unreadable:
        return  # reported as a missing or unreadable file
    for key in ("title", "version"):
        if not (content.meta.get(key) or "").strip():
            problems.append(Problem(META_FILE, content.line(META_FILE, key), f"'{key}' ontbreekt"))
    if len(content.meta.get("version") or "") > 40:
        problems.append(
            Problem(META_FILE, content.line(META_FILE, "version"), "'version' is te lang")
        )


def _check_sessions(content: Content, problems: list[Problem]) -> None:
    seen: dict[int, str] = {}
    for rel in sorted(content.unreadable):
        match = SESSION_FILE.match(rel.rpartition("/")[2])
        if match:
            seen.setdefault(int(match.group(1)), rel)
    for session in content.sessions:
        rel = session.path

        def where(*path: Any, rel=rel) -> int | None:
            return content.line(rel, *path)

        if not 1 <= session.number <= SESSION_COUNT:
            problems.append(
                Problem(rel, where("number"), f"number moet 1 tot en met {SESSION_COUNT} zijn")
            )
        elif session.number in seen:
            problems.append(
                Problem(
                    rel,
                    where("number"),
                    f"bijeenkomst {session.number} staat ook in {seen[session.number]}",
                )
            )
        else:
            seen[session.number] = rel
        if not SLUG.match(session.slug):
            problems.append(Problem(rel, None, "ongeldige bestandsnaam"))
        for key, label in (("title", "title"), ("theme", "theme")):
            if not getattr(session, key).strip():
                problems.append(Problem(rel, where(key), f"'{label}' ontbreekt"))
        if not session.goals:
            problems.append(Problem(rel, where("goals"), "geef minstens één doel (goals)"))
        _check_activities(session, rel, where, problems)
        if not session.body.strip():
            problems.append(
                Problem(rel, None, "de achtergrondtekst (Markdown na de kopgegevens) ontbreekt")
            )
        for index, name in enumerate(session.handouts):
            if name not in content.handouts:
                problems.append(
                    Problem(
                        rel,
                        where("handouts", index),
                        f"bijlage {HANDOUTS_DIR}/{name} bestaat niet",
                    )
                )
    for number in range(1, SESSION_COUNT + 1):
        if number not in seen:
            problems.append(Problem(f"{SESSIONS_DIR}/", None, f"bijeenkomst {number} ontbreekt"))


def _check_activities(session: SessionContent, rel: str, where, problems: list[Problem]) -> None:
    if not session.activities:
        problems.append(Problem(rel, where("activities"), "geen werkvormen (activities)"))
        return
    for index, activity in enumerate(session.activities):
        if not str(activity.get("title") or "").strip():
            problems.append(
                Problem(rel, where("activities", index), f"werkvorm {index + 1} heeft geen titel")
            )
        if not is_break(activity) and not str(activity.get("description") or "").strip():
            problems.append(
                Problem(
                    rel,
                    where("activities", index),
                    f"werkvorm {index + 1} heeft geen beschrijving (description)",
                )
            )
        minutes = activity.get("minutes")
        if not _is_int(minutes) or minutes <= 0:
            problems.append(
                Problem(
                    rel,
                    where("activities", index, "minutes"),
                    f"werkvorm {index + 1}: minutes moet een geheel aantal minuten (> 0) zijn",
                )
            )
        kind = activity.get("kind")
        if kind is not None and kind not in ACTIVITY_KINDS:
            problems.append(
                Problem(
                    rel,
                    where("activities", index, "kind"),
                    f"werkvorm {index + 1}: kind is 'werkvorm' of '{BREAK_KIND}'",
                )
            )
    total = session.total_minutes
    if total > SESSION_MINUTES:
        problems.append(
            Problem(
                rel,
                where("activities"),
                f"de werkvormen duren samen {total} minuten: {total - SESSION_MINUTES} minuten "
                f"langer dan de {SESSION_MINUTES} minuten van een bijeenkomst",
            )
        )
    elif total < SESSION_MINUTES:
        problems.append(
            Problem(
                rel,
                where("activities"),
                f"de werkvormen duren samen {total} minuten; dat moet precies "
                f"{SESSION_MINUTES} zijn ({SESSION_MINUTES - total} minuten te weinig)",
            )
        )
    breaks = sum(1 for a in session.activities if is_break(a))
    if breaks != 1:
        problems.append(
            Problem(
                rel,
                where("activities"),
                f"een bijeenkomst heeft precies één pauze (kind: {BREAK_KIND}); hier {breaks}",
            )
        )


def _sensitive(text: str, file: str, first_line: int | None, problems: list[Problem]) -> None:
    """Report sensitive words per line of ``text`` (a participant could be seen with it)."""
    for offset, line in enumerate(text.splitlines()):
        words = find_sensitive_words(line)
        if words:
            problems.append(
                Problem(
                    file,
                    first_line + offset if first_line else None,
                    "woorden die een deelnemer kunnen verraden: "
                    + ", ".join(f"'{w}'" for w in dict.fromkeys(words))
                    + " (deelnemers krijgen dit te zien; kies neutrale woorden)",
                )
            )


def _check_handouts(content: Content, problems: list[Problem]) -> None:
    used = {name for session in content.sessions for name in session.handouts}
    for name, text in content.handouts.items():
        rel = f"{HANDOUTS_DIR}/{name}"
        if name not in used and not content.unreadable:
            problems.append(Problem(rel, None, "geen enkele bijeenkomst noemt deze bijlage"))
        if not HANDOUT_FILE.match(name):
            problems.append(Problem(rel, None, "een bijlage heet <kleine-letters-en-streepjes>.md"))
        if not text.strip():
            problems.append(Problem(rel, None, "bijlage is leeg"))
        _sensitive(text, rel, 1 if content.lines else None, problems)


def _check_documents(content: Content, problems: list[Problem]) -> None:
    from_files = bool(content.lines)
    for path, text in content.documents.items():
        if not DOCUMENT_PATH.match(path):
            problems.append(Problem(path, None, "bestandsnaam met ongebruikelijke tekens"))
        if path.endswith((".yaml", ".yml")):
            data, lines, found = parse_yaml(text, path)
            problems.extend(found)
            if path == REFERRERS_DOCUMENT and not found:
                _check_referrers(data, path, lines if from_files else {}, problems)
        if path == FOLDER_DOCUMENT:
            _sensitive(text, path, 1 if from_files else None, problems)


def _check_referrers(data: Any, path: str, lines: dict, problems: list[Problem]) -> None:
    """werving/verwijzers.yaml: referrers: [{kind, label, why}], kinds unique."""
    if not isinstance(data, dict) or not isinstance(data.get("referrers"), list):
        problems.append(Problem(path, lines.get(()), "verwacht 'referrers:' met een lijst"))
        return
    for key in data:
        if key != "referrers":
            problems.append(Problem(path, lines.get((key,)), f"onbekend veld '{key}'"))
    kinds: set = set()
    for index, item in enumerate(data["referrers"]):
        line = lines.get(("referrers", index))
        if not isinstance(item, dict):
            problems.append(Problem(path, line, f"verwijzer {index + 1}: kind, label en why"))
            continue
        for key in item:
            if key not in REFERRER_KEYS:
                problems.append(
                    Problem(
                        path, lines.get(("referrers", index, key), line), f"onbekend veld '{key}'"
                    )
                )
        kind = item.get("kind")
        if not isinstance(kind, str) or not re.match(r"^[a-z0-9_]+$", kind):
            problems.append(
                Problem(path, line, f"verwijzer {index + 1}: kind ontbreekt of is ongeldig")
            )
        elif kind in kinds:
            problems.append(Problem(path, line, f"verwijzer '{kind}' staat er twee keer"))
        kinds.add(kind)
        for key in ("label", "why"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                problems.append(Problem(path, line, f"verwijzer {index + 1}: '{key}' ontbreekt"))


def _check_languages(
    value: Any, rel: str, line: int | None, what: str, problems: list[Problem]
) -> None:
    if not isinstance(value, dict):
        problems.append(
            Problem(
                rel, line, f"{what}: geef de tekst in {', '.join(LANGUAGES)} (nl: ..., en: ...)"
            )
        )
        return
    missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        problems.append(Problem(rel, line, f"{what}: vertaling ontbreekt in {', '.join(missing)}"))
    extra = [key for key in value if key not in LANGUAGES]
    if extra:
        problems.append(Problem(rel, line, f"{what}: onbekende taal {', '.join(map(str, extra))}"))
    for lang in LANGUAGES:
        if value.get(lang) is not None and not isinstance(value.get(lang), str):
            problems.append(Problem(rel, line, f"{what}: tekst in '{lang}' moet tekst zijn"))


def _check_question_set(
    content: Content, kind: str, data: dict[str, Any], problems: list[Problem]
) -> None:
    rel = question_set_path(kind)

    def where(*path: Any) -> int | None:
        return content.line(rel, *path)

    for key in data:
        if key not in QUESTION_SET_KEYS:
            problems.append(Problem(rel, where(key), f"onbekend veld '{key}'"))
    if data.get("set") != kind:
        problems.append(
            Problem(rel, where("set"), f"set moet '{kind}' zijn (zoals de bestandsnaam)")
        )
    for key in ("title", "intro"):
        _check_languages(data.get(key), rel, where(key), key, problems)
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        problems.append(Problem(rel, where("source"), "'source' moet tekst zijn"))
    elif kind == "voor-na" and not (source or "").strip():
        problems.append(
            Problem(
                rel, where("source"), "'source' ontbreekt: vermeld de bron van de Pearlin-schaal"
            )
        )
    scales = data.get("scales") or {}
    if not isinstance(scales, dict):
        problems.append(Problem(rel, where("scales"), "'scales' moet naam: [antwoorden] zijn"))
        scales = {}
    for name, options in scales.items():
        if not isinstance(options, list) or not options:
            problems.append(
                Problem(rel, where("scales", name), f"schaal '{name}' heeft geen antwoorden")
            )
            continue
        for index, option in enumerate(options):
            at = where("scales", name, index)
            if not isinstance(option, dict):
                problems.append(
                    Problem(rel, at, f"schaal '{name}': antwoord {index + 1} onvolledig")
                )
                continue
            for key in option:
                if key not in OPTION_KEYS:
                    problems.append(Problem(rel, at, f"schaal '{name}': onbekend veld '{key}'"))
            value = option.get("value")
            if value != index + 1:
                problems.append(
                    Problem(
                        rel,
                        content.line(rel, "scales", name, index, "value") or at,
                        f"schaal '{name}': antwoord {index + 1} moet value {index + 1} hebben "
                        "(1, 2, 3, ... oplopend)",
                    )
                )
            face = option.get("face")
            if not isinstance(face, str) or not face.strip():
                problems.append(
                    Problem(rel, at, f"schaal '{name}': antwoord {index + 1} heeft geen face")
                )
            labels = {lang: option.get(lang) for lang in LANGUAGES}
            _check_languages(labels, rel, at, f"schaal '{name}', antwoord {index + 1}", problems)
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append(Problem(rel, where("questions"), "geen vragen (questions)"))
        questions = []
    ids: dict[str, int] = {}
    for index, question in enumerate(questions):
        at = where("questions", index)
        if not isinstance(question, dict):
            problems.append(Problem(rel, at, f"vraag {index + 1} is onvolledig"))
            continue
        qid = question.get("id")
        label = f"vraag {qid}" if isinstance(qid, str) and qid else f"vraag {index + 1}"
        for key in question:
            if key not in QUESTION_KEYS:
                problems.append(
                    Problem(rel, where("questions", index, key), f"{label}: onbekend veld '{key}'")
                )
        if not isinstance(qid, str) or not re.match(r"^[a-z0-9_]+$", qid):
            problems.append(
                Problem(
                    rel,
                    where("questions", index, "id"),
                    f"{label}: id bestaat uit kleine letters, cijfers en _",
                )
            )
        elif qid in ids:
            problems.append(
                Problem(
                    rel,
                    where("questions", index, "id"),
                    f"id '{qid}' komt twee keer voor (ook op regel {ids[qid]})",
                )
            )
        else:
            ids[qid] = where("questions", index, "id") or index + 1
        qtype = question.get("type")
        if qtype not in QUESTION_TYPES:
            problems.append(
                Problem(
                    rel,
                    where("questions", index, "type"),
                    f"{label}: type moet 'scale' of 'text' zijn",
                )
            )
        scale = question.get("scale")
        if qtype == "scale" and scale not in scales:
            problems.append(
                Problem(
                    rel,
                    where("questions", index, "scale"),
                    f"{label}: onbekende schaal '{scale}'"
                    + (f" (bekend: {', '.join(scales)})" if scales else ""),
                )
            )
        if qtype == "text" and scale is not None:
            problems.append(
                Problem(
                    rel,
                    where("questions", index, "scale"),
                    f"{label}: een open vraag heeft geen schaal",
                )
            )
        _check_question_scoring(kind, question, label, rel, where, index, problems)
        _check_languages(
            question.get("text"), rel, where("questions", index, "text"), label, problems
        )
    used = {q.get("scale") for q in questions if isinstance(q, dict)}
    for name in scales:
        if name not in used:
            problems.append(
                Problem(
                    rel, where("scales", name), f"schaal '{name}' wordt door geen vraag gebruikt"
                )
            )
    if kind == "voor-na":
        _check_pearlin(questions, rel, where, problems)
    _check_plain_types(data, rel, (), content, problems)
    if kind in NEUTRAL_SETS:
        for path, text in _texts(data):
            words = find_sensitive_words(text)
            if words:
                problems.append(
                    Problem(
                        rel,
                        where(*path),
                        "woorden die een deelnemer kunnen verraden: "
                        + ", ".join(f"'{w}'" for w in dict.fromkeys(words))
                        + " (deelnemers zien deze vragen op hun telefoon)",
                    )
                )


def _check_question_scoring(
    kind: str, question: dict, label: str, rel: str, where, index: int, problems: list[Problem]
) -> None:
    """``group`` and ``reverse``: only the pre/post measurement is scored."""
    group = question.get("group")
    if kind == "voor-na":
        if group not in QUESTION_GROUPS:
            problems.append(
                Problem(
                    rel,
                    where("questions", index, "group"),
                    f"{label}: group moet 'pearlin' of 'eigen' zijn",
                )
            )
    elif group is not None:
        problems.append(
            Problem(
                rel, where("questions", index, "group"), f"{label}: group hoort alleen in voor-na"
            )
        )
    if "reverse" in question:
        if not isinstance(question["reverse"], bool):
            problems.append(
                Problem(
                    rel, where("questions", index, "reverse"), f"{label}: reverse is true of false"
                )
            )
        elif group != "pearlin":
            problems.append(
                Problem(
                    rel,
                    where("questions", index, "reverse"),
                    f"{label}: reverse hoort alleen bij de Pearlin-vragen",
                )
            )


def _check_pearlin(questions: list, rel: str, where, problems: list[Problem]) -> None:
    """The seven Pearlin items, in the original order, with their reverse coding."""
    items = [
        (index, q)
        for index, q in enumerate(questions)
        if isinstance(q, dict) and q.get("group") == "pearlin"
    ]
    ids = [q.get("id") for _index, q in items]
    if ids != list(PEARLIN_ITEMS):
        problems.append(
            Problem(
                rel,
                where("questions"),
                "de Pearlin-vragen (group: pearlin) zijn precies pm1 tot en met pm7, in die "
                f"volgorde; nu: {', '.join(map(str, ids)) or 'geen'}",
            )
        )
    for index, question in items:
        expected = PEARLIN_ITEMS.get(question.get("id"))
        if expected is not None and question.get("reverse") is not expected:
            problems.append(
                Problem(
                    rel,
                    where("questions", index, "reverse"),
                    f"vraag {question['id']}: reverse moet {str(expected).lower()} zijn "
                    "(zo telt de Pearlin-schaal)",
                )
            )
    if not any(isinstance(q, dict) and q.get("group") == "eigen" for q in questions):
        problems.append(
            Problem(
                rel, where("questions"), "voeg de eigen vragen van de methodiek toe (group: eigen)"
            )
        )


def _texts(value: Any, path: Path_ = ()):
    """Every string in a nested structure with its key path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "source":
                yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _check_plain_types(
    value: Any, rel: str, path: Path_, content: Content, problems: list[Problem]
) -> None:
    """Question sets are stored as JSON: only text, numbers, true/false, lists and maps."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(
                    Problem(rel, content.line(rel, *path), f"sleutel {key!r} moet tekst zijn")
                )
            _check_plain_types(item, rel, (*path, key), content, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_plain_types(item, rel, (*path, index), content, problems)
    elif value is not None and not isinstance(value, str | int | float | bool):
        problems.append(
            Problem(
                rel,
                content.line(rel, *path),
                f"waarde {value!r} wordt als {type(value).__name__} gelezen; zet haar tussen aanhalingstekens",
            )
        )
