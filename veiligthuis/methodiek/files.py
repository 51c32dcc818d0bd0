"""Writing a methodiek back to files, in one canonical layout.

The writer is deterministic: the same content always gives the same bytes, and reading what it
wrote gives the same content again. The files in the repository's methodiek/ folder are kept in
this layout, so exporting an imported version reproduces them byte for byte.

YAML layout: block style, two spaces of indentation, list items indented under their key.
A text that fits on its key's line stays there (quoted only when YAML needs it); a longer
single-line text becomes a folded block (``>-``) wrapped at 80 columns; a text with line breaks
becomes a literal block (``|``). List items always stay on one line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from veiligthuis.methodiek.content import (
    HANDOUTS_DIR,
    META_FILE,
    META_KEYS,
    SESSION_COUNT,
    SESSION_MINUTES,
    Content,
    question_set_path,
)

WIDTH = 80
_PLAIN_FIRST = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_resolver = yaml.SafeLoader("")


def content_files(content: Content) -> dict[str, bytes]:
    """Every file of ``content``: relative path -> bytes, in canonical layout."""
    files: dict[str, str] = {}
    meta: dict[str, Any] = {key: content.meta.get(key, "") for key in META_KEYS}
    if (content.session_count, content.session_minutes) != (SESSION_COUNT, SESSION_MINUTES):
        meta.update(sessions=content.session_count, minutes=content.session_minutes)
    files[META_FILE] = dump_yaml(meta)
    for session in content.sessions:
        files[session.path] = "---\n" + dump_yaml(session.front_matter()) + "---\n" + session.body
    for name, text in content.handouts.items():
        files[f"{HANDOUTS_DIR}/{name}"] = text
    for kind, data in content.question_sets.items():
        files[question_set_path(kind)] = dump_yaml(data)
    for path, text in content.documents.items():
        files[path] = text
    return {path: files[path].encode("utf-8") for path in sorted(files)}


def write_folder(content: Content, root: str | Path) -> list[str]:
    """Write ``content`` into ``root``; returns the relative paths written."""
    root = Path(root)
    written = []
    for rel, data in content_files(content).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(rel)
    return written


# --- a small, predictable YAML emitter -----------------------------------------------------


def dump_yaml(data: Any) -> str:
    """``data`` (maps, lists, text, numbers, booleans) as canonical block YAML."""
    lines: list[str] = []
    if isinstance(data, dict) and data:
        _mapping(data, 0, lines)
    elif isinstance(data, list) and data:
        _sequence(data, 0, lines)
    else:
        lines.append(_inline(data))
    text = "\n".join(lines) + "\n"
    if yaml.safe_load(text) != data:  # a bug in this emitter, never a user's mistake
        raise ValueError("YAML round trip failed")
    return text


def _mapping(data: dict, indent: int, lines: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for position, (key, value) in enumerate(data.items()):
        prefix = first_prefix if position == 0 and first_prefix is not None else pad
        head = f"{prefix}{_key(key)}:"
        if isinstance(value, dict):
            if not value:
                lines.append(head + " {}")
            else:
                lines.append(head)
                _mapping(value, indent + 2, lines)
        elif isinstance(value, list):
            if not value:
                lines.append(head + " []")
            else:
                lines.append(head)
                _sequence(value, indent + 2, lines)
        else:
            _scalar_value(value, head, indent + 2, lines)


def _sequence(data: list, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in data:
        if isinstance(item, dict) and item:
            _mapping(item, indent + 2, lines, first_prefix=pad + "- ")
        elif isinstance(item, list) and item:
            lines.append(pad + "-")
            _sequence(item, indent + 2, lines)
        elif isinstance(item, str) and "\n" in item:
            _scalar_value(item, pad + "-", indent + 2, lines)
        else:
            lines.append(f"{pad}- {_inline(item)}")


def _scalar_value(value: Any, head: str, indent: int, lines: list[str]) -> None:
    """``head`` followed by a scalar: on the same line if it fits, else as a block."""
    if not isinstance(value, str):
        lines.append(f"{head} {_inline(value)}")
        return
    inline = _inline(value)
    if "\n" not in value and (len(head) + 1 + len(inline) <= WIDTH or not _foldable(value)):
        lines.append(f"{head} {inline}")
    elif "\n" not in value:
        lines.append(f"{head} >-")
        lines.extend(" " * indent + line for line in _wrap(value, WIDTH - indent))
    elif _literal_ok(value):
        body = value.rstrip("\n")
        trailing = len(value) - len(body)
        chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
        lines.append(f"{head} |{chomp}")
        for line in body.split("\n"):
            lines.append(" " * indent + line if line else "")
        lines.extend("" for _ in range(max(trailing - 1, 0)))
    else:
        lines.append(f"{head} {_quoted(value)}")


def _key(key: Any) -> str:
    if isinstance(key, str) and _plain_ok(key):
        return key
    return _inline(key)


def _inline(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    text = str(value)
    return text if _plain_ok(text) else _quoted(text)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar; what YAML would not read back as-is is escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _NON_PRINTABLE.match(char) or char in "\x85\u2028\u2029\ufeff\r":
            code = ord(char)
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _plain_ok(text: str) -> bool:
    """Whether ``text`` reads back as the same string without quotes."""
    if not text or text != text.strip() or "\n" in text or _NON_PRINTABLE.search(text):
        return False
    if not _PLAIN_FIRST.match(text) or ": " in text or " #" in text or text.endswith(":"):
        return False
    if any(c in text for c in "\t\r\x85\u2028\u2029\ufeff"):
        return False
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    return tag == "tag:yaml.org,2002:str"


def _foldable(text: str) -> bool:
    """A folded block keeps ``text`` exactly when single spaces separate its words."""
    return (
        bool(text)
        and text == text.strip()
        and "  " not in text
        and "\t" not in text
        and not _NON_PRINTABLE.search(text)
        and "\x85" not in text
        and "\r" not in text
        and "\u2028" not in text
        and "\u2029" not in text
        and "\ufeff" not in text
    )


def _literal_ok(text: str) -> bool:
    if _NON_PRINTABLE.search(text) or text.startswith((" ", "\n")) or "\r" in text:
        return False
    if any(c in text for c in "\x85\u2028\u2029\ufeff\t"):
        return False
    return all(line == line.rstrip() for line in text.split("\n"))


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines
