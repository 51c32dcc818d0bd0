"""Reading a methodiek folder; the format is described in methodiek/README.md.

``read_folder`` parses the files into a ``Content`` and lists every problem it finds with the
file and line; ``checks.validate_content`` then applies the rules of the method to it, as it
does to a ``Content`` from the database, so the command line and the publish button refuse the
same things.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from veiligthuis.methodiek.checks import validate_content
from veiligthuis.methodiek.content import (
    ACTIVITY_KEYS,
    DOCUMENT_PATH,
    EVALUATION_DIR,
    HANDOUT_FILE,
    HANDOUTS_DIR,
    META_FILE,
    META_KEYS,
    META_NUMBER_KEYS,
    SESSION_FILE,
    SESSION_KEYS,
    SESSIONS_DIR,
    Content,
    Problem,
    SessionContent,
    is_int,
)
from veiligthuis.methodiek.models import QUESTION_SET_KINDS
from veiligthuis.methodiek.yaml_lines import parse_yaml


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
        _read_file(content, rel, text.replace("\r\n", "\n"), problems)

    if not (root / META_FILE).is_file():
        problems.append(Problem(META_FILE, None, "bestand ontbreekt"))
    content.sessions.sort(key=lambda s: (s.number, s.path))
    problems.extend(validate_content(content))
    return content, problems


def _read_file(content: Content, rel: str, text: str, problems: list[Problem]) -> None:
    """Read one file of the folder into ``content``, by where it lies."""
    folder, _, name = rel.rpartition("/")
    if rel == META_FILE:
        _read_meta(content, text, problems)
    elif folder == SESSIONS_DIR:
        _read_session(content, rel, name, text, problems)
    elif folder == HANDOUTS_DIR:
        if HANDOUT_FILE.match(name):
            content.handouts[name] = text
        else:
            problems.append(Problem(rel, None, "een bijlage heet <kleine-letters-en-streepjes>.md"))
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
        if key in META_NUMBER_KEYS:
            _read_meta_number(content, key, value, lines.get((key,)), problems)
        elif key not in META_KEYS:
            problems.append(Problem(META_FILE, lines.get((key,)), f"onbekend veld '{key}'"))
        elif value is not None and not isinstance(value, str):
            problems.append(Problem(META_FILE, lines.get((key,)), f"'{key}' moet tekst zijn"))
        else:
            content.meta[key] = value or ""


def _read_meta_number(
    content: Content, key: str, value: Any, line: int | None, problems: list[Problem]
) -> None:
    """sessions or minutes: the programme's figures the book is written for."""
    low, high = META_NUMBER_KEYS[key]
    if not is_int(value) or not low <= value <= high:
        problems.append(
            Problem(META_FILE, line, f"'{key}' moet een geheel getal {low}-{high} zijn")
        )
    elif key == "sessions":
        content.session_count = value
    else:
        content.session_minutes = value


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
    number = _session_number(data.get("number"), int(match.group(1)), rel, where, problems)
    session = SessionContent(number=number, slug=match.group(2), body=body, source=rel)
    aligned = data.get("aligned_with")
    if aligned is not None and not is_int(aligned):
        problems.append(
            Problem(rel, where("aligned_with"), "'aligned_with' moet een geheel getal zijn")
        )
    elif aligned is not None:
        session.aligned_with = aligned
    _read_session_fields(session, data, rel, where, problems)
    activities = data.get("activities") or []
    if not isinstance(activities, list):
        problems.append(Problem(rel, where("activities"), "'activities' moet een lijst zijn"))
        activities = []
    for index, activity in enumerate(activities):
        item = _read_activity(activity, index, rel, where, problems)
        if item is not None:
            session.activities.append(item)
    content.sessions.append(session)


def _session_number(number: Any, from_name: int, rel: str, where, problems: list[Problem]) -> int:
    """The session's number field, checked against the number its file name starts with."""
    if not is_int(number):
        problems.append(Problem(rel, where("number"), "'number' moet een geheel getal zijn"))
        return from_name
    if number != from_name:
        problems.append(
            Problem(
                rel,
                where("number"),
                f"number is {number}, maar de bestandsnaam begint met {from_name:02d}",
            )
        )
    return number


def _read_session_fields(
    session: SessionContent, data: dict, rel: str, where, problems: list[Problem]
) -> None:
    """The text and list fields of a session's front matter."""
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


def _read_activity(
    activity: Any, index: int, rel: str, where, problems: list[Problem]
) -> dict[str, Any] | None:
    """One work form as stored, or None when it is not a mapping."""
    if not isinstance(activity, dict):
        problems.append(
            Problem(rel, where("activities", index), "een werkvorm heeft title en minutes")
        )
        return None
    for key in activity:
        if key not in ACTIVITY_KEYS:
            problems.append(Problem(rel, where("activities", index, key), f"onbekend veld '{key}'"))
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
    return item


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
