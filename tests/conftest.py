"""Shared fixtures: an app per test session, a clean database per test, factories, login helper.

DATABASE_URL (PostgreSQL in CI) selects the database; the default is an SQLite file in a temp dir.
"""

import contextlib
import itertools
import os
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine
from flask.testing import FlaskClient

from veiligthuis import create_app
from veiligthuis.auth.service import create_user
from veiligthuis.extensions import db
from veiligthuis.groups import service as groups_service
from veiligthuis.groups.models import Location

PASSWORD = "test-wachtwoord-123"
_counter = itertools.count(1)

#: The moment every test starts at, so that none depends on the day the suite runs: a group
#: planned "from today" would otherwise meet in other weeks during a school holiday, and a
#: page of "this year" change at New Year. The clock runs on from here during the test.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def fixed_clock(request):
    """Every test runs at :data:`NOW`, the browser journeys' server threads too, except tests
    marked ``real_clock``: those start the app in another process (servers, an older release),
    which cannot share this process's clock. Chromium keeps the real time, which its cookies
    never notice: staff and participant cookies end with the browser, the device cookie has a
    Max-Age, and every expiry that matters is judged by the server."""
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(NOW, tick=True):
        yield


def emptied_folder(folder: str | Path) -> Iterator[Path]:
    """For a fixture: ``folder`` empty when the test starts, and gone after it."""
    path = Path(folder)
    shutil.rmtree(path, ignore_errors=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


class IsolatedClient(FlaskClient):
    """Runs each request in a thread of its own, as a real server would: with its own app
    context, ``g`` and database session. A test sees only what the view committed, and one
    request's logged-in user never leaks into the next (the test body keeps its own context)."""

    def open(self, *args, **kwargs):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(super().open, *args, **kwargs).result()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite3'}"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "MAIL_FOLDER": str(instance / "mail"),
            "PDF_CACHE_FOLDER": str(instance / "pdf-cache"),
            "SERVER_NAME": None,
            "PASSWORD_HASH_CHEAPEST": True,
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    _dispose_other_apps(app)


def _dispose_other_apps(app) -> None:
    """Close the pooled connections of apps a test made for itself (CSRF on, a broken
    database, a live server), now rather than whenever the garbage collector gets to them:
    apps that are already unreachable but not yet collected are still in the weak mapping. An
    app collected during the test has left the mapping while its engine may still wait in a
    cycle with an open connection: a test that lets go of an app mid-way disposes it itself."""
    for other, engines in list(db._app_engines.items()):
        if other is not app:
            for engine in engines.values():
                engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(app):
    """Every test starts with empty tables (fast delete in dependency order)."""
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
    _dispose_other_apps(app)


@pytest.fixture
def app_ctx(app):
    with app.test_request_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app_ctx):
    def make(*roles, name=None, email=None):
        n = next(_counter)
        user = create_user(
            db.session,
            email=email or f"user{n}@example.org",
            name=name or f"Medewerker {n}",
            password=PASSWORD,
            roles=set(roles) or {"facilitator"},
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_location(app_ctx):
    def make(name=None, region="midden", rooms=("Zaal 1",)):
        location = groups_service.save_location(
            db.session,
            None,
            name=name or f"Locatie {next(_counter)}",
            address="Straat 1",
            region=region,
        )
        for room in rooms:
            groups_service.add_room(db.session, location, name=room, capacity=14)
        db.session.commit()
        return location

    return make


@pytest.fixture
def make_group(app_ctx, make_user, make_location):
    """A saved group with twelve meetings; facilitators are made unless given."""

    def make(
        *,
        facilitators=None,
        location: Location | None = None,
        first_date=date(2026, 9, 7),
        weekday=None,
        start=time(10, 0),
        name=None,
        participants=0,
        status="active",
        accept_conflicts=True,
        room=None,
        programme=None,
    ):
        a, b = facilitators or (make_user("facilitator"), make_user("facilitator"))
        if programme is not None and facilitators is None:
            a.programmes, b.programmes = [programme], [programme]  # that programme's staff
        location = location or make_location()
        data = groups_service.GroupData(
            name=name or f"Groep {next(_counter)}",
            public_title="Vrouwengroep",
            location_id=location.id,
            room_id=(room or location.rooms[0]).id,
            weekday=first_date.weekday() if weekday is None else weekday,
            start_time=start,
            first_date=first_date,
            facilitator_a_id=a.id,
            facilitator_b_id=b.id,
            programme_id=programme.id if programme is not None else None,
        )
        actor = a
        group = groups_service.create_group(
            db.session, actor, data, accept_conflicts=accept_conflicts
        )
        for _ in range(participants):
            groups_service.add_participant(
                db.session,
                actor,
                group,
                groups_service.ParticipantData(alias=f"Deelnemer{next(_counter)}", status=status),
            )
        db.session.commit()
        return group

    return make


@pytest.fixture
def make_participant(app_ctx):
    def make(group, *, status="active", case_worker=None, alias=None):
        participant = groups_service.add_participant(
            db.session,
            group.facilitator_a,
            group,
            groups_service.ParticipantData(
                alias=alias or f"Deelnemer{next(_counter)}",
                status=status,
                case_worker_id=case_worker.id if case_worker else None,
            ),
        )
        db.session.commit()
        return participant

    return make


def two_step_secret(user) -> str:
    """Her authenticator secret (given on first use, as if she set up the app), no code used yet."""
    import pyotp

    from veiligthuis.auth.models import User

    row = db.session.get(User, user.id)
    db.session.refresh(row)  # what the app stored, not what this test last read
    row.totp_secret = row.totp_secret or pyotp.random_base32()
    row.totp_last_step = None
    db.session.commit()
    return row.totp_secret


def login(client, user, password=PASSWORD):
    """Log ``client`` in as ``user``, through the code step of two-step login; asserts it worked."""
    import pyotp

    secret = two_step_secret(user)
    response = client.post("/inloggen", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    if response.location == "/inloggen/code":
        response = client.post("/inloggen/code", data={"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def strict_app(app):
    """The app on the test database as it runs: every POST needs her CSRF token."""
    strict = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "strict",
            "WTF_CSRF_ENABLED": True,
        }
    )
    yield strict
    with strict.app_context():
        db.engine.dispose()


def login_with_token(client, user) -> None:
    """Log ``client`` of :func:`strict_app` in as ``user``, with the login pages' CSRF tokens."""
    import pyotp

    secret = two_step_secret(user)
    token = csrf_token_from(client.get("/inloggen").get_data(as_text=True))
    data = {"csrf_token": token, "email": user.email, "password": PASSWORD}
    assert client.post("/inloggen", data=data).status_code == 302
    token = csrf_token_from(client.get("/inloggen/code").get_data(as_text=True))
    data = {"csrf_token": token, "code": pyotp.TOTP(secret).now()}
    assert client.post("/inloggen/code", data=data).status_code == 302


def logged_in_side_by_side(app, *users) -> list:
    """A client of :func:`strict_app` per user, each logged in with the login pages' tokens,
    all before any of them looks at a page (so nothing changes between their views)."""
    clients = [app.test_client() for _ in users]
    for client, user in zip(clients, users, strict=True):
        login_with_token(client, user)
    return clients


@pytest.fixture
def login_as(client):
    def do(user):
        login(client, user)
        return client

    return do


@contextlib.contextmanager
def count_queries(engine):
    """Count the SQL statements run inside the block: ``with count_queries(e) as n: ...; n()``."""
    statements = []

    def listener(conn, cursor, statement, *args):
        start = statement.lstrip().upper()
        # Her session's activity is written once a minute, or when the session changed (the
        # first page after login stores its CSRF token): not a query of the page.
        if not start.startswith(("SAVEPOINT", "RELEASE", "PRAGMA", "UPDATE WEB_SESSIONS")):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield lambda: len(statements)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def page_and_statements(client, url) -> tuple[str, list[str]]:
    """GET ``url`` (it must answer 200): the page, and every SQL statement it ran, on one line
    each (for tests that a kept part was used, or that a page read what it had to)."""
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, url
    return response.get_data(as_text=True), seen


def csrf_token_from(html: str) -> str:
    """The CSRF token in a rendered page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no csrf token on the page"
    return match.group(1)


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)
