"""Restore rehearsed: a backup taken while participants submit evaluations restores into a new
database with consistent counts in every table, and with the uploads folder."""

import hashlib
import threading
from pathlib import Path

import sqlalchemy as sa

from tests.evaluations.conftest import eval_group, methodiek_version, open_round, send_form  # noqa: F401
from tests.test_cli import _fresh_database_url
from veiligthuis import create_app
from veiligthuis.extensions import db
from veiligthuis.methodiek.uploads import blob_path

SUBMISSIONS = 24


def _counts(engine) -> dict[str, int]:
    """Rows per table of the models, whatever the areas keep in them."""
    with engine.connect() as connection:
        return {
            t.name: connection.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables
        }


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_backup_during_submissions_restores_consistently(
    app,
    runner,
    eval_group,  # noqa: F811
    open_round,  # noqa: F811
    tmp_path,
):
    group = eval_group()
    round_, codes = open_round(group, count=SUBMISSIONS)
    uploads = Path(app.config["UPLOAD_FOLDER"])
    content = b"%PDF-1.4 werkblad"
    blob = blob_path(uploads, hashlib.sha256(content).hexdigest())
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(content)

    started, backed_up = threading.Event(), threading.Event()
    statuses = []

    def submit_all():
        client = app.test_client()
        for index, code in enumerate(codes):
            response = send_form(
                client, code, {"q-veilig_in_groep": "4", "q-opmerking": f"fijn {index}"}
            )
            statuses.append(response.status_code)
            if index == 3:
                started.set()
                backed_up.wait(timeout=60)  # the rest arrives while and after the copy runs

    before = _counts(db.engine)
    worker = threading.Thread(target=submit_all)
    worker.start()
    assert started.wait(timeout=60)
    target = tmp_path / "backup" / "veiligthuis.copy"
    result = runner.invoke(args=["backup", str(target)])
    backed_up.set()
    worker.join(timeout=120)
    assert result.exit_code == 0, result.output
    assert statuses == [303] * SUBMISSIONS
    after = _counts(db.engine)

    url, drop = _fresh_database_url(app, tmp_path)
    restored_uploads = tmp_path / "restored-uploads"
    try:
        restored_app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_FOLDER": str(restored_uploads),
            }
        )
        # the command runs in the app context it finds: the restored app's, not the test's
        with restored_app.app_context():
            result = restored_app.test_cli_runner().invoke(args=["restore", str(target)])
            assert result.exit_code == 0, result.output
            restored = _counts(db.engine)
            again = restored_app.test_cli_runner().invoke(args=["restore", str(target)])
            db.engine.dispose()
    finally:
        if drop:
            drop()
    assert again.exit_code != 0 and "niet leeg" in again.output

    # Every table is the same, except what the submissions add: of those, the copy holds
    # whole submissions only, n of them, where n is between the four before and all of them.
    grown = {t: (after[t] - before[t]) // SUBMISSIONS for t in after if after[t] != before[t]}
    assert grown and all((after[t] - before[t]) % SUBMISSIONS == 0 for t in grown)
    first = next(iter(grown))
    included = (restored[first] - before[first]) // grown[first]
    assert 4 <= included <= SUBMISSIONS
    assert restored == {t: before[t] + grown.get(t, 0) * included for t in before}
    assert _files(restored_uploads) == _files(uploads)
