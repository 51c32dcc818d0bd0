"""Double bookings and leave: what clashes with a meeting, found before anything is saved."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, GroupStatus, Room
from veiligthuis.models import DbSession
from veiligthuis.programmes.keep_apart import check_keep_apart
from veiligthuis.sessions.models import GroupSession, SessionStatus
from veiligthuis.sessions.schedule import to_local
from veiligthuis.settings import get_setting
from veiligthuis.wording import day_nl

Slot = tuple[int | None, datetime, datetime]


@dataclass(frozen=True)
class Conflict:
    """Something that clashes with a planned meeting; ``message`` is Dutch."""

    number: int | None
    start_dt: datetime
    message: str


def _other_meetings(
    db_session: DbSession,
    slots: list[Slot],
    facilitator_ids: set[int],
    room_id: int | None,
    exclude_group_id: int | None,
) -> list[GroupSession]:
    """Meetings of other groups in the slots' span that share a facilitator or the room."""
    first = min(start for _n, start, _e in slots)
    last = max(end for _n, _s, end in slots)
    query = (
        sa.select(GroupSession)
        .join(Group)
        .options(so.contains_eager(GroupSession.group), so.selectinload(GroupSession.room))
        .where(
            GroupSession.status != SessionStatus.CANCELLED,
            Group.status != GroupStatus.CANCELLED,
            GroupSession.start_dt < last,
            GroupSession.end_dt > first,
            sa.or_(
                GroupSession.room_id == room_id,
                GroupSession.facilitator_a_id.in_(facilitator_ids),
                GroupSession.facilitator_b_id.in_(facilitator_ids),
                GroupSession.substitute_id.in_(facilitator_ids),
            ),
        )
    )
    if exclude_group_id is not None:
        query = query.where(Group.id != exclude_group_id)
    return list(db_session.scalars(query).unique())


def _booking_messages(
    label: str, other: GroupSession, people: dict[int, User], facilitator_ids, room_id
) -> list[str]:
    messages = [
        f"{label}: {people[user_id].name} leidt dan al groep “{other.group.name}”."
        for user_id in sorted(facilitator_ids & other.leader_ids)
    ]
    if room_id is not None and other.room_id == room_id:
        messages.append(
            f"{label}: ruimte {other.room.name} is dan al bezet door groep “{other.group.name}”."
        )
    return messages


def _leave_messages(label: str, start: datetime, people: dict[int, User], facilitator_ids):
    local_day = to_local(start).date()
    return [
        f"{label}: {user.name} heeft dan verlof ({leave.reason})."
        for user in (people[user_id] for user_id in sorted(facilitator_ids) if user_id in people)
        for leave in user.leaves
        if leave.start_date <= local_day <= leave.end_date
    ]


def refuse_keep_apart(db_session: DbSession, group_id: int, room_id: int, slots) -> None:
    """Refuse these meetings of the group (number, start, end) in this room when they break a
    keep-apart link; the message names no one."""
    room = db_session.get(Room, room_id)
    if room is None:
        return
    check_keep_apart(
        db_session,
        group_id,
        room.location_id,
        [(start, end) for _n, start, end in slots],
        int(get_setting(db_session, "keep_apart_margin_minutes")),
    )


def find_conflicts(
    db_session: DbSession,
    slots: list[Slot],
    *,
    facilitator_ids: set[int],
    room_id: int | None,
    exclude_group_id: int | None = None,
) -> list[Conflict]:
    """Double bookings of these facilitators or this room, and facilitators' leave.

    ``slots`` are (number, start, end) of the meetings to check. Two queries in all, and
    for a saved group (``exclude_group_id``) its keep-apart links, which refuse outright.
    """
    if not slots:
        return []
    if exclude_group_id is not None and room_id is not None:
        refuse_keep_apart(db_session, exclude_group_id, room_id, slots)
    others = _other_meetings(db_session, slots, facilitator_ids, room_id, exclude_group_id)
    people = {
        u.id: u
        for u in db_session.scalars(
            sa.select(User)
            .where(User.id.in_(facilitator_ids))
            .options(so.selectinload(User.leaves))
        )
    }
    conflicts: list[Conflict] = []
    for number, start, end in slots:
        label = f"{f'Bijeenkomst {number}' if number else 'De bijeenkomst'} "
        local = to_local(start)
        label += f"({day_nl(local.date())}, {local:%H:%M})"
        for other in others:
            if other.start_dt < end and other.end_dt > start:
                messages = _booking_messages(label, other, people, facilitator_ids, room_id)
                conflicts.extend(Conflict(number, start, m) for m in messages)
        messages = _leave_messages(label, start, people, facilitator_ids)
        conflicts.extend(Conflict(number, start, m) for m in messages)
    return conflicts
