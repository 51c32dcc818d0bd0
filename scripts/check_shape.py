"""Fail when a Python file is over 500 lines or a function over cyclomatic complexity 15.

Usage: python scripts/check_shape.py PATH... (files or packages). Complexity is radon's.
"""

import sys
from pathlib import Path

from radon.complexity import cc_visit

MAX_LINES = 500
MAX_COMPLEXITY = 15


def problems(path: Path) -> list[str]:
    """What in one file breaks the limits, as 'file:line message' strings."""
    source = path.read_text(encoding="utf-8")
    found = []
    lines = source.count("\n") + 1
    if lines > MAX_LINES:
        found.append(f"{path}: {lines} lines (at most {MAX_LINES})")
    for block in cc_visit(source):
        if block.complexity > MAX_COMPLEXITY:
            found.append(
                f"{path}:{block.lineno} {block.fullname} has complexity {block.complexity} "
                f"(at most {MAX_COMPLEXITY})"
            )
    return found


def main(arguments: list[str]) -> int:
    """Check every .py file under the given paths; print what is too big."""
    files = []
    for argument in arguments:
        root = Path(argument)
        files.extend(sorted(root.rglob("*.py")) if root.is_dir() else [root])
    found = [problem for path in files for problem in problems(path)]
    print(
        "\n".join(found)
        or f"{len(files)} files within {MAX_LINES} lines and complexity {MAX_COMPLEXITY}"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
