"""check-methodiek, import-methodiek and export-methodiek, on small folders and the real one."""

from pathlib import Path

import sqlalchemy as sa

from veiligthuis.extensions import db
from veiligthuis.methodiek.cli import DEFAULT_DIR
from veiligthuis.methodiek.models import MethodiekVersion, SessionPlan

REPO_METHODIEK = Path(__file__).resolve().parents[2] / "methodiek"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def test_check_reports_every_problem_with_file_and_line(runner, folder):
    assert runner.invoke(args=["check-methodiek", str(folder)]).exit_code == 0
    path = folder / "sessies/02-thema-2.md"
    path.write_text(path.read_text().replace("minutes: 40", "minutes: 50"))
    (folder / "bijlagen/05-blad.md").unlink()
    result = runner.invoke(args=["check-methodiek", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("sessies/02-thema-2.md:")
    assert lines[0].endswith(
        "160 minuten: 10 minuten langer dan de 150 minuten van een bijeenkomst"
    )
    assert (
        lines[1].startswith("sessies/05-thema-5.md:")
        and "bijlagen/05-blad.md bestaat niet" in lines[1]
    )
    assert lines[2] == "2 probleem/problemen gevonden."


def test_the_repository_methodiek_passes_the_check(runner):
    assert DEFAULT_DIR == REPO_METHODIEK
    result = runner.invoke(args=["check-methodiek"])
    assert result.exit_code == 0, result.output
    assert "geen problemen gevonden" in result.output


def test_import_refuses_a_broken_folder_and_imports_nothing(runner, folder, app_ctx):
    (folder / "evaluatie/sessie.yaml").write_text("set: sessie\ntitle: [\n")
    result = runner.invoke(args=["import-methodiek", str(folder)])
    assert result.exit_code == 1
    assert "evaluatie/sessie.yaml:" in result.output and "niet ingelezen" in result.output
    assert db.session.scalar(sa.select(sa.func.count(MethodiekVersion.id))) == 0


def test_import_if_empty_only_once(runner, folder, app_ctx):
    result = runner.invoke(args=["import-methodiek", str(folder), "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "2026.1 ingelezen en gepubliceerd" in result.output
    result = runner.invoke(args=["import-methodiek", str(folder), "--if-empty"])
    assert result.exit_code == 0 and "niets ingelezen" in result.output
    result = runner.invoke(args=["import-methodiek", str(folder)])
    assert result.exit_code == 1 and "Er is al een versie 2026.1" in result.output
    assert db.session.scalar(sa.select(sa.func.count(MethodiekVersion.id))) == 1


def test_export_after_import_gives_the_same_bytes_for_the_whole_repository_folder(
    runner, app_ctx, tmp_path
):
    result = runner.invoke(args=["import-methodiek"])
    assert result.exit_code == 0, result.output
    version = db.session.scalar(sa.select(MethodiekVersion))
    assert version.label and version.is_published
    assert (
        db.session.scalar(
            sa.select(sa.func.count(SessionPlan.id)).where(SessionPlan.version_id == version.id)
        )
        == 12
    )
    target = tmp_path / "export"
    result = runner.invoke(args=["export-methodiek", str(target)])
    assert result.exit_code == 0, result.output
    original, exported = _files(REPO_METHODIEK), _files(target)
    assert sorted(exported) == sorted(original)
    different = [name for name in original if original[name] != exported[name]]
    assert different == []


def test_export_refuses_a_full_folder_unless_told_and_then_cleans_up(
    runner, folder, app_ctx, tmp_path
):
    assert runner.invoke(args=["import-methodiek", str(folder)]).exit_code == 0
    target = tmp_path / "doel"
    (target / "sessies").mkdir(parents=True)
    stale = target / "sessies/13-oud.md"
    stale.write_text("oud")
    notes = target / "notities.txt"
    notes.write_text("van mij")
    result = runner.invoke(args=["export-methodiek", str(target)])
    assert result.exit_code == 1 and "is niet leeg" in result.output
    version_id = db.session.scalar(sa.select(MethodiekVersion.id))
    result = runner.invoke(
        args=["export-methodiek", str(target), "--version", str(version_id), "--overwrite"]
    )
    assert result.exit_code == 0, result.output
    assert not stale.exists() and notes.read_text() == "van mij"
    assert _files(folder).items() <= _files(target).items()
    result = runner.invoke(args=["export-methodiek", str(tmp_path / "x"), "--version", "999"])
    assert result.exit_code == 1 and "Versie 999 bestaat niet" in result.output
