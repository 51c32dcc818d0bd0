"""The rules of the method (150 minutes, one break, twelve sessions, neutral wording), applied
alike to a ``Content`` read from files and one stored in the database."""

from __future__ import annotations

import re
from typing import Any

from veiligthuis.methodiek.content import (
    ACTIVITY_KINDS,
    BREAK_KIND,
    DOCUMENT_PATH,
    FOLDER_DOCUMENT,
    HANDOUT_FILE,
    HANDOUTS_DIR,
    META_FILE,
    REFERRER_KEYS,
    REFERRERS_DOCUMENT,
    SESSION_COUNT,
    SESSION_FILE,
    SESSIONS_DIR,
    SLUG,
    Content,
    Problem,
    SessionContent,
    is_break,
    is_int,
    question_set_path,
)
from veiligthuis.methodiek.models import QUESTION_SET_KINDS
from veiligthuis.methodiek.question_checks import check_question_set
from veiligthuis.methodiek.yaml_lines import parse_yaml
from veiligthuis.wording import find_sensitive_words


def validate_content(content: Content) -> list[Problem]:
    """Every rule the material breaks; lines are given where the content came from files."""
    problems: list[Problem] = []
    _check_meta(content, problems)
    _check_sessions(content, problems)
    _check_alignment(content, problems)
    _check_handouts(content, problems)
    for kind in QUESTION_SET_KINDS:
        if kind not in content.question_sets:
            if question_set_path(kind) not in content.lines:
                problems.append(Problem(question_set_path(kind), None, "vragenlijst ontbreekt"))
            continue
        check_question_set(content, kind, content.question_sets[kind], problems)
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

        if not 1 <= session.number <= content.session_count:
            problems.append(
                Problem(
                    rel, where("number"), f"number moet 1 tot en met {content.session_count} zijn"
                )
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
        _check_session(session, content, rel, where, problems)
    for number in range(1, content.session_count + 1):
        if number not in seen:
            problems.append(Problem(f"{SESSIONS_DIR}/", None, f"bijeenkomst {number} ontbreekt"))


def _check_session(
    session: SessionContent, content: Content, rel: str, where, problems: list[Problem]
) -> None:
    """One session: a title, a theme, goals, 150 minutes of work forms, a text, its handouts."""
    if not SLUG.match(session.slug):
        problems.append(Problem(rel, None, "ongeldige bestandsnaam"))
    for key, label in (("title", "title"), ("theme", "theme")):
        if not getattr(session, key).strip():
            problems.append(Problem(rel, where(key), f"'{label}' ontbreekt"))
    if not session.goals:
        problems.append(Problem(rel, where("goals"), "geef minstens één doel (goals)"))
    _check_activities(session, content.session_minutes, rel, where, problems)
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


def _check_activities(
    session: SessionContent, minutes: int, rel: str, where, problems: list[Problem]
) -> None:
    if not session.activities:
        problems.append(Problem(rel, where("activities"), "geen werkvormen (activities)"))
        return
    for index, activity in enumerate(session.activities):
        _check_activity(activity, index, rel, where, problems)
    total = session.total_minutes
    if total > minutes:
        problems.append(
            Problem(
                rel,
                where("activities"),
                f"de werkvormen duren samen {total} minuten: {total - minutes} minuten "
                f"langer dan de {minutes} minuten van een bijeenkomst",
            )
        )
    elif total < minutes:
        problems.append(
            Problem(
                rel,
                where("activities"),
                f"de werkvormen duren samen {total} minuten; dat moet precies "
                f"{minutes} zijn ({minutes - total} minuten te weinig)",
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


def _check_alignment(content: Content, problems: list[Problem]) -> None:
    """aligned_with: women's-group sessions in the order of this book's, each leaving a week
    for every meeting before and after it (the women's group has SESSION_COUNT)."""
    previous = (0, 0)
    anchors = sorted((s.number, s.aligned_with, s.path) for s in content.sessions if s.aligned_with)
    for number, week, rel in anchors:
        where = content.line(rel, "aligned_with")
        if not 1 <= week <= SESSION_COUNT:
            problems.append(
                Problem(rel, where, f"aligned_with moet 1 tot en met {SESSION_COUNT} zijn")
            )
            continue
        after = content.session_count - number
        if week - previous[1] < number - previous[0] or SESSION_COUNT - week < after:
            problems.append(
                Problem(
                    rel,
                    where,
                    f"bijeenkomst {number} past niet in de week van bijeenkomst {week} van de "
                    "vrouwengroep: de bijeenkomsten ervoor en erna hebben elk een eigen week "
                    "nodig, in dezelfde volgorde",
                )
            )
            continue
        previous = (number, week)


def _check_activity(
    activity: dict[str, Any], index: int, rel: str, where, problems: list[Problem]
) -> None:
    """One work form: a title, a description (the break needs none), minutes, a known kind."""
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
    if not is_int(minutes) or minutes <= 0:
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
        _check_referrer(item, index, path, lines, kinds, problems)


def _check_referrer(
    item: Any, index: int, path: str, lines: dict, kinds: set, problems: list[Problem]
) -> None:
    """One referrer: kind (unique), label and why."""
    line = lines.get(("referrers", index))
    if not isinstance(item, dict):
        problems.append(Problem(path, line, f"verwijzer {index + 1}: kind, label en why"))
        return
    for key in item:
        if key not in REFERRER_KEYS:
            problems.append(
                Problem(path, lines.get(("referrers", index, key), line), f"onbekend veld '{key}'")
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
