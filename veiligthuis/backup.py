"""Backup and restore of the database and the uploads folder, for SQLite and PostgreSQL.

A backup is the database copy (SQLite's backup API, or ``pg_dump --format=custom``) plus, next to
it, ``<target>.uploads.tar`` with the uploads folder. The database is copied first: uploads are
content-addressed and never changed in place, so every file a copied row refers to is already in
the folder when it is archived afterwards.

The PostgreSQL password travels in ``PGPASSWORD`` (the environment of the child process only),
never on the command line, where ``ps`` shows it to every user of the machine.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator (Dutch)."""


def uploads_archive(target: str | Path) -> Path:
    """Where the uploads of the backup at ``target`` are kept."""
    return Path(f"{target}.uploads.tar")


def libpq_command(program: str, url: URL, *arguments: str) -> tuple[list[str], dict[str, str]]:
    """The argv and environment to run a libpq ``program`` on ``url``; no password in argv."""
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGDATABASE", url.database),
        ("PGPASSWORD", url.password),
    ):
        if value is not None:
            env[name] = str(value)
    # query options such as sslmode=require become libpq's PGSSLMODE and friends
    for key, option in url.query.items():
        env[f"PG{key.upper()}"] = option if isinstance(option, str) else option[-1]
    return [program, *arguments], env


def _sqlite_file(url: URL) -> str:
    assert url.database is not None, "a SQLite DATABASE_URL names its file"
    return url.database


def backup(url: URL, target: Path, upload_folder: Path) -> None:
    """Write the database at ``url`` to ``target`` and the uploads next to it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source, copy = sqlite3.connect(_sqlite_file(url)), sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    else:
        argv, env = libpq_command(_program("pg_dump"), url, "--format=custom", f"--file={target}")
        subprocess.run(argv, env=env, check=True)
    os.chmod(target, 0o600)
    archive = uploads_archive(target)
    with tarfile.open(archive, "w") as tar:
        if upload_folder.is_dir():
            tar.add(upload_folder, arcname=".")
    os.chmod(archive, 0o600)


def restore(url: URL, source: Path, upload_folder: Path) -> None:
    """Load the backup at ``source`` into the empty database at ``url``, and its uploads."""
    if not source.is_file():
        raise BackupError(f"Reservekopie {source} bestaat niet.")
    engine = sa.create_engine(url)
    try:
        tables = sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(
            "De database is niet leeg. Zet een reservekopie alleen terug in een nieuwe, lege "
            "database (DATABASE_URL), zodat er niets door elkaar raakt."
        )
    if url.get_backend_name() == "sqlite":
        copy, live = sqlite3.connect(source), sqlite3.connect(_sqlite_file(url))
        with live:
            copy.backup(live)
        live.close()
        copy.close()
    else:
        argv, env = libpq_command(
            _program("pg_restore"),
            url,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={url.database}",
            str(source),
        )
        subprocess.run(argv, env=env, check=True)
    archive = uploads_archive(source)
    if archive.is_file():
        upload_folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(upload_folder, filter="data")


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is niet gevonden (Debian-pakket postgresql-client).")
    return path
