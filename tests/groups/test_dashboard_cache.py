"""The dashboard's table of groups kept until anything changes: a meeting that ends moves the
next one up with nothing written, and a change shows at once (that no one gets another's
table: tests/groups/test_listing_cache.py)."""

from datetime import UTC, timedelta

import time_machine

from tests.conftest import page_and_statements
from veiligthuis.extensions import db
from veiligthuis.sessions.schedule import today_local


def _reads(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if f" from {table}" in s.lower() or f"join {table}" in s.lower()]


def _link(group, number: int) -> str:
    return f'href="/groepen/{group.id}/bijeenkomsten/{number}"'


def test_a_second_view_reads_no_group_or_meeting_and_a_change_shows_at_once(
    login_as, make_user, make_group
):
    client = login_as(make_user("coordinator"))
    group = make_group(name="Linde", first_date=today_local() + timedelta(days=7))
    client.get("/")
    page, statements = page_and_statements(client, "/")
    assert "Linde" in page and _link(group, 1) in page
    assert not _reads(statements, "groups") and not _reads(statements, "group_sessions")
    group.name = "Linde najaar"
    db.session.commit()
    assert "Linde najaar" in client.get("/").get_data(as_text=True)


def test_a_meeting_that_ends_between_two_views_gives_way_to_the_next(login_as, make_group):
    group = make_group(first_date=today_local() + timedelta(days=1))
    first = group.active_sessions[0]
    end = first.end_dt if first.end_dt.tzinfo else first.end_dt.replace(tzinfo=UTC)
    with time_machine.travel(end - timedelta(minutes=10)):
        client = login_as(group.facilitator_a)
        client.get("/")
        page, statements = page_and_statements(client, "/")
        assert not _reads(statements, "group_sessions")
        assert _link(group, 1) in page
    # nothing was written since: only the clock says that the first meeting is over
    with time_machine.travel(end + timedelta(minutes=1)):
        page = page_and_statements(client, "/")[0]
    assert _link(group, 1) not in page and _link(group, 2) in page
