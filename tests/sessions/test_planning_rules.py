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
