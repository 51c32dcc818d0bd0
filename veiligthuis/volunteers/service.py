"""Volunteers, their shifts and childcare needs.

A volunteer sees the meetings she is scheduled for and what she needs for her task there: for
childcare the number and age bands of the children. She never sees who the women are. Conflicts
(booked elsewhere at the same time, her own unavailability) are reported before a shift is
saved, and saving then needs an explicit confirmation.
"""

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import Leave, User
from veiligthuis.auth.service import audit
from veiligthuis.groups.models import Group, Participant, Room
from veiligthuis.models import DbSession, DomainError, utcnow
from veiligthuis.partners.service import check_childcare
from veiligthuis.sessions.models import GroupSession, SessionStatus
from veiligthuis.sessions.schedule import to_local
from veiligthuis.volunteers.models import TASKS, ChildcareNeed, Shift, Task, Volunteer
from veiligthuis.wording import day_nl

#: whose children are expected at a meeting
EXPECTED_STATUSES = ("active",)


# --- volunteers -------------------------------------------------------------------------------


def volunteer_candidates(db_session: DbSession) -> list[User]:
    """Accounts with the volunteer role that have no volunteer record yet."""
    from veiligthuis.auth.models import UserRole

    recorded = sa.select(Volunteer.user_id)
    return list(
        db_session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(UserRole.role == "volunteer", User.id.not_in(recorded))
            .order_by(User.name)
        )
    )


def save_volunteer(
    db_session: DbSession,
    actor: User,
    volunteer: Volunteer | None,
    *,
    user_id: int | None = None,
    has_training: bool,
    vog_seen_date: date | None,
    tasks: list[str],
) -> Volunteer:
    """Record a volunteer (an account with the volunteer role) or change her record."""
    if volunteer is None:
        user = db_session.get(User, user_id) if user_id else None
        if user is None or not user.has_role("volunteer"):
            raise DomainError("Kies een account met de rol vrijwilliger.", "user_id")
        if db_session.scalar(sa.select(Volunteer.id).where(Volunteer.user_id == user.id)):
            raise DomainError("Deze vrijwilliger is al vastgelegd.", "user_id")
        volunteer = Volunteer(user=user)
        db_session.add(volunteer)
    unknown = set(tasks) - set(TASKS)
    if unknown:
        raise DomainError("Kies taken uit de lijst.", "tasks")
    if vog_seen_date is not None and not 2000 <= vog_seen_date.year <= 2100:
        raise DomainError("Vul een geldige datum in.", "vog_seen_date")
    volunteer.has_training = has_training
    volunteer.vog_seen_date = vog_seen_date
    volunteer.tasks = [t.value for t in Task if t in tasks]
    db_session.flush()
    audit(db_session, actor, "volunteer", volunteer, detail=volunteer.user.name)
    return volunteer


def all_volunteers(db_session: DbSession) -> list[Volunteer]:
    """Every recorded volunteer with her account, by name."""
    return list(
        db_session.scalars(
            sa.select(Volunteer)
            .join(Volunteer.user)
            .options(so.contains_eager(Volunteer.user))
            .order_by(User.name)
        )
    )


def volunteer_of(db_session: DbSession, user: User) -> Volunteer | None:
    """Her volunteer record, or None."""
    return db_session.scalar(sa.select(Volunteer).where(Volunteer.user_id == user.id))


