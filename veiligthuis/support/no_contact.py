"""The "no contact" signals of all of a case worker's clients, for her page and the count on her
dashboard, without loading their groups and meetings: first and last meeting day, last
contact and her latest stored "no contact" signal come from one query."""

from datetime import date
from functools import cache

import sqlalchemy as sa

from veiligthuis import changes
from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, GroupStatus, Participant, ParticipantStatus
from veiligthuis.models import DbSession
from veiligthuis.sessions.models import GroupSession, SessionStatus
from veiligthuis.sessions.schedule import to_local, today_local
from veiligthuis.settings import get_setting
from veiligthuis.support.caseload import her_clients_where, her_scope, last_contact_subquery
from veiligthuis.support.models import Signal, SignalStatus
from veiligthuis.support.signals_service import (
    Occurrence,
    _store,
    no_contact_due,
    stored_signals_of,
)


@cache
def _due_statement(every_programme: bool) -> sa.Select:
    def meeting(aggregate):
        return (
            sa.select(aggregate(GroupSession.start_dt))
            .where(
                GroupSession.group_id == Participant.group_id,
                GroupSession.status != SessionStatus.CANCELLED,
            )
            .scalar_subquery()
        )

    last_contact = last_contact_subquery()
    # Keys are "no_contact:<ISO date>", so the greatest is the latest period's.
    latest_key = (
        sa.select(sa.func.max(Signal.dedupe_key))
        .where(Signal.participant_id == Participant.id, Signal.kind == "no_contact")
        .scalar_subquery()
    )
    return (
        sa.select(
            Participant.id, meeting(sa.func.min), meeting(sa.func.max), last_contact, latest_key
        )
        .join(Group, Participant.group_id == Group.id)
        .where(
            her_clients_where(every_programme),
            Participant.status == ParticipantStatus.ACTIVE,
            Group.status == GroupStatus.RUNNING,
        )
    )


def her_no_contact_due(
    db_session: DbSession, user: User, today: date
) -> tuple[tuple[int, Occurrence, str | None], ...]:
    """Her active clients in running groups (the same clients and rule as
    ``open_signal_count``) with the "no contact" occurrence due today, each with the key of
    her latest stored "no contact" signal.

    It follows from the data and the day alone, so it is worked out once per day and kept until
    anything changes (``veiligthuis.changes``): her page and her dashboard are opened far more
    often than a contact is logged."""
    return changes.cached(
        db_session,
        "no_contact_due",
        (user.id, today),
        lambda: _work_out_due(db_session, user, today),
    )


def _work_out_due(
    db_session: DbSession, user: User, today: date
) -> tuple[tuple[int, Occurrence, str | None], ...]:
    weeks = get_setting(db_session, "no_contact_weeks")
    if weeks <= 0:
        return ()
    every_programme, params = her_scope(user)
    due = []
    for participant_id, first_dt, last_dt, contact, latest_key in db_session.execute(
        _due_statement(every_programme), params
    ):
        if first_dt is None:
            continue  # every meeting cancelled
        first, final = to_local(first_dt).date(), to_local(last_dt).date()
        found = no_contact_due(first, final, contact, today, weeks)
        if found is not None:
            due.append((participant_id, found, latest_key))
    return tuple(due)


def _unstored_due(
    db_session: DbSession, user: User, today: date
) -> tuple[dict[int, list[Occurrence]], list[Signal]]:
    """Her clients' due "no contact" occurrences that are not stored yet, and the stored
    signals that were looked up to know it."""
    # The usual case: each due signal is her latest one, stored by the daily run or an
    # earlier visit, and nothing more is read. Otherwise the exact occurrences are looked up.
    wanted = {
        pid: [found]
        for pid, found, latest_key in her_no_contact_due(db_session, user, today)
        if found.key != latest_key
    }
    if not wanted:
        return {}, []
    existing = stored_signals_of(db_session, wanted)
    known = {(s.participant_id, s.dedupe_key) for s in existing}
    new = {
        pid: found for pid, found in wanted.items() if any((pid, o.key) not in known for o in found)
    }
    return new, existing


def refresh_her_no_contact(db_session: DbSession, user: User, today: date) -> list[Signal]:
    """Open the "no contact" signals due today for all her clients; returns the new ones."""
    new, existing = _unstored_due(db_session, user, today)
    if not new:
        return []
    participants = {
        p.id: p for p in db_session.scalars(sa.select(Participant).where(Participant.id.in_(new)))
    }
    return _store(db_session, None, participants, new, existing, set())


def open_signal_count(db_session: DbSession, user: User, today: date | None = None) -> int:
    """Open (not yet seen) signals of her clients, counting "no contact" signals now due.

    Writes nothing: the dashboard does not commit; her support page stores the due ones.
    """
    if not user.has_role("case_worker"):
        return 0
    every_programme, params = her_scope(user)
    stored = db_session.scalar(
        sa.select(sa.func.count())
        .select_from(Signal)
        .join(Participant, Signal.participant_id == Participant.id)
        .join(Group, Participant.group_id == Group.id)
        .where(her_clients_where(every_programme), Signal.status == SignalStatus.OPEN),
        params,
    )
    new, _existing = _unstored_due(db_session, user, today or today_local())
    return (stored or 0) + sum(len(found) for found in new.values())
