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
    assert "minstens 10 tekens" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_seed_demo_is_realistic_and_idempotent(runner, app_ctx):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "coordinator@demo.veiligthuis.nl" in first.output
    counts = {
        model: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Group, Participant, Attendance)
    }
    assert counts[User] == 6 and counts[Group] == 3
    statuses = set(db.session.scalars(sa.select(Group.status)))
    assert statuses == {"completed", "running", "planned"}
    assert counts[Attendance] > 50
    second = runner.invoke(args=["seed-demo"])
    assert "waren er al" in second.output
    for model, count in counts.items():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == count
