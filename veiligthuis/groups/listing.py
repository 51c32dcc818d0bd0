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
_FIRST_NOT_OVER = (
    sa.select(GroupSession.group_id, sa.func.min(GroupSession.start_dt).label("start_dt"))
    .where(
        GroupSession.group_id.in_(sa.bindparam("group_ids", expanding=True)),
        _NOT_CANCELLED,
        GroupSession.end_dt >= sa.bindparam("now"),
    )
    .group_by(GroupSession.group_id)
    .subquery()
)
#: built once: its cache key is worked out a single time, not on every dashboard
_NEXT_MEETINGS = (
    sa.select(GroupSession.group_id, GroupSession.number, GroupSession.start_dt)
    .join(
        _FIRST_NOT_OVER,
        sa.and_(
            GroupSession.group_id == _FIRST_NOT_OVER.c.group_id,
            GroupSession.start_dt == _FIRST_NOT_OVER.c.start_dt,
        ),
    )
    .where(_NOT_CANCELLED)
)


def next_meetings(db_session: DbSession, group_ids: list[int], now: datetime) -> dict:
    """Per group id, its next meeting not yet over (not cancelled) as a row of its number and
    start, in one query: the dashboard shows only that one, not every meeting of every group."""
    if not group_ids:
        return {}
    rows = db_session.execute(_NEXT_MEETINGS, {"group_ids": group_ids, "now": now})
    return {row.group_id: row for row in rows}
