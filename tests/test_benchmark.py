"""The benchmark keeps working: a tiny organisation, one short round of every measurement."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tiny_run(tmp_path, *options: str, env: dict | None = None) -> str:
    """One short round of every measurement at a tiny size; the printed report."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--size",
            "0.01",
            "--seconds",
            "0.2",
            "--repeat",
            "1",
            "--client",
            "python",
            "--workers",
            "1",
            "--workdir",
            str(tmp_path),
            "--quiet",
            *options,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_generator_and_runner_at_a_tiny_size(app, tmp_path):
    """On the suite's kind of database: SQLite, or on PostgreSQL a database of its own on the
    suite's server, whose commits are not durable (a smoke run, which the report says)."""
    import sqlalchemy as sa

    from veiligthuis.extensions import db

    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        table = _tiny_run(tmp_path, "--db", "sqlite")
        # how a commit reached the disk, on the app's own connections
        durability = "; SQLite journal_mode=wal, synchronous=FULL"
        # its codes are used up: the data set is not offered to the next run
        assert not list(tmp_path.glob("manifest-*.json"))
    else:
        own = url.set(database="vt_bench_tiny").render_as_string(hide_password=False)
        server = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.exec_driver_sql("DROP DATABASE IF EXISTS vt_bench_tiny")
            connection.exec_driver_sql("CREATE DATABASE vt_bench_tiny")
        try:
            env = os.environ | {"BENCH_POSTGRES_URL": own}
            table = _tiny_run(tmp_path, "--db", "postgres", "--smoke", env=env)
        finally:
            with server.connect() as connection:
                connection.exec_driver_sql("DROP DATABASE vt_bench_tiny WITH (FORCE)")
            server.dispose()
        # the suite's server runs with fsync off (scripts/with-postgres), unless PG_FSYNC=on
        with app.app_context():
            fsync = db.session.execute(sa.text("SHOW fsync")).scalar()
            db.session.rollback()
        durability = (
            " (commits not durable: a smoke run, not a measurement)"
            if fsync == "off"
            else "; PostgreSQL fsync=on, synchronous_commit=on"
        )
    header = next(line for line in table.splitlines() if line.startswith("size 0.01 on "))
    # then how WeasyPrint subsets the PDFs' fonts: HarfBuzz-Subset, as make test installs it
    measured, renderer = header.split("; PDF fonts subset by ")
    assert measured.endswith(durability), header
    assert renderer == "HarfBuzz-Subset" or renderer.endswith("(a smoke run, not a measurement)")
    for label in ("/groepen as coordinator", "/rapportage", "/agenda/<token>.ics", "dashboard"):
        assert f"| {label} |" in table
    assert "| draaiboek |" in table and "| slips for 30 codes |" in table
    assert " 0 refused" in table
    # the app's workers ran the production start-up hook, as a production worker does
    assert "PDF renderer ready in" in (tmp_path / "app.log").read_text()


def test_the_bare_page_renders_a_compiled_template_as_any_flask_page_does(tmp_path, monkeypatch):
    """A reference that compiled its template on every request (``render_template_string``)
    would be slowed by work no real page does, and every ratio against it would look better
    than it is."""
    import sqlalchemy as sa

    from benchmarks import bare

    url = f"sqlite:///{tmp_path / 'bare.sqlite3'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("create table locations (id integer primary key, name text)")
        connection.exec_driver_sql(
            "create table groups (id integer primary key, name text, location_id integer)"
        )
        connection.exec_driver_sql(
            "create table group_sessions (id integer primary key, group_id integer, "
            "number integer, start_dt text, status text)"
        )
        connection.exec_driver_sql("insert into locations values (1, 'Wijkcentrum')")
        connection.exec_driver_sql("insert into groups values (1, 'Groep A', 1)")
        connection.exec_driver_sql(
            "insert into group_sessions values (1, 1, 1, '2026-01-05 10:00', 'planned')"
        )
    engine.dispose()
    monkeypatch.setenv("BENCH_DATABASE_URL", url)
    app = bare.create_app()
    compiled = []
    original = app.jinja_env.compile
    monkeypatch.setattr(
        app.jinja_env, "compile", lambda *a, **k: compiled.append(1) or original(*a, **k)
    )
    client = app.test_client()
    pages = [client.get("/bare?group=1") for _ in range(3)]
    assert all(page.status_code == 200 and b"Wijkcentrum" in page.data for page in pages)
    assert len(compiled) <= 1


