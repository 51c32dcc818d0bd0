"""The groups list: running and planned groups first, finished ones in an archive by year.

Ten years of groups do not fit on one page, and loading each group's meetings and participants
to show three numbers made the page slow: the counts and dates come from one aggregate query.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, GroupStatus, Participant, ParticipantStatus
from veiligthuis.groups.service import visible_groups_query
from veiligthuis.models import DbSession
from veiligthuis.sessions.models import GroupSession, SessionStatus

CURRENT = (GroupStatus.PLANNED, GroupStatus.RUNNING)
ARCHIVED = (GroupStatus.COMPLETED, GroupStatus.CANCELLED)


@dataclass(frozen=True)
class GroupRow:
    """One line of the list: the group and the figures shown beside it."""

    group: Group
    active_participants: int
    first_meeting: datetime | None
    last_meeting: datetime | None


def _year():
    return sa.extract("year", Group.first_date)


def archive_years(db_session: DbSession, user: User) -> list[int]:
    """The years (of the first meeting) that hold finished or cancelled groups ``user`` sees."""
    query = (
        visible_groups_query(user)
        .where(Group.status.in_(ARCHIVED))
        .with_only_columns(_year().label("year"))
        .distinct()
        .order_by(sa.desc("year"))
    )
    return [int(year) for year in db_session.scalars(query)]


def group_rows(
    db_session: DbSession, user: User, *, year: int | None = None, status: str = ""
) -> list[GroupRow]:
    """The current groups (``year`` None) or the archive of ``year``, with their figures."""
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
        visible_groups_query(user)
        .add_columns(active, first, last)
        .options(
            so.joinedload(Group.location),
            # shown by name: their roles would be two more queries
            so.joinedload(Group.facilitator_a).lazyload(User.role_rows),
            so.joinedload(Group.facilitator_b).lazyload(User.role_rows),
        )
    )
    if year is None:
        query = query.where(Group.status.in_(CURRENT))
    else:
        query = query.where(Group.status.in_(ARCHIVED), _year() == year)
    if status:
        query = query.where(Group.status == status)
    rows = db_session.execute(query.order_by(Group.first_date.desc(), Group.id))
    return [GroupRow(group, count or 0, start, end) for group, count, start, end in rows]


def current_groups(db_session: DbSession, user: User) -> list[Group]:
    """The planned and running groups ``user`` sees, with their place, first one first."""
    query = (
        visible_groups_query(user)
        .where(Group.status.in_(CURRENT))
        .options(so.joinedload(Group.location))
        .order_by(Group.first_date)
    )
    return list(db_session.scalars(query))


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
