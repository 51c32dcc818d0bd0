"""The personal feed: a window of weeks back to a year ahead, and 304 for an unchanged feed."""

from datetime import UTC, date, datetime, timedelta

import recurring_ical_events

from tests.calendars.conftest import parse_both, vevents
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.sessions import ical
from veiligthuis.sessions import service as sessions_service
from veiligthuis.sessions.schedule import today_local

TOKEN = "w" * 43
URL = f"/agenda/{TOKEN}.ics"


def _her(make_user):
    her = make_user("facilitator")
    db.session.get(User, her.id).feed_token = TOKEN
    db.session.commit()
    return her


def test_window_is_eight_weeks_back_to_a_year_ahead_in_local_midnights():
    start, end = ical.feed_window(date(2026, 7, 1))
    # 6 May 2026 00:00 and 2 July 2027 00:00 in Amsterdam (summer time, UTC+2)
    assert start == datetime(2026, 5, 5, 22, 0, tzinfo=UTC)
    assert end == datetime(2027, 7, 1, 22, 0, tzinfo=UTC)


def test_feed_holds_only_the_window_and_stays_a_valid_calendar(app, make_group, make_user):
    her = _her(make_user)
    today = today_local()
    other = make_user("facilitator")
    old = make_group(facilitators=(her, other), first_date=today - timedelta(days=3 * 365))
    far = make_group(facilitators=(her, other), first_date=today + timedelta(days=2 * 365))
    now = make_group(facilitators=(her, other), first_date=today - timedelta(days=21))
    response = app.test_client().get(URL)
    assert response.status_code == 200
    cal, vcal = parse_both(response.data)
    uids = {str(e["UID"]) for e in vevents(cal)}
    host = app.config["PUBLIC_HOST"]
    assert uids == {f"session-{gs.id}@{host}" for gs in now.sessions}
    assert not uids & {f"session-{gs.id}@{host}" for gs in old.sessions + far.sessions}
    assert len(vcal.vevent_list) == 12
    found = recurring_ical_events.of(cal).between(
        today - timedelta(days=30), today + timedelta(days=400)
    )
    assert len(found) == 12


def test_unchanged_feed_answers_304_to_its_etag_and_date(app, make_group, make_user):
    her = _her(make_user)
    group = make_group(facilitators=(her, make_user("facilitator")), first_date=today_local())
    client = app.test_client()
    first = client.get(URL)
    again = client.get(URL)
    assert first.status_code == 200 and first.data == again.data  # same bytes every poll
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    unchanged = client.get(URL, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert client.get(URL, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(URL, headers={"If-None-Match": '"iets-anders"'}).status_code == 200
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(URL, headers={"If-Modified-Since": earlier}).status_code == 200

    # a meeting moved: the old ETag gets the new feed, with the new time in it
    gs = group.sessions[3]
    day = ical.to_local(gs.start_dt).date() + timedelta(days=1)
    sessions_service.move_session(
        db.session, her, gs, day, ical.to_local(gs.start_dt).time(), scope="one", confirm=True
    )
    db.session.commit()
    moved = client.get(URL, headers={"If-None-Match": etag})
    assert moved.status_code == 200
    assert moved.headers["ETag"] != etag
    starts = {e.decoded("DTSTART").date() for e in vevents(parse_both(moved.data)[0])}
    assert day in starts


def test_a_changed_venue_changes_the_etag(app, make_group, make_user):
    her = _her(make_user)
    group = make_group(facilitators=(her, make_user("facilitator")), first_date=today_local())
    client = app.test_client()
    etag = client.get(URL).headers["ETag"]
    group.location.name = "Buurthuis Nieuw"
    db.session.commit()
    changed = client.get(URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Buurthuis Nieuw" in changed.get_data(as_text=True)
