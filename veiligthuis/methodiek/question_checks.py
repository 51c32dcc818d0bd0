"""The rules for a question set: four languages, scales, scoring, neutral wording."""

from __future__ import annotations

import re
from typing import Any

from veiligthuis.methodiek.content import (
    NEUTRAL_SETS,
    OPTION_KEYS,
    PEARLIN_ITEMS,
    QUESTION_GROUPS,
    QUESTION_KEYS,
    QUESTION_SET_KEYS,
    QUESTION_TYPES,
    Content,
    Path_,
    Problem,
    question_set_path,
)
from veiligthuis.methodiek.models import LANGUAGES
from veiligthuis.wording import find_sensitive_words


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


def check_question_set(
    content: Content, kind: str, data: dict[str, Any], problems: list[Problem]
) -> None:
    """Every rule a question set breaks: fields, languages, scales, questions, wording."""
    rel = question_set_path(kind)

    def where(*path: Any) -> int | None:
        return content.line(rel, *path)

    _check_header(data, kind, rel, where, problems)
    scales = _check_scales(data.get("scales") or {}, rel, where, content, problems)
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append(Problem(rel, where("questions"), "geen vragen (questions)"))
        questions = []
    ids: dict[str, int] = {}
    for index, question in enumerate(questions):
        _check_question(question, index, kind, scales, ids, rel, where, problems)
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
        _check_neutral(data, rel, where, problems)


def _check_header(data: dict[str, Any], kind: str, rel: str, where, problems: list[Problem]):
    """The set's own fields: known keys, set, title and intro in four languages, source."""
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


def _check_scales(
    scales: Any, rel: str, where, content: Content, problems: list[Problem]
) -> dict[str, Any]:
    """The answer scales; returns them (empty when they are not a mapping)."""
    if not isinstance(scales, dict):
        problems.append(Problem(rel, where("scales"), "'scales' moet naam: [antwoorden] zijn"))
        return {}
    for name, options in scales.items():
        if not isinstance(options, list) or not options:
            problems.append(
                Problem(rel, where("scales", name), f"schaal '{name}' heeft geen antwoorden")
            )
            continue
        for index, option in enumerate(options):
            _check_option(option, name, index, rel, where, content, problems)
    return scales


def _check_option(
    option: Any, name: str, index: int, rel: str, where, content: Content, problems: list[Problem]
) -> None:
    """One answer of a scale: value 1, 2, 3, ..., a face and a label in four languages."""
    at = where("scales", name, index)
    if not isinstance(option, dict):
        problems.append(Problem(rel, at, f"schaal '{name}': antwoord {index + 1} onvolledig"))
        return
    for key in option:
        if key not in OPTION_KEYS:
            problems.append(Problem(rel, at, f"schaal '{name}': onbekend veld '{key}'"))
    if option.get("value") != index + 1:
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
        problems.append(Problem(rel, at, f"schaal '{name}': antwoord {index + 1} heeft geen face"))
    labels = {lang: option.get(lang) for lang in LANGUAGES}
    _check_languages(labels, rel, at, f"schaal '{name}', antwoord {index + 1}", problems)


def _check_question(
    question: Any,
    index: int,
    kind: str,
    scales: dict[str, Any],
    ids: dict[str, int],
    rel: str,
    where,
    problems: list[Problem],
) -> None:
    """One question: known fields, a unique id, its type and scale, scoring, four languages."""
    if not isinstance(question, dict):
        problems.append(Problem(rel, where("questions", index), f"vraag {index + 1} is onvolledig"))
        return
    qid = question.get("id")
    label = f"vraag {qid}" if isinstance(qid, str) and qid else f"vraag {index + 1}"
    for key in question:
        if key not in QUESTION_KEYS:
            problems.append(
                Problem(rel, where("questions", index, key), f"{label}: onbekend veld '{key}'")
            )
    _check_question_id(qid, label, index, ids, rel, where, problems)
    _check_question_type(question, label, index, scales, rel, where, problems)
    _check_question_scoring(kind, question, label, rel, where, index, problems)
    _check_languages(question.get("text"), rel, where("questions", index, "text"), label, problems)


def _check_question_id(
    qid: Any, label: str, index: int, ids: dict[str, int], rel: str, where, problems: list[Problem]
) -> None:
    """Ids are lower-case letters, digits and _, and unique in the set."""
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


def _check_question_type(
    question: dict,
    label: str,
    index: int,
    scales: dict[str, Any],
    rel: str,
    where,
    problems: list[Problem],
) -> None:
    """A scale question names a known scale; an open question has none."""
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


def _check_neutral(data: dict[str, Any], rel: str, where, problems: list[Problem]) -> None:
    """Participants see these questions on their phone: every text in them is neutral."""
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
        expected = PEARLIN_ITEMS.get(question.get("id", ""))
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
