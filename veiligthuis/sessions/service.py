"""The twelve meetings: planning, conflicts, moving, cancelling, substitutes and attendance."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol, overload

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.groups.facts import GroupFacts, ParticipantFacts
from veiligthuis.groups.models import Group, Location, Participant, ParticipantStatus, Room
from veiligthuis.models import DbSession, DomainError
from veiligthuis.permissions import in_programme

# Cancelling and its undo live in their own module; callers keep using this one.
from veiligthuis.sessions.cancelling import (  # noqa: I001
    ReplacementConflicts,
    cancel_session,
    plan_replacement,
    restore_session,
)
from veiligthuis.sessions.conflicts import Conflict, find_conflicts, refuse_keep_apart
from veiligthuis.sessions.models import (
    ATTENDANCE_STATUSES,
    Attendance,
    AttendanceStatus,
    ClosurePeriod,
    GroupSession,
    SessionStatus,
)
from veiligthuis.sessions.planning import (
    closures_for,
    create_sessions,
    local_slot,
    plan_aligned,
    plan_for,
    renumber,
    skip_rules,
)
from veiligthuis.sessions.schedule import blocked_reason, ensure_aware_utc, next_free_days
from veiligthuis.wording import day_nl, plural

__all__ = [
    "Conflict",
    "ReplacementConflicts",
    "cancel_session",
    "closures_for",
    "create_sessions",
    "find_conflicts",
    "plan_aligned",
    "plan_for",
    "plan_replacement",
    "renumber",
    "restore_session",
    "skip_rules",
]

#: who appears in the attendance grid (and may be the subject of a care signal)
ROSTER_STATUSES = frozenset(
    {ParticipantStatus.ACTIVE, ParticipantStatus.COMPLETED, ParticipantStatus.DROPPED_OUT}
)


def add_closure(
    db_session: DbSession, start: date, end: date, reason: str, location_id: int | None
) -> ClosurePeriod:
    """Register a closure period (for the whole organisation when ``location_id`` is None)."""
    if end < start:
        raise DomainError("De einddatum ligt voor de begindatum.", "end_date")
    if (end - start).days > 366:
        raise DomainError("Een sluitingsperiode duurt hoogstens een jaar.", "end_date")
    closure = ClosurePeriod(
        start_date=start, end_date=end, reason=reason.strip(), location_id=location_id
    )
    db_session.add(closure)
    db_session.flush()
    return closure


def remove_closure(db_session: DbSession, actor: User, closure: ClosurePeriod) -> dict:
    """Delete a closure period; meetings already planned around it stay where they are.

    Returns its values, which :func:`restore_closure` takes to undo the deletion."""
    snapshot = {
        "start_date": closure.start_date.isoformat(),
        "end_date": closure.end_date.isoformat(),
        "reason": closure.reason,
        "location_id": closure.location_id,
    }
    audit(
        db_session,
        actor,
        "closure_delete",
        closure,
        detail=f"{closure.start_date.isoformat()} t/m {closure.end_date.isoformat()} {closure.reason}",
    )
    db_session.delete(closure)
    db_session.flush()
    return snapshot


def restore_closure(db_session: DbSession, actor: User, snapshot: dict) -> ClosurePeriod:
    """Undo :func:`remove_closure`; meetings planned in the meantime stay where they are."""
    location_id = snapshot.get("location_id")
    if location_id is not None and db_session.get(Location, location_id) is None:
        raise DomainError("De locatie van deze sluitingsperiode bestaat niet meer.")
    closure = add_closure(
        db_session,
        date.fromisoformat(snapshot["start_date"]),
        date.fromisoformat(snapshot["end_date"]),
        snapshot["reason"],
        location_id,
    )
    audit(
        db_session,
        actor,
        "closure_restore",
        closure,
        detail=f"{closure.start_date.isoformat()} t/m {closure.end_date.isoformat()} {closure.reason}",
    )
    db_session.flush()
    return closure


def _check_move(gs: GroupSession, new_day: date, scope: str) -> None:
    if gs.is_cancelled:
        raise DomainError("Een geannuleerde bijeenkomst kan niet worden verplaatst.")
    if scope not in {"one", "following"}:
        raise DomainError("Kies of alleen deze of ook de volgende bijeenkomsten schuiven.", "scope")
    if new_day.year < 2000 or new_day.year > 2100:
        raise DomainError("Vul een datum in tussen 2000 en 2100.", "new_date")


def _moved_slots(
    db_session: DbSession, gs: GroupSession, new_day: date, new_time: time, scope: str
) -> list[tuple[GroupSession, datetime, datetime]]:
    """(meeting, new start, new end) for the meetings that move; refused on a closed day."""
    group = gs.group
    rules = skip_rules(db_session)
    closures = closures_for(db_session, group.location_id)
    reason = blocked_reason(new_day, group.location.region, rules, closures)
    if reason:
        raise DomainError(f"Op {day_nl(new_day)} kan het niet: {reason}.", "new_date")
    if scope == "one":
        return [(gs, *local_slot(new_day, new_time, group.programme.session_minutes))]
    following = [s for s in group.active_sessions if s.start_dt >= gs.start_dt]
    try:
        days, _skipped = next_free_days(
            new_day, new_day.weekday(), len(following), group.location.region, rules, closures
        )
    except ValueError as error:
        raise DomainError(str(error), "new_date") from error
    return [
        (session, *local_slot(day, new_time, group.programme.session_minutes))
        for session, day in zip(following, days, strict=True)
    ]


def _check_moved_order(gs: GroupSession, changes, scope: str) -> None:
    """The series keeps its order, and two meetings of the group never overlap."""
    group = gs.group
    earlier = [s for s in group.active_sessions if s.start_dt < gs.start_dt]
    if earlier and changes[0][1] <= earlier[-1].start_dt and scope == "following":
        raise DomainError(
            "Met ‘deze en alle volgende’ kan een bijeenkomst niet vóór een eerdere komen.",
            "new_date",
        )
    moved_ids = {session.id for session, _s, _e in changes}
    kept = [(s.start_dt, s.end_dt) for s in group.active_sessions if s.id not in moved_ids]
    for _session, start, end in changes:
        if any(start < k_end and end > k_start for k_start, k_end in kept):
            raise DomainError("Op dat moment is er al een bijeenkomst van deze groep.", "new_date")


def move_session(
    db_session: DbSession,
    actor: User,
    gs: GroupSession,
    new_day: date,
    new_time: time,
    *,
    scope: str,
    confirm: bool = False,
) -> list[Conflict]:
    """Move one meeting, or this one and all after it (weekly from the new date).

    Returns the conflicts found; nothing changes while there are conflicts and ``confirm`` is
    False, or while the new date is a closed day.
    """
    _check_move(gs, new_day, scope)
    changes = _moved_slots(db_session, gs, new_day, new_time, scope)
    _check_moved_order(gs, changes, scope)
    group = gs.group
    # A meeting is checked with its own people and room: a held one keeps those it had.
    conflicts = find_conflicts(
        db_session,
        [(s.number, start, end) for s, start, end in changes],
        facilitator_ids=set().union(*(s.leader_ids for s, _start, _end in changes)),
        room_id=gs.room_id,
        exclude_group_id=group.id,
    )
    if conflicts and not confirm:
        return conflicts
    for session, start, end in changes:
        if session.start_dt != start or session.end_dt != end:
            session.start_dt, session.end_dt = start, end
            session.sequence += 1
    renumber(group)
    audit(db_session, actor, "move_session", gs, detail=f"{scope} -> {new_day} {new_time}")
    db_session.flush()
    return conflicts


def assign_substitute(
    db_session: DbSession,
    actor: User,
    gs: GroupSession,
    substitute: User | None,
    replaces_id: int | None,
) -> list[Conflict]:
    """Let ``substitute`` lead this one meeting in place of one of the two facilitators."""
    group = gs.group
    if substitute is None:
        gs.substitute_id = gs.substitute_for_id = None
        gs.sequence += 1
        db_session.flush()
        return []
    if replaces_id not in gs.facilitator_ids:
        raise DomainError("Kies welke begeleider wordt vervangen.", "replaces")
    if substitute.id in gs.facilitator_ids:
        raise DomainError(
            "De invaller moet iemand anders zijn dan de twee begeleiders.", "substitute"
        )
    if not substitute.has_role("facilitator"):
        raise DomainError("De invaller moet de rol begeleider hebben.", "substitute")
    if not in_programme(substitute, group.programme_id):
        raise DomainError(
            f"De invaller moet in het programma {group.programme.name} werken.", "substitute"
        )
    # a meeting that breaks a link recorded after it was planned changes only by moving away
    refuse_keep_apart(db_session, group.id, group.room_id, [(gs.number, gs.start_dt, gs.end_dt)])
    conflicts = find_conflicts(
        db_session,
        [(gs.number, gs.start_dt, gs.end_dt)],
        facilitator_ids={substitute.id},
        room_id=None,
        exclude_group_id=group.id,
    )
    if conflicts:
        return conflicts
    gs.substitute_id = substitute.id
    gs.substitute_for_id = replaces_id
    gs.sequence += 1
    audit(db_session, actor, "substitute", gs, detail=f"{replaces_id} -> {substitute.id}")
    db_session.flush()
    return []


@overload
def attendance_roster(group: Group) -> list[Participant]: ...
@overload
def attendance_roster(group: GroupFacts) -> list[ParticipantFacts]: ...
def attendance_roster(group):
    """Who appears in the attendance grid: everybody but intakes and the waiting list."""
    return [p for p in group.participants if p.status in ROSTER_STATUSES]


def _check_marks(marks, participants: dict, sessions: dict, now: datetime | None) -> None:
    for (participant_id, session_id), status in marks.items():
        if participant_id not in participants or session_id not in sessions:
            raise DomainError(
                "De presentielijst hoort niet bij deze groep. Laad de pagina opnieuw."
            )
        if status is not None and status not in ATTENDANCE_STATUSES:
            raise DomainError("Onbekende keuze in de presentielijst.")
        if now is not None and ensure_aware_utc(sessions[session_id].start_dt) > now:
            raise DomainError(
                f"Bijeenkomst {sessions[session_id].number} is nog niet begonnen: "
                "presentie vult u in vanaf het begin van de bijeenkomst."
            )


def record_attendance(
    db_session: DbSession,
    actor: User,
    group: Group,
    marks: dict[tuple[int, int], str | None],
    *,
    now: datetime | None = None,
) -> int:
    """Store (participant id, session id) -> status for this group; None clears. Returns changes.

    With ``now`` (the attendance page passes it) a meeting that has not started is refused:
    nobody can be present at, or absent from, a meeting that has not happened."""
    participants = {p.id: p for p in attendance_roster(group)}
    sessions = {s.id: s for s in group.active_sessions}
    existing = {
        (a.participant_id, a.group_session_id): a
        for a in db_session.scalars(
            sa.select(Attendance).where(Attendance.group_session_id.in_(sessions))
        )
    }
    _check_marks(marks, participants, sessions, now)
    changed: dict[int, int] = defaultdict(int)
    for (participant_id, session_id), status in marks.items():
        row = existing.get((participant_id, session_id))
        if status is None:
            if row is not None:
                db_session.delete(row)
                changed[participant_id] += 1
        elif row is None:
            db_session.add(
                Attendance(
                    participant_id=participant_id, group_session_id=session_id, status=status
                )
            )
            changed[participant_id] += 1
        elif row.status != status:
            row.status = status
            changed[participant_id] += 1
    for participant_id, count in changed.items():
        participant = participants[participant_id]
        audit(
            db_session,
            actor,
            "attendance",
            participant,
            participant_code=participant.code,
            detail=plural(count, "wijziging", "wijzigingen"),
        )
    db_session.flush()
    return sum(changed.values())


class HasStatus(Protocol):
    """A participant, or a report's row about her: anything with her status."""

    @property
    def status(self) -> str: ...


