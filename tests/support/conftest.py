"""Support fixtures: a group with a case worker's clients, and helpers to mark attendance."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from veiligthuis.extensions import db
from veiligthuis.groups.models import Group, Participant
from veiligthuis.sessions import service as sessions_service
from veiligthuis.support import service


@dataclass
class Setup:
    group: Group
    worker: object
    clients: list[Participant]

    @property
    def facilitator(self):
        return self.group.facilitator_a


@pytest.fixture
def support_setup(make_group, make_user, make_participant):
    """A running group (first meeting 7 Sep 2026) with ``n`` clients of one case worker."""

    def make(*, n=2, worker=None, first_date=date(2026, 9, 7), status="running", group=None):
        worker = worker or make_user("case_worker", name="Mirjam")
        group = group or make_group(first_date=first_date)
        clients = [make_participant(group, case_worker=worker) for _ in range(n)]
        group.status = status
        db.session.commit()
        return Setup(group=group, worker=worker, clients=clients)

    return make


def mark(group, marks: dict, *, today=None):
    """Mark attendance ((participant, meeting number) -> status) as the grid does, then
    recompute the signals as the attendance view does. Returns the newly opened signals."""
    by_number = {gs.number: gs for gs in group.active_sessions}
    data = {(p.id, by_number[n].id): status for (p, n), status in marks.items()}
    sessions_service.record_attendance(db.session, group.facilitator_a, group, data)
    # By default "today" is the first meeting, so the "no contact" rule stays quiet.
    today = today or local_day(group.active_sessions[0])
    opened = service.refresh_signals(db.session, group.facilitator_a, group, today=today)
    db.session.commit()
    return opened


def local_day(gs):
    """A meeting's local date."""
    from veiligthuis.sessions.schedule import to_local

    return to_local(gs.start_dt).date()


def weeks_after(day: date, weeks: int, days: int = 0) -> date:
    return day + timedelta(weeks=weeks, days=days)


def running_first_date(weeks_running: int) -> date:
    """A first date (region midden) whose group had its first meeting at least
    ``weeks_running`` weeks ago and still has meetings ahead, whatever today's date and holidays.
    """
    from datetime import time

    from veiligthuis.sessions.service import plan_for
    from veiligthuis.support.service import today_local

    today = today_local()
    for extra in range(0, 12):
        first_date = today - timedelta(weeks=weeks_running + extra)
        planned, _skipped = plan_for(
            db.session,
            first_date=first_date,
            weekday=first_date.weekday(),
            start_time=time(10, 0),
            region="midden",
            location_id=None,
        )
        if planned[0].day <= today - timedelta(weeks=weeks_running) and planned[-1].day > today:
            return first_date
    raise AssertionError("no suitable first date")


def phone_call(worker, client, day: date, *, minutes: int = 10, today: date | None = None):
    """Her case worker logs a phone call with her on ``day`` (the service checks against
    ``today``, by default the real today)."""
    extra = {"today": today} if today is not None else {}
    return service.log_contact(
        db.session,
        worker,
        client,
        contact_date=day,
        kind="phone",
        minutes=minutes,
        note="Gebeld.",
        **extra,
    )
