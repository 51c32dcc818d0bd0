"""A page runs the same statements whenever the garbage collector runs.

The database session holds what it loaded only weakly: when two parts of a page each load the
group and a collection frees it in between, the second part used to load its meetings and
women again, and a query count measured once could differ the next time."""

import gc
import secrets

import pytest
import sqlalchemy as sa

from tests.conftest import count_queries, login
from veiligthuis.extensions import db


def _collect(*_args):
    gc.collect()


def _statements(client, url, *, collecting: bool) -> list[str]:
    # a change: every kept part of the page is worked out again
    db.session.execute(
        sa.text("UPDATE data_version SET token = :token"), {"token": secrets.token_hex(16)}
    )
    db.session.commit()
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    if collecting:
        sa.event.listen(db.engine, "after_cursor_execute", _collect)
        # what lived before the request is left out of each collection: it stays fast
        gc.freeze()
    try:
        with count_queries(db.engine):
            assert client.get(url).status_code == 200, url
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
        if collecting:
            sa.event.remove(db.engine, "after_cursor_execute", _collect)
            gc.unfreeze()
    return [s for s in seen if not s.upper().startswith(("SAVEPOINT", "RELEASE", "UPDATE WEB"))]


@pytest.mark.parametrize(
    "page", ["", "/deelnemers", "/presentie", "/evaluaties", "/bijeenkomsten/1/beheren"]
)
def test_a_group_page_runs_the_same_statements_whenever_the_collector_runs(
    client, make_group, page
):
    group = make_group(participants=3)
    login(client, group.facilitator_a)
    url = f"/groepen/{group.id}{page}"
    client.get(url)  # her session's first page stores a token
    quiet = _statements(client, url, collecting=False)
    busy = _statements(client, url, collecting=True)
    assert len(busy) == len(quiet), "\n".join(busy)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("coordinator", "/"),
        ("coordinator", "/groepen"),
        ("coordinator", "/rapportage"),
        ("coordinator", "/vrijwilligers/rooster"),
        ("coordinator", "/beheer/audit"),
        ("case_worker", "/ondersteuning"),
    ],
)
def test_an_overview_runs_the_same_statements_whenever_the_collector_runs(
    client, make_user, make_group, make_participant, role, url
):
    user = make_user(role)
    for _ in range(2):
        group = make_group(participants=2)
        make_participant(group, case_worker=user if role == "case_worker" else None)
    login(client, user)
    client.get(url)  # her session's first page stores a token
    quiet = _statements(client, url, collecting=False)
    busy = _statements(client, url, collecting=True)
    assert len(busy) == len(quiet), "\n".join(busy)
