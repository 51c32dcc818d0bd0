"""Volunteers, shifts with their conflicts, childcare needs and what a meeting needs."""

from datetime import UTC, date, datetime

import icalendar
import pytest
import sqlalchemy as sa

from veiligthuis.auth.service import add_leave
from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.sessions.models import GroupSession
from veiligthuis.volunteers import ical, service
from veiligthuis.volunteers.models import Shift, Task
from veiligthuis.wording import find_sensitive_words

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def test_only_accounts_with_the_volunteer_role_are_recorded(make_user, app_ctx):
    coordinator = make_user("coordinator")
    facilitator = make_user("facilitator")
    with pytest.raises(DomainError) as error:
        service.save_volunteer(
            db.session,
            coordinator,
            None,
            user_id=facilitator.id,
            has_training=True,
            vog_seen_date=None,
            tasks=[],
        )
    assert error.value.field == "user_id"
    volunteer_user = make_user("volunteer")
    assert service.volunteer_candidates(db.session) == [volunteer_user]
    with pytest.raises(DomainError) as error:
        service.save_volunteer(
            db.session,
            coordinator,
            None,
            user_id=volunteer_user.id,
            has_training=True,
            vog_seen_date=None,
            tasks=["cooking"],
        )
    assert error.value.field == "tasks"


def test_a_shift_needs_training_vog_and_the_task_she_may_do(make_volunteer, make_group):
    group = make_group()
    gs = group.active_sessions[0]
    untrained = make_volunteer(trained=False)
    with pytest.raises(DomainError):
        service.schedule_shift(db.session, untrained.user, untrained, gs, Task.CHILDCARE)
    welcome_only = make_volunteer(tasks=(Task.WELCOME,))
    with pytest.raises(DomainError) as error:
        service.schedule_shift(db.session, welcome_only.user, welcome_only, gs, Task.CHILDCARE)
    assert error.value.field == "task"
    shift, conflicts = service.schedule_shift(
        db.session, welcome_only.user, welcome_only, gs, Task.WELCOME
    )
    assert shift is not None and conflicts == []
    with pytest.raises(DomainError):
        service.schedule_shift(db.session, welcome_only.user, welcome_only, gs, Task.WELCOME)


def test_double_booking_is_reported_before_saving(make_volunteer, make_group, make_location):
    volunteer = make_volunteer()
    first = make_group(first_date=date(2026, 9, 7))
    # Another group at the same hour, elsewhere.
    second = make_group(first_date=date(2026, 9, 7))
    a, b = first.active_sessions[0], second.active_sessions[0]
    service.schedule_shift(db.session, volunteer.user, volunteer, a, Task.CHILDCARE)
    shift, conflicts = service.schedule_shift(
        db.session, volunteer.user, volunteer, b, Task.WELCOME
    )
    assert shift is None
    assert len(conflicts) == 1 and "al ingepland" in conflicts[0]
    assert db.session.scalar(sa.select(sa.func.count(Shift.id))) == 1
    shift, _ = service.schedule_shift(
        db.session, volunteer.user, volunteer, b, Task.WELCOME, accept_conflicts=True
    )
    assert shift is not None
    # The next week's meeting does not overlap.
    shift, conflicts = service.schedule_shift(
        db.session, volunteer.user, volunteer, first.active_sessions[1], Task.CHILDCARE
    )
    assert shift is not None and conflicts == []


def test_her_own_unavailability_is_reported(make_volunteer, make_group):
    volunteer = make_volunteer()
    group = make_group(first_date=date(2026, 9, 7))
    add_leave(db.session, volunteer.user, date(2026, 9, 5), date(2026, 9, 8), "vakantie")
    shift, conflicts = service.schedule_shift(
        db.session, volunteer.user, volunteer, group.active_sessions[0], Task.CHILDCARE
    )
    assert shift is None
    assert "niet beschikbaar" in conflicts[0] and "vakantie" in conflicts[0]


