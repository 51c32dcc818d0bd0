"""Upgrades rehearsed: a database built by the previous release (its migrations, its demo data)
upgrades with ``init-db`` to today's schema, keeps its data and serves its pages; the newest
migration can be undone."""

import os
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.conftest import login
from tests.test_cli import _fresh_database_url
from veiligthuis import create_app
from veiligthuis.auth.models import User
from veiligthuis.demo import DEMO_LOGINS
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group

# the previous release runs in another process, on the real clock
pytestmark = pytest.mark.real_clock

REPO = Path(__file__).resolve().parents[1]
# The previous release: its schema head and a commit of its code at that head.
RELEASE_HEAD = "3a0633c722c9"
RELEASE_COMMIT = "196b85f8d3dee2a47793a86dc4e7c73d1d815e7c"


def _release_tree(tmp_path: Path, commit: str = RELEASE_COMMIT) -> Path:
    """The code of ``commit`` (the previous release unless told), as ``git archive`` gives it."""
    archive = tmp_path / "release.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", f"--output={archive}", commit],
        check=True,
    )
    tree = tmp_path / "release"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def _release_flask(tree: Path, url: str, *arguments: str) -> None:
    """Run a flask command of the previous release's code on ``url``."""
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="upgrade-test", PYTHONPATH=str(tree))
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "veiligthuis", *arguments],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@contextmanager
def demo_upgraded_from(app, tmp_path: Path, commit: str, revision: str):
    """A fresh database that the code of ``commit`` migrated to ``revision`` and filled with its
    method book and demo data, then upgraded by today's code: inside, an app context on it."""
    url, drop = _fresh_database_url(app, tmp_path)
    try:
        tree = _release_tree(tmp_path, commit)
        _release_flask(tree, url, "db", "upgrade", revision)
        _release_flask(tree, url, "import-methodiek")
        _release_flask(tree, url, "seed-demo")
        upgraded = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
        with upgraded.app_context():
            upgrade()
            yield upgraded
            db.engine.dispose()
    finally:
        if drop:
            drop()


def _counts(engine) -> dict[str, int]:
    names = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    with engine.connect() as connection:
        return {n: connection.scalar(sa.text(f'SELECT count(*) FROM "{n}"')) for n in names}


def test_previous_release_upgrades_with_its_data_and_pages(app, tmp_path):
    url, drop = _fresh_database_url(app, tmp_path)
    try:
        tree = _release_tree(tmp_path)
        _release_flask(tree, url, "db", "upgrade", RELEASE_HEAD)
        _release_flask(tree, url, "seed-demo")
        engine = sa.create_engine(url)
        release_counts = _counts(engine)
        engine.dispose()
        assert release_counts["participants"] > 10

        upgraded = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "x",
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with upgraded.app_context():
            result = upgraded.test_cli_runner().invoke(args=["init-db"])
            assert result.exit_code == 0, result.output
            counts = _counts(db.engine)
            # tables of the release keep every row; new tables may come, and a migration may
            # record a setting for existing installs (two-step login stays off until chosen)
            assert counts["settings"] >= release_counts["settings"]
            kept = {t: counts[t] for t in release_counts if t != "settings"}
            assert kept == {t: n for t, n in release_counts.items() if t != "settings"}
            coordinator = db.session.scalar(
                sa.select(User).where(User.email == DEMO_LOGINS["accounts"][0][0])
            )
            group_ids = db.session.scalars(sa.select(Group.id)).all()
            db.session.remove()
        client = upgraded.test_client()
        with upgraded.app_context():  # her authenticator secret is set in the upgraded database
            login(client, coordinator, DEMO_LOGINS["password"])
        pages = ["/", "/groepen", "/beheer", "/beheer/audit", "/rapportage", "/methodiek"]
        pages += [f"/groepen/{gid}" for gid in group_ids]
        pages += [f"/groepen/{gid}/deelnemers" for gid in group_ids]
        statuses = {page: client.get(page).status_code for page in pages}
        assert statuses == dict.fromkeys(pages, 200)

        # the newest migration has a way back, and forward again
        with upgraded.app_context():
            downgrade(revision="-1")
            upgrade()
            db.engine.dispose()
    finally:
        if drop:
            drop()
