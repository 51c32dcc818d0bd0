"""Issue 13: a held meeting never changes. Each meeting keeps its own facilitators and room, so
re-planning a group with a new facilitator and room changes only the meetings to come, and the
meeting pages, the draaiboek, the feeds and the conflict check follow each meeting's own."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.groups.test_views import _form
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group
from veiligthuis.models import utcnow
from veiligthuis.sessions.schedule import ensure_aware_utc, to_local, today_local
from veiligthuis.settings import set_setting


@pytest.fixture
def replanned(app, login_as, make_group, make_user, make_location):
    """A running group, three weeks in, re-planned with a new second facilitator and room."""
    set_setting(db.session, "skip_school_holidays", False)  # no holiday may push week one ahead
    location = make_location(rooms=("Zaal Oud", "Zaal Nieuw"))
    rooms = {r.name: r for r in location.rooms}
    old_b = make_user("facilitator", name="Olga Oud")
    group = make_group(
        facilitators=(make_user("facilitator", name="Anna Blijft"), old_b),
        location=location,
        room=rooms["Zaal Oud"],
        first_date=today_local() - timedelta(weeks=3),
    )
    newcomer = make_user("facilitator", name="Nadia Nieuw")
    client = login_as(make_user("coordinator"))
    form = _form(
        location,
        group.facilitator_a,
        newcomer,
        room_id=rooms["Zaal Nieuw"].id,
        weekday=group.weekday,
        first_date=(today_local() + timedelta(days=1)).isoformat(),
    )
    response = client.post(f"/groepen/{group.id}/planning", data=form | {"save": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    group = db.session.get(Group, group.id)
    now = utcnow()
    held = [s for s in group.active_sessions if ensure_aware_utc(s.start_dt) <= now]
    coming = [s for s in group.active_sessions if ensure_aware_utc(s.start_dt) > now]
    assert held and coming
    return client, group, held, coming, db.session.get(User, old_b.id), newcomer


def test_held_meetings_keep_their_people_and_room(replanned):
    client, group, held, coming, old_b, newcomer = replanned
    assert all(s.facilitator_b_id == old_b.id and s.room.name == "Zaal Oud" for s in held)
    assert all(s.sequence == 0 for s in held)
    assert all(s.facilitator_b_id == newcomer.id and s.room.name == "Zaal Nieuw" for s in coming)
    assert group.facilitator_b_id == newcomer.id and group.room.name == "Zaal Nieuw"
    page = client.get(f"/groepen/{group.id}/bijeenkomsten/{held[0].number}").get_data(as_text=True)
    assert "Olga Oud" in page and "Zaal Oud" in page
    assert "Nadia Nieuw" not in page and "Zaal Nieuw" not in page
    page = client.get(f"/groepen/{group.id}/bijeenkomsten/{coming[0].number}").get_data(
        as_text=True
    )
    assert "Nadia Nieuw" in page and "Zaal Nieuw" in page
    assert "Olga Oud" not in page and "Zaal Oud" not in page
    # the group's schedule says who led the held meetings, and where
    page = client.get(f"/groepen/{group.id}").get_data(as_text=True)
    assert page.count("Anna Blijft en Olga Oud, Zaal Oud") == len(held)


def test_draaiboek_names_each_meetings_own_people_and_room(app, replanned):
    from veiligthuis.groups.documents import draaiboek_html
    from veiligthuis.sessions import service as sessions

    _client, group, held, coming, _old_b, _newcomer = replanned
    with app.test_request_context():
        sessions.load_methodiek_versions(db.session, group)
        html = draaiboek_html(group)
    lines = [line for line in html.splitlines() if "<strong>" in line and "–" in line]
    first_held = next(line for line in lines if f"<strong>{held[0].number}</strong>" in line)
    first_coming = next(line for line in lines if f"<strong>{coming[0].number}</strong>" in line)
    assert "Olga Oud" in first_held and "Zaal Oud" in first_held
    assert "Nadia Nieuw" in first_coming and "Olga Oud" not in first_coming


def _feed(app, user_id: int, token: str):
    user = db.session.get(User, user_id)
    user.feed_token = token
    db.session.commit()
    response = app.test_client().get(f"/agenda/{token}.ics")
    assert response.status_code == 200
    return {
        str(e["UID"]): (int(e.get("SEQUENCE", 0)), str(e["LOCATION"]))
        for e in Calendar.from_ical(response.data).walk("VEVENT")
    }


def test_feeds_follow_the_actual_facilitator_of_each_meeting(app, replanned):
    _client, group, held, coming, old_b, newcomer = replanned
    host = app.config["PUBLIC_HOST"]
    uid = {s.id: f"session-{s.id}@{host}" for s in group.sessions}
    old = _feed(app, old_b.id, "o" * 43)
    new = _feed(app, newcomer.id, "n" * 43)
    stays = _feed(app, group.facilitator_a_id, "s" * 43)
    # She led the held meetings and still has them; the ones to come went to the newcomer.
    assert set(old) == {uid[s.id] for s in held}
    assert set(new) == {uid[s.id] for s in coming}
    assert set(stays) == {uid[s.id] for s in held + coming}
    assert all(old[uid[s.id]][0] == 0 and "Zaal Oud" in old[uid[s.id]][1] for s in held)
    assert all(new[uid[s.id]][0] >= 1 and "Zaal Nieuw" in new[uid[s.id]][1] for s in coming)
    assert all("Zaal Oud" in stays[uid[s.id]][1] for s in held)


def test_conflicts_look_at_the_room_each_meeting_uses(replanned, make_user):
    from veiligthuis.groups import service as groups_service

    _client, group, _held, coming, _old_b, _newcomer = replanned
    by_name = {r.name: r for r in group.location.rooms}
    a, b = make_user("facilitator"), make_user("facilitator")
    local = to_local(coming[0].start_dt)

    def preview(room):
        data = groups_service.GroupData(
            name="Andere groep",
            public_title="Vrouwengroep",
            location_id=group.location_id,
            room_id=room.id,
            weekday=local.weekday(),
            start_time=local.time(),
            first_date=local.date(),
            facilitator_a_id=a.id,
            facilitator_b_id=b.id,
        )
        return groups_service.preview_group(db.session, data)

    assert any(
        "Zaal Nieuw is dan al bezet" in c.message for c in preview(by_name["Zaal Nieuw"]).conflicts
    )
    assert not any("bezet" in c.message for c in preview(by_name["Zaal Oud"]).conflicts)


def test_replanning_into_2031_says_school_holidays_are_unknown(make_group):
    from datetime import date

    from veiligthuis.groups import replanning
    from veiligthuis.groups.service import GroupData

    group = make_group(first_date=date(2031, 3, 3))
    data = GroupData(
        name=group.name,
        public_title=group.public_title,
        location_id=group.location_id,
        room_id=group.room_id,
        weekday=2,
        start_time=group.start_time,
        first_date=date(2031, 6, 4),
        facilitator_a_id=group.facilitator_a_id,
        facilitator_b_id=group.facilitator_b_id,
    )
    preview = replanning.preview_replan(
        db.session, group.facilitator_a, group, data, now=group.active_sessions[0].start_dt
    )
    assert preview.unknown_school_years == [2031]
    # nothing skipped the summer holiday of 2031: July and August keep their meetings
    assert any(p.day.month in (7, 8) for p in preview.sessions)
