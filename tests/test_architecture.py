"""The shape of the code, checked by reading it: areas talk through signals and template hooks.

No view imports another area's views (at module level or inside a function), no service
imports Flask, and no template hides a missing area behind ``ignore missing``.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "veiligthuis"


def _imported_modules(source: str, package: str) -> set[str]:
    """Every module ``source`` (a module of ``package``) imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            # "from veiligthuis.support import views" imports a module too
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _imports_of(path: Path) -> set[str]:
    package = ".".join(path.relative_to(PACKAGE.parent).parts[:-1])
    return _imported_modules(path.read_text(encoding="utf-8"), package)


def _area(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


VIEWS = sorted(PACKAGE.glob("*/views.py"))
SERVICES = sorted(
    p for p in PACKAGE.rglob("*.py") if p.stem == "service" or p.stem.endswith("_service")
)


def test_the_walk_finds_the_areas():
    assert {_area(p) for p in VIEWS} >= {"groups", "sessions", "support", "evaluations"}
    assert {_area(p) for p in SERVICES} >= {"groups", "sessions", "support", "evaluations"}


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: _area(p))
def test_no_view_imports_another_areas_views(path):
    own = f"veiligthuis.{_area(path)}.views"
    foreign = sorted(
        name
        for name in _imports_of(path)
        if name.startswith("veiligthuis.") and name.endswith(".views") and name != own
    )
    assert foreign == [], f"{path.relative_to(PACKAGE)} imports {foreign}"


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_service_imports_flask(path):
    flask = sorted(
        name
        for name in _imports_of(path)
        if name == "flask" or name.startswith(("flask.", "flask_"))
    )
    assert flask == [], f"{path.relative_to(PACKAGE)} imports {flask}"


def test_the_walk_sees_imports_inside_functions_and_relative_ones():
    source = "def page():\n    from veiligthuis.support import views\n    from ..evaluations.views import x\n"
    found = _imported_modules(source, "veiligthuis.sessions")
    assert {"veiligthuis.support.views", "veiligthuis.evaluations.views"} <= found


def test_no_template_includes_with_ignore_missing():
    guarded = [
        str(path.relative_to(PACKAGE))
        for path in sorted((PACKAGE / "templates").rglob("*.html"))
        if "ignore missing" in path.read_text(encoding="utf-8")
    ]
    assert guarded == []


@pytest.mark.parametrize(
    "path",
    sorted((PACKAGE.parent / "tests" / "e2e").glob("test_*.py")),
    ids=lambda p: p.name,
)
def test_every_browser_journey_carries_the_e2e_marker(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    marks = [
        ast.unparse(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
    ]
    assert marks == ["pytest.mark.e2e"]
