"""Issue 13: attendance only once a meeting started, replacements that keep the rules,
undo of a cancellation, school holidays past the known years."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from veiligthuis.extensions import db
from veiligthuis.models import DomainError
from veiligthuis.sessions import service
from veiligthuis.sessions.models import Attendance


def test_attendance_for_a_meeting_not_yet_started_is_refused(make_group):
    group = make_group(first_date=date(2026, 9, 7), participants=1)
    participant = group.participants[0]
    first, second = group.active_sessions[:2]
    now = first.start_dt + timedelta(minutes=5)
    service.record_attendance(
        db.session, group.facilitator_a, group, {(participant.id, first.id): "present"}, now=now
    )
    with pytest.raises(DomainError, match="nog niet begonnen"):
        service.record_attendance(
            db.session,
            group.facilitator_a,
            group,
            {(participant.id, second.id): "present"},
            now=now,
        )


def test_attendance_grid_shows_future_meetings_read_only_and_refuses_them(login_as, make_group):
    today = datetime.now(UTC)
    group = make_group(first_date=(today - timedelta(weeks=2)).date(), participants=1)
    participant = group.participants[0]
    held = [s for s in group.active_sessions if s.start_dt <= today]
    future = [s for s in group.active_sessions if s.start_dt > today]
    assert held and future
    client = login_as(group.facilitator_a)
    page = client.get(f"/groepen/{group.id}/presentie").get_data(as_text=True)
    assert f'name="a-{participant.id}-{held[0].id}"' in page
    assert f'name="a-{participant.id}-{future[0].id}"' not in page
    response = client.post(
        f"/groepen/{group.id}/presentie",
        data={f"a-{participant.id}-{future[0].id}": "present"},
        follow_redirects=True,
    )
    assert "nog niet begonnen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_replacement_gets_the_pinned_version_and_keeps_a_week_after_a_move(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    last = group.active_sessions[-1]
    # the last meeting moved to a Wednesday: the replacement must not land on the Thursday after
    from veiligthuis.sessions.schedule import to_local

    wednesday = to_local(last.start_dt).date() + timedelta(days=2)
    service.move_session(
        db.session,
        group.facilitator_a,
        last,
        wednesday,
        to_local(last.start_dt).time(),
        scope="one",
    )
    replacement = service.cancel_session(
        db.session, group.facilitator_a, group.active_sessions[3], "Ziek"
    )
    gap = to_local(replacement.start_dt).date() - wednesday
    assert gap.days >= 7 and to_local(replacement.start_dt).weekday() == 2


def test_replacement_carries_the_groups_methodiek_version(make_group):
    from tests.methodiek.factories import publish_content

    version = publish_content(db.session)
    group = make_group(first_date=date(2026, 9, 7))
    assert group.methodiek_version_id == version.id
    replacement = service.cancel_session(
        db.session, group.facilitator_a, group.active_sessions[0], "Ziek"
    )
    assert replacement.methodiek_version_id == version.id


def test_replacement_on_leave_is_shown_and_needs_confirmation(make_group, make_user):
    from veiligthuis.auth.models import Leave

    group = make_group(first_date=date(2026, 9, 7))
    plan = service.plan_replacement(db.session, group.active_sessions[0])
    day = plan.start_dt.date()
    db.session.add(
        Leave(user_id=group.facilitator_a_id, start_date=day, end_date=day, reason="Vakantie")
    )
    db.session.flush()
    gs = group.active_sessions[0]
    with pytest.raises(service.ReplacementConflicts) as refused:
        service.cancel_session(db.session, group.facilitator_a, gs, "Ziek")
    assert refused.value.conflicts and not gs.is_cancelled
    service.cancel_session(db.session, group.facilitator_a, gs, "Ziek", confirm=True)
    assert gs.is_cancelled


def test_undo_a_cancellation_restores_it_and_cancels_the_replacement(make_group):
    group = make_group(first_date=date(2026, 9, 7))
    fourth = group.active_sessions[3]
    days = [s.start_dt for s in group.active_sessions]
    replacement = service.cancel_session(db.session, group.facilitator_a, fourth, "Ziek")
    now = fourth.start_dt - timedelta(days=1)
    undone = service.restore_session(db.session, group.facilitator_a, fourth, now=now)
    assert undone is replacement and replacement.is_cancelled
    assert not fourth.is_cancelled and fourth.number == 4 and fourth.sequence == 2
    assert [s.start_dt for s in group.active_sessions] == days
    with pytest.raises(DomainError, match="niet geannuleerd"):
        service.restore_session(db.session, group.facilitator_a, fourth, now=now)


def test_cancel_page_needs_the_checkbox_shows_conflicts_and_can_be_undone(login_as, make_group):
    from veiligthuis.auth.models import AuditEntry, Leave
    from veiligthuis.groups.models import Group
    from veiligthuis.sessions.schedule import today_local

    # In the future, so the replacement has not been held when the cancellation is undone.
    group = make_group(first_date=today_local() + timedelta(weeks=1))
    client = login_as(group.facilitator_a)
    url = f"/groepen/{group.id}/bijeenkomsten/3/annuleren"
    response = client.post(url, data={"cancel-reason": "Ziek"})
    assert response.status_code == 422
    assert "Vink aan dat deze bijeenkomst niet doorgaat" in response.get_data(as_text=True)
    plan = service.plan_replacement(db.session, group.active_sessions[2])
    day = plan.start_dt.date()
    db.session.add(Leave(user_id=group.facilitator_b_id, start_date=day, end_date=day))
    db.session.commit()
    response = client.post(url, data={"cancel-reason": "Ziek", "cancel-confirm": "y"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "De vervangende bijeenkomst geeft conflicten" in page and "verlof" in page.lower()
    data = {"cancel-reason": "Ziek", "cancel-confirm": "y", "cancel-accept_conflicts": "y"}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    cancelled = next(s for s in db.session.get(Group, group.id).sessions if s.is_cancelled)
    page = client.get(f"/groepen/{group.id}").get_data(as_text=True)
    assert "Annulering ongedaan maken" in page
    response = client.post(f"/groepen/{group.id}/geannuleerd/{cancelled.id}/herstellen")
    assert response.status_code == 302
    db.session.expire_all()
    group = db.session.get(Group, group.id)
    assert [s.number for s in group.active_sessions] == list(range(1, 13))
    assert not db.session.get(type(cancelled), cancelled.id).is_cancelled
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "cancel_session" in actions and "restore_session" in actions


def test_cancelling_the_last_meeting_puts_the_replacement_a_week_later(make_group):
    from veiligthuis.sessions.schedule import to_local

    group = make_group(first_date=date(2026, 9, 7))
    last = group.active_sessions[-1]
    replacement = service.cancel_session(db.session, group.facilitator_a, last, "Storm")
    gap = to_local(replacement.start_dt).date() - to_local(last.start_dt).date()
    assert gap.days >= 7
