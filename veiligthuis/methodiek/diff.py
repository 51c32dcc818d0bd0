"""Word-level differences between two texts, as HTML with <ins> and <del>."""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

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
