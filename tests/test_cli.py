"""Commands: init-db against a fresh database, create-user, seed-demo."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from veiligthuis import create_app
from veiligthuis.auth.models import User
from veiligthuis.auth.service import authenticate
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group, Participant
from veiligthuis.sessions.models import Attendance


def _fresh_database_url(app, tmp_path):
    """An empty database of the same kind as the test database."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}", None
    name = f"{url.database}_migrations"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def test_init_db_builds_exactly_the_models_schema(app, tmp_path):
    url, drop = _fresh_database_url(app, tmp_path)
    try:
        fresh = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
        result = fresh.test_cli_runner().invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        with fresh.app_context():
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "render_as_batch": True}
                )
                assert compare_metadata(context, db.metadata) == []
            db.engine.dispose()
    finally:
        if drop:
            drop()


def test_create_user_reads_the_password_from_stdin(runner, app_ctx):
    result = runner.invoke(
        args=[
            "create-user",
            "nina@example.org",
            "--name",
            "Nina",
            "--role",
            "facilitator",
            "--role",
            "editor",
        ],
        input="een-lang-wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    user = authenticate(db.session, "nina@example.org", "een-lang-wachtwoord")
    assert user is not None and user.roles == {"facilitator", "editor"}


def test_create_user_refuses_a_short_password(runner, app_ctx):
    result = runner.invoke(
        args=["create-user", "nina@example.org", "--role", "facilitator"], input="kort\n"
    )
    assert result.exit_code != 0
    assert "minstens 12 tekens" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_seed_demo_is_realistic_and_idempotent(runner, app_ctx):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "coordinator@demo.veiligthuis.nl" in first.output
    # every demo account is printed, the parallel offer's staff too
    printed = {line.split()[0] for line in first.output.splitlines() if "@demo." in line}
    assert printed == set(db.session.scalars(sa.select(User.email)))
    counts = {
        model: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Group, Participant, Attendance)
    }
    # three women's groups, and the parallel offer: a men's and a children's group
    assert counts[User] == 10 and counts[Group] == 5
    statuses = set(db.session.scalars(sa.select(Group.status)))
    assert statuses == {"completed", "running", "planned"}
    assert counts[Attendance] > 50
    second = runner.invoke(args=["seed-demo"])
    assert "waren er al" in second.output
    for model, count in counts.items():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == count


def test_retention_anonymises_only_groups_past_their_term(runner, app_ctx, make_group):
    from datetime import date

    from veiligthuis.groups.service import anonymise_expired

    old = make_group(participants=2, first_date=date(2023, 9, 4))
    recent = make_group(participants=2, first_date=date(2026, 1, 5))
    running = make_group(participants=1, first_date=date(2023, 9, 5))
    for group in (old, recent):
        group.status = "completed"
    old.participants[0].phone = "0612345678"
    old.participants[0].age_band = "35_44"
    db.session.commit()
    assert anonymise_expired(db.session, date(2026, 11, 23), 24) == 2
    db.session.commit()
    assert {p.alias for p in old.participants} == {"geanonimiseerd"}
    assert old.participants[0].phone == "" and old.participants[0].age_band == "35_44"
    assert "geanonimiseerd" not in {p.alias for p in recent.participants + running.participants}
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0 and "0 deelnemer(s) geanonimiseerd" in result.output


def test_backup_writes_a_readable_copy(runner, app, app_ctx, make_group, tmp_path):
    make_group(participants=3)
    target = tmp_path / "copy.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite":
        engine = sa.create_engine(f"sqlite:///{target}")
        with engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT count(*) FROM participants")) == 3
        engine.dispose()
    else:
        assert target.read_bytes()[:5] == b"PGDMP"
