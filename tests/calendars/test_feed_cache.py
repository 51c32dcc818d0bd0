"""The personal feed kept ready between polls: an unchanged feed is not built again, and any
change to what it shows (a meeting, the group, the venue, a person named) is in the next poll."""

from datetime import UTC, datetime

from tests.calendars.conftest import parse_both, vevents
from tests.conftest import count_queries, page_and_statements
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.sessions import service as sessions_service
from veiligthuis.sessions.cancelling import cancel_session
from veiligthuis.sessions.feed import FeedCache
from veiligthuis.sessions.schedule import today_local

TOKEN = "c" * 43
URL = f"/agenda/{TOKEN}.ics"


def _her(make_user, token=TOKEN, name=None):
    her = make_user("facilitator", name=name)
    db.session.get(User, her.id).feed_token = token
    db.session.commit()
    return her


def _text(response) -> str:
    assert response.status_code == 200
    parse_both(response.data)  # both parsers still read it
    # unfolded, so a long line's words are found whole
    return response.get_data(as_text=True).replace("\r\n ", "")


def test_a_repeated_poll_is_not_built_again(app, make_group, make_user):
    her = _her(make_user)
    make_group(facilitators=(her, make_user("facilitator")), first_date=today_local())
    client = app.test_client()
    with count_queries(db.engine) as first:
        built = client.get(URL)
    with count_queries(db.engine) as again:
        kept = client.get(URL)
    assert kept.data == built.data and kept.headers["ETag"] == built.headers["ETag"]
    assert kept.headers["Last-Modified"] == built.headers["Last-Modified"]
    # her account and the data version: no meetings, groups or plans read
    assert again() == 2 < first()


def test_a_poll_while_nothing_changed_reads_no_meeting_at_all(app, make_group, make_user):
    her = _her(make_user)
    make_group(facilitators=(her, make_user("facilitator")), first_date=today_local())
    client = app.test_client()
    client.get(URL)
    _page, statements = page_and_statements(client, URL)
    # not even the fingerprint's plain columns: nothing was written since the last poll
    assert not [s for s in statements if "group_sessions" in s.lower()], statements


def test_every_change_to_what_the_feed_shows_is_in_the_next_poll(app, make_group, make_user):
    her = _her(make_user)
    colleague = make_user("facilitator", name="Ingrid")
    group = make_group(facilitators=(her, colleague), first_date=today_local())
    client = app.test_client()
    _text(client.get(URL))

    def changed(edit, expected: str) -> None:
        before = client.get(URL)
        edit()
        db.session.commit()
        after = client.get(URL, headers={"If-None-Match": before.headers["ETag"]})
        assert expected in _text(after)
        assert after.headers["ETag"] != before.headers["ETag"]

    location, room = group.location, group.room
    # a venue and a room have no timestamp of their own
    changed(lambda: setattr(location, "name", "De Linde"), "De Linde")
    changed(lambda: setattr(location, "address", "Lindelaan 4"), "Lindelaan 4")
    changed(lambda: setattr(room, "name", "Tuinkamer"), "Tuinkamer")
    changed(lambda: setattr(db.session.get(User, colleague.id), "name", "Ingrid B."), "Ingrid B.")
    changed(lambda: setattr(group, "name", "Linde najaar"), "Linde najaar")
    substitute = make_user("facilitator", name="Sanne")
    changed(
        lambda: sessions_service.assign_substitute(
            db.session, her, group.sessions[1], substitute, colleague.id
        ),
        "Invaller: Sanne voor Ingrid B.",
    )
    changed(
        lambda: cancel_session(db.session, her, group.sessions[2], "Ziek", confirm=True),
        "Geannuleerd: Ziek",
    )
    changed(lambda: setattr(db.session.get(User, her.id), "name", "Fatma Y."), "Fatma Y.")


def test_a_colleague_on_the_same_meetings_gets_her_own_feed(app, make_group, make_user):
    her = _her(make_user, name="Fatma")
    colleague = _her(make_user, token="d" * 43, name="Ingrid")
    make_group(facilitators=(her, colleague), first_date=today_local())
    client = app.test_client()
    mine = _text(client.get(URL))
    theirs = _text(client.get(f"/agenda/{'d' * 43}.ics"))
    assert "Bijeenkomsten Fatma" in mine and "Ingrid" not in mine.split("BEGIN:VEVENT")[0]
    assert "Bijeenkomsten Ingrid" in theirs and "Bijeenkomsten Fatma" not in theirs
    assert len(vevents(parse_both(theirs.encode())[0])) == 12


def test_the_cache_keeps_the_most_recently_used_feeds_only():
    cache = FeedCache(size=2)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    cache.put("a", b"A", stamp)
    cache.put("b", b"B", stamp)
    assert cache.get("a") == (b"A", stamp)  # "a" is now the most recent
    cache.put("c", b"C", stamp)
    assert cache.get("b") is None
    assert cache.get("a") == (b"A", stamp) and cache.get("c") == (b"C", stamp)