def test_a_meeting_expects_the_children_of_its_active_participants(
    make_group, make_participant, make_user
):
    actor = make_user("coordinator")
    group = make_group()
    a = make_participant(group, status="active")
    b = make_participant(group, status="active")
    waiting = make_participant(group, status="waiting")
    service.set_childcare_need(db.session, actor, a, {"0_1": 1, "4_7": 2})
    service.set_childcare_need(db.session, actor, b, {"4_7": 2})
    service.set_childcare_need(db.session, actor, waiting, {"8_12": 3})
    db.session.commit()
    assert service.expected_children(db.session, [group.id]) == {group.id: {"0_1": 1, "4_7": 4}}
    assert service.volunteers_needed(5, 4) == 2
    assert service.volunteers_needed(4, 4) == 1
    assert service.volunteers_needed(0, 4) == 0
    service.set_childcare_need(db.session, actor, b, {})
    assert service.childcare_needs(db.session, [b.id]) == {}
    with pytest.raises(DomainError):
        service.set_childcare_need(db.session, actor, a, {"teen": 1})


def test_the_overview_flags_meetings_short_of_childcare(
    make_group, make_participant, make_user, make_volunteer
):
    actor = make_user("coordinator")
    group = make_group(first_date=date(2026, 9, 7))
    participant = make_participant(group)
    service.set_childcare_need(db.session, actor, participant, {"2_3": 3, "4_7": 2})
    volunteer = make_volunteer()
    first = group.active_sessions[0]
    service.schedule_shift(db.session, actor, volunteer, first, Task.CHILDCARE)
    db.session.commit()
    meetings = service.coming_meetings(db.session, 4, now=NOW)
    assert len(meetings) == 12
    by_id = {m.group_session.id: m for m in meetings}
    assert (by_id[first.id].children_count, by_id[first.id].needed) == (5, 2)
    assert by_id[first.id].childcare_scheduled == 1
    assert all(m.is_short for m in meetings)
    second = make_volunteer()
    service.schedule_shift(db.session, actor, second, first, Task.CHILDCARE)
    meetings = service.coming_meetings(db.session, 4, now=NOW)
    assert [m.is_short for m in meetings].count(False) == 1


def test_the_feed_is_neutral_and_carries_only_her_shifts(
    make_group, make_participant, make_user, make_volunteer, make_location
):
    actor = make_user("coordinator")
    location = make_location(name="AMW Centrum", rooms=("Speelkamer",))
    group = make_group(location=location, name="Vrouwen en huiselijk geweld")
    participant = make_participant(group, alias="Amira")
    service.set_childcare_need(db.session, actor, participant, {"2_3": 1, "4_7": 2})
    mine, other = make_volunteer(), make_volunteer()
    gs = group.active_sessions[0]
    shift, _ = service.schedule_shift(db.session, actor, mine, gs, Task.CHILDCARE)
    service.schedule_shift(db.session, actor, other, group.active_sessions[1], Task.WELCOME)
    db.session.commit()
    shifts = service.shifts_of(db.session, mine)
    children = service.expected_children(db.session, [group.id])
    data = ical.shifts_to_ical(shifts, children, secret="s", volunteer_id=mine.id, now=NOW)
    text = data.decode()
    assert find_sensitive_words(text) == []
    for leak in ("Amira", participant.code, group.name, "veiligthuis"):
        assert leak not in text
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Kinderopvang"
    assert str(event["CLASS"]) == "PRIVATE"
    assert str(event["DESCRIPTION"]) == "3 kinderen: 1 × 2–3 jaar, 2 × 4–7 jaar"
    assert "AMW" not in str(event["LOCATION"]) and "Speelkamer" in str(event["LOCATION"])
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (10, 0)  # wall-clock time in Amsterdam
    assert start.date() == gs.start_dt.date()
    assert "@" not in str(event["UID"])


def test_her_feed_token_is_stored_as_a_hash_and_renewing_stops_the_old(make_volunteer):
    volunteer = make_volunteer()
    old = service.new_feed_token(volunteer)
    db.session.commit()
    assert volunteer.feed_token_hash != old
    assert service.volunteer_by_feed_token(db.session, old) == volunteer
    new = service.new_feed_token(volunteer)
    db.session.commit()
    assert service.volunteer_by_feed_token(db.session, old) is None
    assert service.volunteer_by_feed_token(db.session, new) == volunteer
    volunteer.user.is_enabled = False
    db.session.commit()
    assert service.volunteer_by_feed_token(db.session, new) is None


def test_cancelled_meetings_are_not_scheduled(make_volunteer, make_group):
    volunteer = make_volunteer()
    gs = make_group().active_sessions[0]
    db.session.get(GroupSession, gs.id).status = "cancelled"
    with pytest.raises(DomainError):
        service.schedule_shift(db.session, volunteer.user, volunteer, gs, Task.CHILDCARE)
