"""The methodiek area keeps the shape of every area: small files, and pages that never commit."""

import ast
from pathlib import Path

import pytest

AREA = Path(__file__).parents[2] / "veiligthuis" / "methodiek"
PAGES = ("views.py", "session_views.py", "text_views.py", "blueprint.py")


@pytest.mark.parametrize("path", sorted(AREA.glob("*.py")), ids=lambda p: p.name)
def test_files_stay_under_500_lines(path):
    assert len(path.read_text().splitlines()) < 500


@pytest.mark.parametrize("name", PAGES)
def test_pages_leave_committing_to_the_request(name):
    # web.py commits once after the view returns and rolls back an error page.
    tree = ast.parse((AREA / name).read_text())
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("commit", "rollback")
    ]
    assert calls == [], f"{name} commits or rolls back itself on lines {calls}"