def hash_feed_token(token: str) -> str:
    """The stored form of a volunteer's calendar token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(volunteer: Volunteer) -> str:
    """A new secret calendar address for her; the old one stops at once. Shown once."""
    token = secrets.token_urlsafe(32)
    volunteer.feed_token_hash = hash_feed_token(token)
    return token


def volunteer_by_feed_token(db_session: DbSession, token: str) -> Volunteer | None:
    """The enabled volunteer whose feed token this is, or None."""
    if not 20 <= len(token) <= 100:
        return None
    volunteer = db_session.scalar(
        sa.select(Volunteer).where(Volunteer.feed_token_hash == hash_feed_token(token))
    )
    if volunteer is None or not volunteer.user.is_enabled:
        return None
    if not volunteer.user.has_role("volunteer"):
        return None
    return volunteer


# --- childcare needs --------------------------------------------------------------------------


def set_childcare_need(
    db_session: DbSession, actor: User, participant: Participant, children: dict[str, int]
) -> None:
    """Keep how many children (per age band) she needs childcare for; none removes it."""
    clean = check_childcare(children)
    need = db_session.get(ChildcareNeed, participant.id)
    if clean and need is None:
        db_session.add(ChildcareNeed(participant_id=participant.id, children=clean))
    elif clean and need is not None:
        need.children = clean
    elif need is not None:
        db_session.delete(need)
    audit(
        db_session,
        actor,
        "childcare",
        participant,
        participant_code=participant.code,
        detail=f"{sum(clean.values())} kind(eren)",
    )
    db_session.flush()


def childcare_needs(db_session: DbSession, participant_ids) -> dict[int, dict[str, int]]:
    """participant id -> children per age band."""
    ids = list(participant_ids)
    if not ids:
        return {}
    rows = db_session.scalars(sa.select(ChildcareNeed).where(ChildcareNeed.participant_id.in_(ids)))
    return {row.participant_id: dict(row.children) for row in rows}


def expected_children(db_session: DbSession, group_ids) -> dict[int, dict[str, int]]:
    """group id -> children per age band of its active participants (counts only)."""
    ids = list(group_ids)
    if not ids:
        return {}
    rows = db_session.execute(
        sa.select(Participant.group_id, ChildcareNeed.children)
        .join(ChildcareNeed, ChildcareNeed.participant_id == Participant.id)
        .where(Participant.group_id.in_(ids), Participant.status.in_(EXPECTED_STATUSES))
    ).all()
    totals: dict[int, dict[str, int]] = {group_id: {} for group_id in ids}
    for group_id, children in rows:
        for band, count in children.items():
            totals[group_id][band] = totals[group_id].get(band, 0) + count
    return totals


def volunteers_needed(children: int, per_volunteer: int) -> int:
    """Childcare volunteers needed for ``children`` children (one per ``per_volunteer``)."""
    return math.ceil(children / max(per_volunteer, 1)) if children else 0


# --- shifts -----------------------------------------------------------------------------------


def _overlaps(a: GroupSession, b: GroupSession) -> bool:
    return a.start_dt < b.end_dt and b.start_dt < a.end_dt


def shift_conflicts(db_session: DbSession, volunteer: Volunteer, gs: GroupSession) -> list[str]:
    """What stands in the way of scheduling her at ``gs``, in Dutch; empty when nothing."""
    problems = []
    others = db_session.scalars(
        sa.select(Shift)
        .join(Shift.group_session)
        .where(
            Shift.volunteer_id == volunteer.id,
            Shift.group_session_id != gs.id,
            GroupSession.start_dt < gs.end_dt,
            GroupSession.end_dt > gs.start_dt,
            GroupSession.status != SessionStatus.CANCELLED,
        )
        .options(so.contains_eager(Shift.group_session))
    ).all()
    for shift in others:
        start = to_local(shift.group_session.start_dt)
        problems.append(
            f"{volunteer.name} staat op {day_nl(start.date())} om {start:%H:%M} al ingepland voor "
            f"{TASKS[shift.task]} bij een andere bijeenkomst."
        )
    day = to_local(gs.start_dt).date()
    leaves = db_session.scalars(
        sa.select(Leave).where(
            Leave.user_id == volunteer.user_id, Leave.start_date <= day, Leave.end_date >= day
        )
    ).all()
    for leave in leaves:
        problems.append(
            f"{volunteer.name} is niet beschikbaar van {day_nl(leave.start_date)} tot en met "
            f"{day_nl(leave.end_date)} ({leave.reason})."
        )
    return problems


def schedule_shift(
    db_session: DbSession,
    actor: User,
    volunteer: Volunteer,
    gs: GroupSession,
    task: str,
    *,
    accept_conflicts: bool = False,
) -> tuple[Shift | None, list[str]]:
    """Schedule her at ``gs`` for ``task``. With conflicts and no confirmation nothing is saved
    and the conflicts come back."""
    if task not in TASKS:
        raise DomainError("Kies een taak uit de lijst.", "task")
    if task not in volunteer.tasks:
        raise DomainError(f"{volunteer.name} doet geen {TASKS[task]}.", "task")
    if not volunteer.has_training or volunteer.vog_seen_date is None:
        raise DomainError(
            f"{volunteer.name} kan pas worden ingepland na de training en als haar VOG is gezien.",
            "volunteer_id",
        )
    if gs.is_cancelled:
        raise DomainError("Deze bijeenkomst gaat niet door.", "volunteer_id")
    existing = db_session.scalar(
        sa.select(Shift).where(Shift.volunteer_id == volunteer.id, Shift.group_session_id == gs.id)
    )
    if existing is not None:
        raise DomainError(
            f"{volunteer.name} staat al ingepland bij deze bijeenkomst.", "volunteer_id"
        )
    conflicts = shift_conflicts(db_session, volunteer, gs)
    if conflicts and not accept_conflicts:
        return None, conflicts
    shift = Shift(volunteer=volunteer, group_session_id=gs.id, task=task)
    db_session.add(shift)
    db_session.flush()
    detail = f"{TASKS[task]} bij bijeenkomst {gs.id}" + (" (ondanks conflict)" if conflicts else "")
    audit(db_session, actor, "shift", volunteer, detail=detail)
    return shift, conflicts


def remove_shift(db_session: DbSession, actor: User, shift: Shift) -> None:
    """Take her off a meeting."""
    audit(
        db_session,
        actor,
        "shift_removed",
        shift.volunteer,
        detail=f"bijeenkomst {shift.group_session_id}",
    )
    db_session.delete(shift)
    db_session.flush()


def shifts_at(db_session: DbSession, gs: GroupSession) -> list[Shift]:
    """Who is scheduled at ``gs``."""
    return list(
        db_session.scalars(
            sa.select(Shift)
            .where(Shift.group_session_id == gs.id)
            .options(so.joinedload(Shift.volunteer).joinedload(Volunteer.user))
            .order_by(Shift.task, Shift.id)
        )
    )


def shifts_of(
    db_session: DbSession, volunteer: Volunteer, since: datetime | None = None
) -> list[Shift]:
    """Her shifts (from ``since``), with meeting, location and room, in time order."""
    query = (
        sa.select(Shift)
        .join(Shift.group_session)
        .where(Shift.volunteer_id == volunteer.id)
        .options(
            so.contains_eager(Shift.group_session).options(
                so.joinedload(GroupSession.group).options(
                    so.joinedload(Group.location), so.joinedload(Group.room)
                ),
                so.joinedload(GroupSession.room).joinedload(Room.location),
            )
        )
        .order_by(GroupSession.start_dt)
    )
    if since is not None:
        query = query.where(GroupSession.end_dt >= since)
    return list(db_session.scalars(query))


@dataclass
class MeetingNeed:
    """One coming meeting in the coordinator's overview."""

    group_session: GroupSession
    children: dict[str, int]
    needed: int
    childcare_scheduled: int
    shifts: list[Shift]

    @property
    def children_count(self) -> int:
        return sum(self.children.values())

    @property
    def is_short(self) -> bool:
        return self.childcare_scheduled < self.needed


