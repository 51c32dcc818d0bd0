"""The groups list: running and planned groups first, finished ones in an archive by year.

Ten years of groups do not fit on one page, and loading each group's meetings and participants
to show three numbers made the page slow: the counts and dates come from one aggregate query.
"""

from dataclasses import dataclass
from datetime import datetime, time
from functools import cache

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.groups.models import (
    Group,
    GroupStatus,
    Location,
    Participant,
    ParticipantStatus,
)
from veiligthuis.groups.visibility import visible_groups_where, visible_scope
from veiligthuis.models import DbSession
from veiligthuis.sessions.models import GroupSession, SessionStatus

CURRENT = (GroupStatus.PLANNED, GroupStatus.RUNNING)
ARCHIVED = (GroupStatus.COMPLETED, GroupStatus.CANCELLED)


@dataclass(frozen=True)
class GroupRow:
    """One line of the list, as plain values: the group, its place and people, and its figures.

    Plain rows rather than groups with their location and facilitators: the list shows a few
    names of each, and building four ORM objects per line was most of what the page cost."""

    id: int
    name: str
    status: str
    location: str
    weekday: int
    start_time: time
    facilitators: str
    active_participants: int
    first_meeting: datetime | None
    last_meeting: datetime | None


_FACILITATOR_A, _FACILITATOR_B = so.aliased(User), so.aliased(User)


def _year():
    return sa.extract("year", Group.first_date)


@cache
def _years_statement(every: bool) -> sa.Select:
    return (
        sa.select(_year().label("year"))
        .where(visible_groups_where(every), Group.status.in_(ARCHIVED))
        .distinct()
        .order_by(sa.desc("year"))
    )


def archive_years(db_session: DbSession, user: User) -> list[int]:
    """The years (of the first meeting) that hold finished or cancelled groups ``user`` sees."""
    every, params = visible_scope(user)
    return [int(year) for year in db_session.scalars(_years_statement(every), params)]


@cache
def _rows_statement(every: bool, archive: bool, one_status: bool) -> sa.Select:
    """Built once per process for each kind of list (its cache key is then worked out once)."""
    meetings = sa.select(GroupSession).where(
        GroupSession.group_id == Group.id, GroupSession.status != SessionStatus.CANCELLED
    )
    active = (
        sa.select(sa.func.count(Participant.id))
        .where(Participant.group_id == Group.id, Participant.status == ParticipantStatus.ACTIVE)
        .scalar_subquery()
    )
    first = meetings.with_only_columns(sa.func.min(GroupSession.start_dt)).scalar_subquery()
    last = meetings.with_only_columns(sa.func.max(GroupSession.start_dt)).scalar_subquery()
    query = (
        sa.select(
            Group.id,
            Group.name,
            Group.status,
            Location.name,
            Group.weekday,
            Group.start_time,
            _FACILITATOR_A.name,
            _FACILITATOR_B.name,
            active,
            first,
            last,
        )
        .join(Location, Group.location_id == Location.id)
        .join(_FACILITATOR_A, Group.facilitator_a_id == _FACILITATOR_A.id)
        .join(_FACILITATOR_B, Group.facilitator_b_id == _FACILITATOR_B.id)
        .where(visible_groups_where(every))
    )
    if archive:
        query = query.where(
            Group.status.in_(ARCHIVED), _year() == sa.bindparam("year", type_=sa.Integer)
        )
    else:
        query = query.where(Group.status.in_(CURRENT))
    if one_status:
        query = query.where(Group.status == sa.bindparam("status", type_=sa.String))
    return query.order_by(Group.first_date.desc(), Group.id)


def group_rows(
    db_session: DbSession, user: User, *, year: int | None = None, status: str = ""
) -> list[GroupRow]:
    """The current groups (``year`` None) or the archive of ``year``, with their figures."""
    every, params = visible_scope(user)
    statement = _rows_statement(every, year is not None, bool(status))
    rows = db_session.execute(statement, {**params, "year": year, "status": status})
    return [
        GroupRow(gid, name, state, place, weekday, start, f"{a}, {b}", count or 0, begin, end)
        for gid, name, state, place, weekday, start, a, b, count, begin, end in rows
    ]


@cache
def _current_statement(every: bool) -> sa.Select:
    return (
        sa.select(Group.id, Group.name, Location.name.label("location"))
        .join(Location, Group.location_id == Location.id)
        .where(visible_groups_where(every), Group.status.in_(CURRENT))
        .order_by(Group.first_date, Group.id)
    )


def current_groups(db_session: DbSession, user: User) -> list[sa.Row]:
    """The planned and running groups ``user`` sees (id, name, location), first one first."""
    every, params = visible_scope(user)
    return list(db_session.execute(_current_statement(every), params))


_NOT_CANCELLED = GroupSession.status != SessionStatus.CANCELLED
#: built once: its cache key is worked out a single time, not on every dashboard
_MEETINGS = (
    sa.select(
        GroupSession.group_id, GroupSession.number, GroupSession.start_dt, GroupSession.end_dt
    )
    .where(GroupSession.group_id.in_(sa.bindparam("group_ids", expanding=True)), _NOT_CANCELLED)
    .order_by(GroupSession.start_dt, GroupSession.id)
)


def meetings_of(db_session: DbSession, group_ids: list[int]) -> dict[int, tuple[sa.Row, ...]]:
    """Per group id its meetings that are not cancelled (number, start, end), first one first,
    in one query. The dashboard picks the next one by the clock (:func:`next_meeting`), so what
    is read here stays true while time passes and can be kept until the data changes."""
    found: dict[int, list[sa.Row]] = {}
    if group_ids:
        for row in db_session.execute(_MEETINGS, {"group_ids": group_ids}):
            found.setdefault(row.group_id, []).append(row)
    return {group_id: tuple(rows) for group_id, rows in found.items()}


def next_meeting(meetings: tuple[sa.Row, ...], now: datetime) -> sa.Row | None:
    """The first of ``meetings`` that is not over at ``now``."""
    return next((meeting for meeting in meetings if meeting.end_dt >= now), None)
