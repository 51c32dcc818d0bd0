"""Cancelling a meeting, its replacement at the end of the series, and undoing both."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.models import DbSession, DomainError, utcnow
from veiligthuis.sessions.conflicts import Conflict, find_conflicts, refuse_keep_apart
from veiligthuis.sessions.models import GroupSession, SessionStatus
from veiligthuis.sessions.planning import closures_for, local_slot, renumber, skip_rules
from veiligthuis.sessions.schedule import ensure_aware_utc, next_free_days, to_local

#: a replacement keeps at least this many days from the meeting before it
MIN_DAYS_APART = 6
UNDONE_REASON = "Vervalt: de geannuleerde bijeenkomst gaat toch door."


class ReplacementConflicts(DomainError):
    """The replacement meeting clashes; nothing was changed until the planner confirms."""

    def __init__(self, conflicts: list[Conflict], start_dt: datetime):
        super().__init__("De vervangende bijeenkomst geeft conflicten. Bevestig of kies anders.")
        self.conflicts = conflicts
        self.start_dt = start_dt


@dataclass(frozen=True)
class ReplacementPlan:
    """Where a replacement would go and what it clashes with."""

    start_dt: datetime
    end_dt: datetime
    conflicts: list[Conflict]


def plan_replacement(db_session: DbSession, gs: GroupSession) -> ReplacementPlan:
    """The slot a replacement for ``gs`` gets: after the last meeting, on its weekday and time.

    The weekday and time follow the last meeting, so after a move to Wednesdays the replacement
    is a Wednesday too, at least a week later, skipping holidays and closures.
    """
    group = gs.group
    # The cancelled meeting counts too: cancelling the last one never puts its replacement
    # on the same evening.
    last = max([*group.active_sessions, gs], key=lambda s: s.start_dt)
    last_local = to_local(last.start_dt)
    try:
        days, _skipped = next_free_days(
            last_local.date() + timedelta(days=MIN_DAYS_APART + 1),
            last_local.weekday(),
            1,
            group.location.region,
            skip_rules(db_session),
            closures_for(db_session, group.location_id),
        )
    except ValueError as error:
        raise DomainError(str(error)) from error
    start, end = local_slot(days[0], last_local.time(), group.programme.session_minutes)
    conflicts = find_conflicts(
        db_session,
        [(None, start, end)],
        facilitator_ids=group.facilitator_ids,
        room_id=group.room_id,
        exclude_group_id=group.id,
    )
    return ReplacementPlan(start, end, conflicts)


def cancel_session(
    db_session: DbSession, actor: User, gs: GroupSession, reason: str, *, confirm: bool = False
) -> GroupSession:
    """Cancel one meeting; a replacement is added after the last one, keeping twelve.

    The replacement gets the group's pinned methodiek version. A replacement that clashes
    (double booking, leave) raises :class:`ReplacementConflicts` unless ``confirm``.
    """
    if gs.is_cancelled:
        raise DomainError("Deze bijeenkomst is al geannuleerd.")
    reason = reason.strip()
    if not reason:
        raise DomainError("Vul een reden in voor de annulering.", "reason")
    group = gs.group
    plan = plan_replacement(db_session, gs)
    if plan.conflicts and not confirm:
        raise ReplacementConflicts(plan.conflicts, plan.start_dt)
    gs.status = SessionStatus.CANCELLED
    gs.cancel_reason = reason[:250]
    gs.sequence += 1
    replacement = GroupSession(
        start_dt=plan.start_dt,
        end_dt=plan.end_dt,
        methodiek_version_id=group.methodiek_version_id,
        replaces_id=gs.id,
    )
    replacement.assign_people_and_room(group)
    group.sessions.append(replacement)
    renumber(group)
    audit(db_session, actor, "cancel_session", gs, detail=reason[:200])
    db_session.flush()
    return replacement


def restore_session(
    db_session: DbSession, actor: User, gs: GroupSession, *, now: datetime | None = None
) -> GroupSession | None:
    """Undo a cancellation: the meeting takes place again and its replacement, if not yet
    held, is cancelled in turn (calendars keep its UID and see it go). Returns that replacement.
    """
    if not gs.is_cancelled:
        raise DomainError("Deze bijeenkomst is niet geannuleerd.")
    group = gs.group
    now = now or utcnow()
    replacement = next(
        (s for s in group.active_sessions if s.replaces_id == gs.id and not s.attendances), None
    )
    if replacement is not None and ensure_aware_utc(replacement.start_dt) <= now:
        replacement = None  # held: it stays, the series has one meeting more
    others = [s for s in group.active_sessions if s is not replacement]
    if any(s.start_dt < gs.end_dt and s.end_dt > gs.start_dt for s in others):
        raise DomainError(
            "Op dat moment is er inmiddels een andere bijeenkomst van deze groep. "
            "Verplaats die eerst."
        )
    # while it was cancelled a kept-apart partner's group may have taken the place and hour
    refuse_keep_apart(db_session, group.id, group.room_id, [(gs.number, gs.start_dt, gs.end_dt)])
    gs.status = SessionStatus.PLANNED
    gs.cancel_reason = None
    gs.sequence += 1
    if replacement is not None:
        replacement.status = SessionStatus.CANCELLED
        replacement.cancel_reason = UNDONE_REASON
        replacement.sequence += 1
    renumber(group)
    audit(db_session, actor, "restore_session", gs, detail="annulering ongedaan gemaakt")
    db_session.flush()
    return replacement
