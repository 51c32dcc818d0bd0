"""Loading a group for its pages: each page reads what it shows, once, and what the session
already holds is kept."""

import sqlalchemy as sa
from flask_login import login_user

from tests.conftest import page_and_statements
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.web import Around, load_group


def _reads_meetings(statements: list[str]) -> bool:
    # the group's own meetings, as load_group or a lazy load asks for them
    return any("FROM group_sessions WHERE" in s for s in statements)


def test_the_group_page_shows_every_meeting_in_order_reading_them_twice_then_not_at_all(
    login_as, make_group, make_user
):
    group = make_group()
    client = login_as(make_user("coordinator"))
    url = f"/groepen/{group.id}"
    page, statements = page_and_statements(client, url)
    # once as the group's facts (plain values), once for its table: never once per meeting
    assert sum(_reads_meetings([s]) for s in statements) == 2
    schedule = page.split('<table class="schedule">')[1].split("</table>")[0]
    numbers = [row.split("<td>")[1].split("</td>")[0] for row in schedule.split("<tr")[2:]]
    assert numbers == [str(n) for n in range(1, 13)]
    kept, statements = page_and_statements(client, url)
    assert not any(_reads_meetings([s]) for s in statements)
    assert kept.split('<table class="schedule">')[1].split("</table>")[0] == schedule


def test_loading_a_group_again_keeps_what_the_session_holds_and_reads_it_once(
    app, make_group, make_participant, make_user
):
    group = make_group()
    make_participant(group, alias="Roos")
    coordinator_id, group_id = make_user("coordinator").id, group.id
    db.session.expunge_all()
    with app.test_request_context():
        login_user(db.session.get(User, coordinator_id))
        first = load_group(group_id, around=Around.NOBODY)
        # a change not yet flushed: a second load (another part of the same request) keeps it
        first.participants[0].alias = "Iris"
        first.sessions[0].notes = "nog niet opgeslagen"
        seen: list[str] = []
        listen = lambda *args: seen.append(" ".join(args[2].split()))  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listen)
        try:
            again = load_group(group_id, around=Around.NOBODY)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listen)
        assert again is first
        assert [p.alias for p in again.participants] == ["Iris"]
        assert again.sessions[0].notes == "nog niet opgeslagen"
        assert not _reads_meetings(seen)
        assert not any("FROM participants WHERE" in s for s in seen)
        db.session.rollback()