def has_completed(participant: HasStatus, present: int, threshold: int) -> bool:
    """The completion rule (it gives a certificate): ``threshold`` meetings attended, and she
    did not drop out, however often she came before she stopped."""
    return participant.status != ParticipantStatus.DROPPED_OUT and present >= threshold


@dataclass(frozen=True)
class AttendanceSummary:
    present: int
    excused: int
    absent: int
    has_completed: bool


#: per woman of a group and status, her marks at meetings that were not cancelled (built once)
_MARK_COUNTS = (
    sa.select(Attendance.participant_id, Attendance.status, sa.func.count())
    .join(GroupSession)
    .where(
        GroupSession.group_id == sa.bindparam("group_id"),
        GroupSession.status != SessionStatus.CANCELLED,
    )
    .group_by(Attendance.participant_id, Attendance.status)
)


def attendance_summaries(
    db_session: DbSession,
    group: Group,
    threshold: int,
    marks: Mapping[tuple[int, int], str] | None = None,
) -> dict[int, AttendanceSummary]:
    """Per participant id: counts of each attendance status and whether she completed.

    ``marks``, every mark of the group's meetings that were not cancelled by (participant id,
    meeting id), when the page has them already (the attendance grid): then no query."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if marks is None:
        rows = db_session.execute(_MARK_COUNTS, {"group_id": group.id})
        for participant_id, status, count in rows:
            counts[participant_id][status] = count
    else:
        for (participant_id, _meeting_id), status in marks.items():
            counts[participant_id][status] += 1
    return {
        p.id: AttendanceSummary(
            present=counts[p.id][AttendanceStatus.PRESENT],
            excused=counts[p.id][AttendanceStatus.EXCUSED],
            absent=counts[p.id][AttendanceStatus.ABSENT],
            has_completed=has_completed(p, counts[p.id][AttendanceStatus.PRESENT], threshold),
        )
        for p in group.participants
    }


def sessions_led_by(
    db_session: DbSession, user: User, window: tuple[datetime, datetime] | None = None
) -> list[GroupSession]:
    """Every meeting ``user`` leads (as facilitator, not replaced, or as substitute), loaded for
    a calendar: group, place, people and methodiek titles. A fixed number of queries.

    ``window`` (start, end) keeps only the meetings that start in it."""
    from veiligthuis.methodiek.models import MethodiekVersion, SessionPlan
    from veiligthuis.sessions.feed import led_by

    # Roles of the people named are not needed: keep them lazy, or each kind of person
    # (facilitator, substitute, replaced) would cost a query of its own.
    query = (
        sa.select(GroupSession)
        .join(Group)
        .where(led_by(user.id))
        .options(
            so.contains_eager(GroupSession.group),
            so.joinedload(GroupSession.room).joinedload(Room.location),
            so.joinedload(GroupSession.facilitator_a).lazyload(User.role_rows),
            so.joinedload(GroupSession.facilitator_b).lazyload(User.role_rows),
            so.joinedload(GroupSession.substitute).lazyload(User.role_rows),
            so.joinedload(GroupSession.substitute_for).lazyload(User.role_rows),
            # a calendar shows each plan's title only, not its pages of text
            so.selectinload(GroupSession.methodiek_version)
            .selectinload(MethodiekVersion.sessions)
            .load_only(SessionPlan.number, SessionPlan.title),
        )
        .order_by(GroupSession.start_dt)
    )
    if window is not None:
        query = query.where(GroupSession.start_dt >= window[0], GroupSession.start_dt < window[1])
    return list(db_session.scalars(query).unique())


def load_methodiek_versions(db_session: DbSession, group: Group) -> dict:
    """The methodiek versions of the group's meetings with their plans and handouts, by id
    (three queries however many meetings), attached to the group and each meeting."""
    from veiligthuis.methodiek.models import MethodiekVersion

    ids = {gs.methodiek_version_id for gs in group.sessions} | {group.methodiek_version_id}
    ids.discard(None)
    if not ids:
        return {}
    versions = db_session.scalars(
        sa.select(MethodiekVersion)
        .where(MethodiekVersion.id.in_(ids))
        .options(
            so.selectinload(MethodiekVersion.sessions),
            so.selectinload(MethodiekVersion.handouts),
        )
    ).all()
    by_id: dict[int | None, MethodiekVersion] = {v.id: v for v in versions}
    # Attach them as loaded values (no change to save): the identity map holds objects only
    # weakly, so without this a version could be collected and lazy-loaded once per meeting.
    for gs in group.sessions:
        version = by_id.get(gs.methodiek_version_id)
        so.attributes.set_committed_value(gs, "methodiek_version", version)
    so.attributes.set_committed_value(
        group, "methodiek_version", by_id.get(group.methodiek_version_id)
    )
    return by_id


def attendance_grid(roster, meetings, marks: dict, can_edit: bool, now: datetime) -> list:
    """Per woman, her cells as (field name, spoken label, mark, editable): worked out here in
    one pass rather than in the template, where each of a dozen meetings times a dozen women
    looked every attribute up again. A meeting is editable from its start (``now``)."""
    columns = [(m.id, m.number, can_edit and ensure_aware_utc(m.start_dt) <= now) for m in meetings]
    grid = []
    for woman in roster:
        pid, alias = woman.id, woman.alias
        cells = [
            (f"a-{pid}-{sid}", f"{alias}, bijeenkomst {number}", marks.get((pid, sid), ""), edit)
            for sid, number, edit in columns
        ]
        grid.append((woman, cells))
    return grid
