"""The data version: every committed change to the data gives a new token, looking does not."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from tests.conftest import count_queries, login
from veiligthuis import changes
from veiligthuis.auth.models import AuditEntry
from veiligthuis.extensions import db
from veiligthuis.groups.models import Location, Participant


def token() -> str | None:
    db.session.rollback()  # a fresh transaction sees what others committed
    return changes.current_token(db.session)


def test_a_flushed_change_gives_a_new_token_at_commit(app_ctx, make_location):
    make_location("Noord")
    first = token()
    assert first is not None
    location = db.session.scalar(sa.select(Location))
    location.name = "Oost"
    db.session.flush()
    assert token() == first  # rolled back: the change and the token both
    location = db.session.scalar(sa.select(Location))
    location.name = "Oost"
    db.session.commit()
    assert token() not in (None, first)


def test_pending_objects_flushed_by_the_commit_itself_count(app_ctx, make_location):
    make_location("Noord")
    first = token()
    db.session.add(Location(name="Zuid", address="Zuidweg 1", region="zuid"))
    db.session.commit()  # no flush before: the commit's own flush carries the insert
    assert token() != first


def test_bulk_and_textual_writes_count(app_ctx, make_location):
    make_location("Noord")
    for statement in (
        sa.update(Location).values(name="West"),
        sa.text("UPDATE locations SET name = 'Midden'"),
        sa.delete(Participant),
    ):
        before = token()
        db.session.execute(statement)
        db.session.commit()
        assert token() != before, statement


def test_audit_entries_sessions_and_reads_do_not_count(app_ctx, make_location):
    make_location("Noord")
    before = token()
    db.session.add(AuditEntry(action="participant.viewed", object_type="participant"))
    db.session.execute(sa.select(Location)).all()
    db.session.execute(sa.text("SELECT 1"))
    db.session.commit()
    assert token() == before


def test_a_rolled_back_savepoint_keeps_the_change_made_before_it(app_ctx, make_location):
    make_location("Noord")
    before = token()
    db.session.scalar(sa.select(Location)).name = "Oost"
    db.session.flush()
    savepoint = db.session.begin_nested()
    db.session.add(Location(name="Zuid", address="Zuidweg 1", region="zuid"))
    db.session.flush()
    savepoint.rollback()
    db.session.commit()
    assert token() != before
    assert db.session.scalar(sa.select(Location.name)) == "Oost"


def test_browsing_staff_pages_leaves_the_token(client, make_user, make_group):
    group = make_group(participants=3)
    coordinator = make_user("coordinator")
    login(client, coordinator)
    before = token()
    for path in ("/", "/groepen", f"/groepen/{group.id}", f"/groepen/{group.id}/deelnemers"):
        assert client.get(path).status_code == 200, path
    assert token() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) > 0


def test_the_token_is_written_at_the_outer_commit_not_at_a_savepoint(app_ctx, make_location):
    make_location("Noord")
    before = token()
    with db.session.begin_nested():
        db.session.add(Location(name="Zuid", address="Zuidweg 1", region="zuid"))
    # still the same transaction: the row is not locked while the rest of it goes on
    assert changes.current_token(db.session) == before
    db.session.commit()
    assert token() != before


def test_a_value_worked_out_over_uncommitted_changes_is_not_kept(app_ctx, make_location):
    make_location("Noord")
    token()

    def names() -> list[str]:
        return list(db.session.scalars(sa.select(Location.name).order_by(Location.name)))

    db.session.add(Location(name="Zuid", address="Zuidweg 1", region="zuid"))
    # seen by this transaction only; the token is still the committed one
    assert changes.cached(db.session, "names", "all", names) == ["Noord", "Zuid"]
    db.session.rollback()
    # never committed: the next request under the same token must not be told of it
    assert changes.cached(db.session, "names", "all", names) == ["Noord"]
    assert changes.cached(db.session, "names", "all", lambda: ["kept"]) == ["Noord"]


def test_the_token_is_read_once_a_transaction_and_anew_in_the_next(app_ctx, make_location):
    make_location("Noord")
    first = token()
    with count_queries(db.engine) as queries:
        assert changes.current_token(db.session) == first
    assert queries() == 0
    # another app server commits a change meanwhile
    other = so.Session(db.engine)
    other.add(Location(name="Zuid", address="Zuidweg 1", region="zuid"))
    other.commit()
    other.close()
    assert token() not in (None, first)


def _statements(client, path: str) -> list[str]:
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return seen


def test_a_staff_page_reads_the_token_with_her_session(client, make_user, make_group):
    group = make_group(participants=3)
    login(client, make_user("coordinator"))
    for path in ("/", f"/groepen/{group.id}", f"/groepen/{group.id}/deelnemers"):
        client.get(path)  # kept from now on
        statements = _statements(client, path)
        with_token = [s for s in statements if "FROM data_version" in s]
        assert len(with_token) == 1 and "FROM web_sessions" in with_token[0], path


def test_a_change_committed_after_her_session_was_read_is_seen_on_her_next_page(
    client, make_user, make_group, make_participant
):
    group = make_group()
    login(client, make_user("coordinator"))
    url = f"/groepen/{group.id}/deelnemers"
    client.get(url)
    client.get(url)
    # committed outside her requests (as by another app server) while her table is kept
    woman = make_participant(group, alias="Roos")
    assert woman.code in client.get(url).get_data(as_text=True)