def test_the_runner_measures_only_where_a_commit_is_on_disk_before_it_is_answered(
    app, tmp_path, monkeypatch
):
    """A database that answers a commit before its log is on disk makes the pages that write
    (audited lists, submissions) look cheaper than production's: the runner refuses it."""
    import sqlalchemy as sa

    import veiligthuis
    from benchmarks.run import durability
    from veiligthuis.extensions import db

    said, unfair = durability(f"sqlite:///{tmp_path / 'ok.sqlite3'}", tmp_path / "instance")
    assert (said, unfair) == ("SQLite journal_mode=wal, synchronous=FULL", None)

    with app.app_context():
        dialect = db.engine.dialect.name
        url = db.engine.url.render_as_string(hide_password=False)
        name = db.engine.url.database
        fsync = db.session.execute(sa.text("SHOW fsync")).scalar() if dialect != "sqlite" else ""
        db.session.rollback()
    if dialect == "sqlite":
        # a file in rollback-journal mode, opened without the app's own settings
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'journal.sqlite3'}")
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()
        monkeypatch.setattr(veiligthuis, "_configure_sqlite", lambda _app: None)
        _said, unfair = durability(f"sqlite:///{tmp_path / 'journal.sqlite3'}", tmp_path / "i")
        assert unfair is not None and "journal_mode=delete" in unfair
        return
    _said, unfair = durability(url, tmp_path / "instance")
    # the suite's throw-away server runs without fsync (scripts/with-postgres), production not
    assert (unfair is not None and "fsync=off" in unfair) == (fsync == "off")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
            try:
                _said, unfair = durability(url, tmp_path / "instance")
            finally:
                connection.exec_driver_sql(f'ALTER DATABASE "{name}" RESET synchronous_commit')
    finally:
        engine.dispose()
    assert unfair is not None and "synchronous_commit=off" in unfair


def test_the_pdf_figures_are_refused_where_weasyprint_would_fall_back_to_fonttools(monkeypatch):
    """Without HarfBuzz-Subset every PDF takes half again as long as on a server set up as
    docs/deployment.md says: the benchmarks refuse to time that."""
    import pytest
    import weasyprint.pdf.fonts

    from benchmarks.run import refuse_slow_renderer, renderer

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    said, unfair = renderer()
    assert unfair == said == "PDF fonts subset by fontTools (no libharfbuzz-subset0)"
    with pytest.raises(SystemExit, match="make pdf-libs"):
        refuse_slow_renderer()


def test_a_kept_data_set_built_for_other_tables_is_built_again(app, tmp_path):
    """After a migration the kept SQLite file lacks the new columns: every page would fail."""
    from argparse import Namespace

    from benchmarks.generate import schema_fingerprint
    from benchmarks.run import database, prepare

    args = Namespace(db="sqlite", size=0.004, regenerate=False, quiet=True)
    url = database(args, tmp_path)
    Path(url.removeprefix("sqlite:///")).write_bytes(b"")
    kept = tmp_path / "manifest-sqlite-0.004.json"
    kept.write_text(json.dumps({"database_url": url, "schema": "before", "totals": {}}))
    manifest = prepare(args, tmp_path)
    assert manifest["schema"] == schema_fingerprint()
    assert manifest["totals"]["groups"] == 2
    # and one built for these tables is used as it is
    assert prepare(args, tmp_path) == manifest
