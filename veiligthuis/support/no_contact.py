"""The "no contact" signals of all of a case worker's clients, for her page, without loading
their groups and meetings: first and last meeting day come from one aggregate query."""

from datetime import date

import sqlalchemy as sa

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, GroupStatus, Participant, ParticipantStatus
from veiligthuis.models import DbSession
from veiligthuis.programmes.service import participants_in_her_programmes
from veiligthuis.sessions.models import GroupSession, SessionStatus
from veiligthuis.sessions.schedule import to_local
from veiligthuis.settings import get_setting
from veiligthuis.support.models import Signal
from veiligthuis.support.signals_service import (
    Occurrence,
    _store,
    last_contact_dates,
    no_contact_due,
    stored_signals_of,
)


def her_no_contact_wanted(
    db_session: DbSession, user: User, today: date
) -> dict[int, list[Occurrence]]:
    """Per client id, the "no contact" occurrence due today for her active clients in running
    groups (the same clients and rule as ``open_signal_count``)."""
    weeks = get_setting(db_session, "no_contact_weeks")
    if weeks <= 0:
        return {}
    running = sa.select(Group.id).where(Group.status == GroupStatus.RUNNING)
    meetings = (
        sa.select(
            GroupSession.group_id,
            sa.func.min(GroupSession.start_dt).label("first_dt"),
            sa.func.max(GroupSession.start_dt).label("last_dt"),
        )
        .where(GroupSession.status != SessionStatus.CANCELLED, GroupSession.group_id.in_(running))
        .group_by(GroupSession.group_id)
        .subquery()
    )
    rows = db_session.execute(
        sa.select(Participant.id, meetings.c.first_dt, meetings.c.last_dt)
        .join(Group, Participant.group_id == Group.id)
        .join(meetings, meetings.c.group_id == Group.id)
        .where(
            Participant.case_worker_id == user.id,
            participants_in_her_programmes(user),
            Participant.status == ParticipantStatus.ACTIVE,
            Group.status == GroupStatus.RUNNING,
        )
    ).all()
    last = last_contact_dates(db_session, [row[0] for row in rows])
    wanted: dict[int, list[Occurrence]] = {}
    for participant_id, first_dt, last_dt in rows:
        first, final = to_local(first_dt).date(), to_local(last_dt).date()
        found = no_contact_due(first, final, last.get(participant_id), today, weeks)
        if found is not None:
            wanted[participant_id] = [found]
    return wanted


def refresh_her_no_contact(db_session: DbSession, user: User, today: date) -> list[Signal]:
    """Open the "no contact" signals due today for all her clients; returns the new ones."""
    wanted = her_no_contact_wanted(db_session, user, today)
    if not wanted:
        return []
    existing = stored_signals_of(db_session, wanted)
    known = {(s.participant_id, s.dedupe_key) for s in existing}
    new = [pid for pid, found in wanted.items() if any((pid, o.key) not in known for o in found)]
    if not new:
        return []  # the usual case: stored by the daily run or an earlier visit
    participants = {
        p.id: p for p in db_session.scalars(sa.select(Participant).where(Participant.id.in_(new)))
    }
    return _store(
        db_session, None, participants, {pid: wanted[pid] for pid in new}, existing, set()
    )
