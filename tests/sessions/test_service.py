"""Moving, cancelling, substitutes and attendance, without HTTP."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.sessions import service
from veiligthuis.sessions.models import Attendance
from veiligthuis.sessions.schedule import to_local


def _local_days(group):
    return [to_local(s.start_dt).date() for s in group.active_sessions]


def test_move_only_this_one_keeps_the_others(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    before = _local_days(group)
    third = group.active_sessions[2]
    sequence = third.sequence
    service.move_session(
        db.session, group.facilitator_a, third, date(2026, 9, 22), time(14, 0), scope="one"
    )
    after = _local_days(group)
    assert after[2] == date(2026, 9, 22)
    assert after[:2] == before[:2] and after[3:] == before[3:]
    assert to_local(third.start_dt).time() == time(14, 0)
    assert third.end_dt - third.start_dt == timedelta(minutes=150)
    assert third.sequence == sequence + 1
    assert group.active_sessions[3].sequence == 0


def test_move_this_and_following_replans_weekly_from_the_new_date(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    fifth = group.active_sessions[4]
    service.move_session(
        db.session, group.facilitator_a, fifth, date(2026, 10, 8), time(10, 0), scope="following"
    )
    days = _local_days(group)
    assert days[4] == date(2026, 10, 8)
    # Thursdays from then on, skipping the autumn holiday of region Midden (17–25 Oct 2026)
    assert days[5] == date(2026, 10, 15)
    assert date(2026, 10, 22) not in days
    assert all(d.weekday() == 3 for d in days[4:])
    assert [s.number for s in group.active_sessions] == list(range(1, 13))


def test_move_onto_a_holiday_is_refused(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    with pytest.raises(DomainError, match="Eerste kerstdag"):
        service.move_session(
            db.session,
            group.facilitator_a,
            group.active_sessions[0],
            date(2026, 12, 25),
            time(10, 0),
            scope="one",
        )


def test_move_onto_another_meeting_of_the_group_is_refused(make_group):
    group = make_group(first_date=date(2026, 9, 7), start=time(10, 0))
    with pytest.raises(DomainError, match="al een bijeenkomst van deze groep"):
        service.move_session(
            db.session,
            group.facilitator_a,
            group.active_sessions[0],
            date(2026, 9, 14),
            time(11, 0),
            scope="one",
        )


def test_move_into_a_double_booking_is_reported_and_changes_nothing(make_group, make_user):
    a, b, c = (make_user("facilitator") for _ in range(3))
    make_group(facilitators=(a, b), first_date=date(2026, 9, 8), start=time(10, 0))
    mine = make_group(facilitators=(a, c), first_date=date(2026, 9, 7), start=time(10, 0))
    first = mine.active_sessions[0]
    original = first.start_dt
    conflicts = service.move_session(
        db.session, a, first, date(2026, 9, 8), time(11, 0), scope="one"
    )
    assert conflicts and "leidt dan al" in conflicts[0].message
    assert first.start_dt == original
    service.move_session(
        db.session, a, first, date(2026, 9, 8), time(11, 0), scope="one", confirm=True
    )
    assert to_local(first.start_dt).date() == date(2026, 9, 8)


def test_cancel_adds_a_replacement_at_the_end_and_renumbers(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    last_day = _local_days(group)[-1]
    fourth = group.active_sessions[3]
    replacement = service.cancel_session(db.session, group.facilitator_a, fourth, "Begeleider ziek")
    assert fourth.status == "cancelled" and fourth.number is None and fourth.sequence == 1
    days = _local_days(group)
    assert len(days) == 12
    assert days[-1] > last_day and days[-1].weekday() == 0
    assert replacement.number == 12
    assert [s.number for s in group.active_sessions] == list(range(1, 13))
    assert len(group.sessions) == 13


def test_cancel_needs_a_reason_and_happens_once(make_group):
    group = make_group()
    with pytest.raises(DomainError, match="reden"):
        service.cancel_session(db.session, group.facilitator_a, group.active_sessions[0], "  ")
    gs = group.active_sessions[0]
    service.cancel_session(db.session, group.facilitator_a, gs, "Storm")
    with pytest.raises(DomainError, match="al geannuleerd"):
        service.cancel_session(db.session, group.facilitator_a, gs, "Storm")


def test_substitute_leads_one_meeting(make_group, make_user):
    group = make_group()
    substitute = make_user("facilitator", name="Invalster")
    gs = group.active_sessions[2]
    assert (
        service.assign_substitute(
            db.session, group.facilitator_a, gs, substitute, group.facilitator_b_id
        )
        == []
    )
    assert [u.id for u in gs.facilitators()] == [group.facilitator_a_id, substitute.id]
    assert group.active_sessions[3].substitute_id is None


def test_substitute_rules(make_group, make_user):
    group = make_group()
    gs = group.active_sessions[0]
    worker = make_user("case_worker")
    with pytest.raises(DomainError, match="rol begeleider"):
        service.assign_substitute(
            db.session, group.facilitator_a, gs, worker, group.facilitator_a_id
        )
    with pytest.raises(DomainError, match="iemand anders"):
        service.assign_substitute(
            db.session, group.facilitator_a, gs, group.facilitator_b, group.facilitator_a_id
        )
    other = make_user("facilitator")
    with pytest.raises(DomainError, match="welke begeleider"):
        service.assign_substitute(db.session, group.facilitator_a, gs, other, other.id)


def test_a_busy_substitute_is_a_conflict(make_group, make_user):
    busy = make_user("facilitator")
    make_group(facilitators=(busy, make_user("facilitator")), first_date=date(2026, 9, 7))
    group = make_group(first_date=date(2026, 9, 7))
    conflicts = service.assign_substitute(
        db.session, group.facilitator_a, group.active_sessions[0], busy, group.facilitator_a_id
    )
    assert conflicts and group.active_sessions[0].substitute_id is None


def test_attendance_is_recorded_counted_and_completion_follows_threshold(make_group):
    group = make_group(participants=2)
    first, second = group.participants
    marks = {(first.id, s.id): "present" for s in group.active_sessions[:9]}
    marks |= {(second.id, s.id): "present" for s in group.active_sessions[:8]}
    marks[(second.id, group.active_sessions[8].id)] = "excused"
    marks[(second.id, group.active_sessions[9].id)] = "absent"
    assert service.record_attendance(db.session, group.facilitator_a, group, marks) == 19
    summaries = service.attendance_summaries(db.session, group, threshold=9)
    assert summaries[first.id].present == 9 and summaries[first.id].has_completed
    assert (
        summaries[second.id].present,
        summaries[second.id].excused,
        summaries[second.id].absent,
    ) == (8, 1, 1)
    assert not summaries[second.id].has_completed
    # clearing a mark removes it; re-sending the same marks changes nothing
    assert (
        service.record_attendance(
            db.session, group.facilitator_a, group, {(first.id, group.active_sessions[0].id): None}
        )
        == 1
    )
    assert (
        service.record_attendance(
            db.session,
            group.facilitator_a,
            group,
            {(first.id, group.active_sessions[1].id): "present"},
        )
        == 0
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 18


def test_attendance_of_a_cancelled_meeting_does_not_count(make_group):
    group = make_group(participants=1)
    participant = group.participants[0]
    gs = group.active_sessions[0]
    service.record_attendance(
        db.session, group.facilitator_a, group, {(participant.id, gs.id): "present"}
    )
    service.cancel_session(db.session, group.facilitator_a, gs, "Storm")
    assert service.attendance_summaries(db.session, group, 9)[participant.id].present == 0


def test_attendance_for_another_group_is_refused(make_group):
    group, other = make_group(participants=1), make_group(participants=1)
    with pytest.raises(DomainError, match="hoort niet bij deze groep"):
        service.record_attendance(
            db.session,
            group.facilitator_a,
            group,
            {(other.participants[0].id, group.active_sessions[0].id): "present"},
        )
    with pytest.raises(DomainError, match="Onbekende keuze"):
        service.record_attendance(
            db.session,
            group.facilitator_a,
            group,
            {(group.participants[0].id, group.active_sessions[0].id): "maybe"},
        )


def test_closure_dates_are_checked(app_ctx):
    with pytest.raises(DomainError, match="voor de begindatum"):
        service.add_closure(db.session, date(2026, 5, 2), date(2026, 5, 1), "x", None)