def coming_meetings(
    db_session: DbSession, per_volunteer: int, now: datetime | None = None, limit: int = 60
) -> list[MeetingNeed]:
    """Coming meetings of planned and running groups with children expected and volunteers
    scheduled (a fixed number of queries)."""
    now = now or utcnow()
    sessions = db_session.scalars(
        sa.select(GroupSession)
        .join(GroupSession.group)
        .where(
            GroupSession.end_dt >= now,
            GroupSession.status != SessionStatus.CANCELLED,
            Group.status.in_(("planned", "running")),
        )
        .options(
            so.contains_eager(GroupSession.group).options(
                so.joinedload(Group.location), so.joinedload(Group.room)
            )
        )
        .order_by(GroupSession.start_dt)
        .limit(limit)
    ).all()
    children = expected_children(db_session, {gs.group_id for gs in sessions})
    shifts: dict[int, list[Shift]] = {gs.id: [] for gs in sessions}
    if sessions:
        for shift in db_session.scalars(
            sa.select(Shift)
            .where(Shift.group_session_id.in_(shifts))
            .options(so.joinedload(Shift.volunteer).joinedload(Volunteer.user))
        ):
            shifts[shift.group_session_id].append(shift)
    result = []
    for gs in sessions:
        kids = children.get(gs.group_id, {})
        result.append(
            MeetingNeed(
                group_session=gs,
                children=kids,
                needed=volunteers_needed(sum(kids.values()), per_volunteer),
                childcare_scheduled=sum(1 for s in shifts[gs.id] if s.task == Task.CHILDCARE),
                shifts=shifts[gs.id],
            )
        )
    return result
