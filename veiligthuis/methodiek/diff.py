"""Differences between two versions of the method, word by word, as HTML with <ins> and <del>."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from veiligthuis.methodiek.content import SessionContent, is_break
from veiligthuis.methodiek.files import dump_yaml
from veiligthuis.methodiek.models import QUESTION_SET_KINDS, MethodiekVersion, SessionPlan

_TOKENS = re.compile(r"\s+|[^\s]+")
#: lines of unchanged text kept around a change when the rest is folded away
CONTEXT_LINES = 2


def tokens(text: str) -> list[str]:
    """``text`` split into words and the whitespace between them."""
    return _TOKENS.findall(text or "")


def _words(old: str, new: str) -> str:
    a, b = tokens(old), tokens(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def word_diff(old: str, new: str, context: int | None = CONTEXT_LINES) -> Markup:
    """``new`` with the words taken out of ``old`` in <del> and the words put in in <ins>.

    Long stretches of unchanged lines are folded to "…", keeping ``context`` lines around
    each change; ``context=None`` shows the whole text.
    """
    if context is None:
        return Markup(_words(old, new))
    a, b = (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op != "equal":
            out.append(_words("".join(a[i1:i2]), "".join(b[j1:j2])))
            continue
        lines = a[i1:i2]
        keep_before = context if index > 0 else 0
        keep_after = context if index < len(opcodes) - 1 else 0
        if len(lines) <= keep_before + keep_after + 1:
            out.append(str(escape("".join(lines))))
            continue
        out.append(str(escape("".join(lines[:keep_before]))))
        out.append('<span class="diff-skip">…</span>\n')
        out.append(str(escape("".join(lines[len(lines) - keep_after :] if keep_after else []))))
    return Markup("".join(out))


def changed_words(old: str, new: str) -> tuple[int, int]:
    """How many words were taken out and put in."""
    a, b = tokens(old), tokens(new)
    removed = added = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed += sum(1 for t in a[i1:i2] if not t.isspace())
        if op in ("insert", "replace"):
            added += sum(1 for t in b[j1:j2] if not t.isspace())
    return removed, added


@dataclass
class PartDiff:
    """One part of the method compared between two versions."""

    key: str
    label: str
    #: "gewijzigd", "nieuw" or "verwijderd"
    status: str
    html: Markup
    removed: int
    added: int


def session_text(plan: SessionPlan | SessionContent) -> str:
    """A session plan as readable text, for comparing versions word by word."""
    handouts = plan.handout_files if isinstance(plan, SessionPlan) else plan.handouts
    lines = [f"Bijeenkomst {plan.number}: {plan.title}", f"Thema: {plan.theme}", "", "Doelen"]
    lines += [f"- {goal}" for goal in plan.goals]
    lines += ["", "Werkvormen"]
    total = 0
    for activity in plan.activities:
        minutes = activity.get("minutes") or 0
        total += minutes if isinstance(minutes, int) else 0
        kind = " (pauze)" if is_break(activity) else ""
        lines.append(f"- {minutes} min: {activity.get('title', '')}{kind}")
        if activity.get("description"):
            lines.append(f"  {activity['description']}")
    lines.append(f"Totaal: {total} minuten")
    lines += ["", "Materialen"] + [f"- {m}" for m in plan.materials]
    lines += ["", "Bijlagen: " + (", ".join(handouts) or "geen")]
    for label, text in (
        ("Thuisoefening", plan.home_practice),
        ("Cultuursensitief begeleiden", plan.culture_notes),
        ("Deelnemers die weinig Nederlands lezen", plan.low_literacy_notes),
        ("Achtergrond voor begeleiders", plan.body),
    ):
        lines += ["", label, text.strip()]
    return "\n".join(lines) + "\n"


def _parts(version: MethodiekVersion) -> dict[str, tuple[str, str]]:
    parts = {
        "meta": (
            "Titel en beschrijving",
            f"{version.title}\nVersie {version.label}\n\n{version.description}\n",
        )
    }
    for plan in sorted(version.sessions, key=lambda p: p.number):
        parts[f"sessie-{plan.number:02d}"] = (
            f"Bijeenkomst {plan.number}: {plan.title}",
            session_text(plan),
        )
    for handout in version.handouts:
        parts[f"bijlage:{handout.filename}"] = (f"Bijlage {handout.filename}", handout.body)
    for question_set in version.question_sets:
        label = QUESTION_SET_KINDS.get(question_set.kind, question_set.kind)
        parts[f"evaluatie:{question_set.kind}"] = (
            f"Evaluatievragen {label}",
            dump_yaml(question_set.data),
        )
    for document in version.documents:
        parts[f"document:{document.path}"] = (f"Document {document.path}", document.body)
    return parts


def compare_versions(
    old: MethodiekVersion, new: MethodiekVersion, *, only: set[str] | None = None
) -> tuple[list[PartDiff], int]:
    """The parts that differ between ``old`` and ``new`` and how many parts stayed the same.

    Labels (version names) are left out of the comparison; ``only`` limits it to some part keys.
    """
    old_parts, new_parts = _parts(old), _parts(new)
    old_parts["meta"] = ("Titel en beschrijving", f"{old.title}\n\n{old.description}\n")
    new_parts["meta"] = ("Titel en beschrijving", f"{new.title}\n\n{new.description}\n")
    keys = sorted(set(old_parts) | set(new_parts), key=_part_order)
    diffs: list[PartDiff] = []
    unchanged = 0
    for key in keys:
        if only is not None and key not in only:
            continue
        before = old_parts.get(key)
        after = new_parts.get(key)
        old_text = before[1] if before else ""
        new_text = after[1] if after else ""
        if before and after and old_text == new_text:
            unchanged += 1
            continue
        status = "gewijzigd" if before and after else ("nieuw" if after else "verwijderd")
        removed, added = changed_words(old_text, new_text)
        diffs.append(
            PartDiff(
                key=key,
                label=(after or before or ("", ""))[0],
                status=status,
                html=word_diff(old_text, new_text),
                removed=removed,
                added=added,
            )
        )
    return diffs, unchanged


def _part_order(key: str) -> tuple[int, str]:
    prefixes = ("meta", "sessie-", "bijlage:", "evaluatie:", "document:")
    return next(i for i, p in enumerate(prefixes) if key.startswith(p)), key


def plan_diff(
    number: int, old_plan: SessionPlan | None, new_plan: SessionPlan | None
) -> PartDiff | None:
    """How session ``number`` changed from ``old_plan`` to ``new_plan`` (None: not at all)."""
    old_text = session_text(old_plan) if old_plan else ""
    new_text = session_text(new_plan) if new_plan else ""
    if old_text == new_text:
        return None
    removed, added = changed_words(old_text, new_text)
    return PartDiff(
        key=f"sessie-{number:02d}",
        label=f"Bijeenkomst {number}" + (f": {new_plan.title}" if new_plan else ""),
        status="gewijzigd" if old_plan and new_plan else ("nieuw" if new_plan else "verwijderd"),
        html=word_diff(old_text, new_text),
        removed=removed,
        added=added,
    )
