"""Retention: what it removes is gone from the live database files, and the run is audited."""

import glob
import os
from datetime import date

import sqlalchemy as sa

from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.purge import PURGED_TABLES
from veiligthuis.support.models import SupportContact

PLANTED = {
    "alias": "Xandrijnke",
    "phone": "0611223344",
    "safe_notes": "BelNooitNaZesUur",
}
NOTE = "GesprekOverZuidwijk"


def _database_files(engine) -> list[str]:
    """The files that hold the live data: SQLite's db and -wal, PostgreSQL's table files."""
    if engine.dialect.name == "sqlite":
        return [engine.url.database, engine.url.database + "-wal"]
    with engine.connect() as connection:
        connection.exec_driver_sql("CHECKPOINT")  # every dirty page on disk, as after a crash
        data_dir = connection.exec_driver_sql("SHOW data_directory").scalar()
        files = []
        for table in PURGED_TABLES:
            for relation in (table, _toast_of(connection, table)):
                if relation:
                    path = connection.scalar(
                        sa.text("SELECT pg_relation_filepath(:r)"), {"r": relation}
                    )
                    files.extend(glob.glob(os.path.join(data_dir, path) + "*"))
    return files


def _toast_of(connection, table):
    return connection.scalar(
        sa.text(
            "SELECT reltoastrelid::regclass::text FROM pg_class "
            "WHERE oid = CAST(:t AS regclass) AND reltoastrelid <> 0"
        ),
        {"t": table},
    )


def _found(files, values) -> set[str]:
    found = set()
    for path in files:
        if os.path.exists(path):
            with open(path, "rb") as file:
                content = file.read()
            found |= {v for v in values if v.encode() in content}
    return found


def test_retention_leaves_no_trace_in_the_database_files(app, runner, app_ctx, make_group):
    group = make_group(participants=1, first_date=date(2023, 9, 4))
    group.status = "completed"
    participant = group.participants[0]
    for field, value in PLANTED.items():
        setattr(participant, field, value)
    db.session.add(
        SupportContact(
            participant_id=participant.id, contact_date=date(2023, 10, 2), kind="phone", note=NOTE
        )
    )
    db.session.commit()
    values = {*PLANTED.values(), NOTE}
    before = _database_files(db.engine)
    assert _found(before, values) == values  # the probe can see them while they are there

    db.session.remove()
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "1 deelnemer(s) geanonimiseerd" in result.output

    # the old files (PostgreSQL rewrote them) and the current ones
    assert _found(set(before) | set(_database_files(db.engine)), values) == set()


def test_retention_writes_an_audit_entry_with_counts_only(runner, app_ctx, make_group):
    group = make_group(participants=2, first_date=date(2023, 9, 4))
    group.status = "completed"
    group.participants[0].alias = "Xandrijnke"
    db.session.commit()
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "retention")
    ).all()
    assert len(entries) == 1
    assert "2 deelnemer(s)" in entries[0].detail
    assert entries[0].participant_code is None and "Xandrijnke" not in entries[0].detail
