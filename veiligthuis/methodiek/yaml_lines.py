"""YAML with line numbers, so that every problem in a methodiek file can name its line."""

from __future__ import annotations

from typing import Any

import yaml

from veiligthuis.methodiek.content import Path_, Problem


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
