"""The case worker's page: her current caseload a page at a time, her archive by year, and her
clients' open signals.

Her caseload is the women in her planned and running groups and in groups completed in the last
``RECENT_WEEKS`` weeks (their handover). Women whose groups ended longer ago, or were cancelled,
are in the archive, by the year of the group's first meeting, as on ``/groepen``; after the
retention period they are anonymised and leave the archive too.

Each page is one query of plain rows: attendance, last contact and safety plan come from
correlated subqueries on the rows shown, and the number of pages from a window count, so the
page costs the same with ten clients or ten years of them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import sqlalchemy as sa

from veiligthuis import changes
from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, GroupStatus, Participant
from veiligthuis.models import DbSession, utcnow
from veiligthuis.programmes.models import memberships
from veiligthuis.sessions.models import Attendance, AttendanceStatus, GroupSession, SessionStatus
from veiligthuis.support.models import (
    Signal,
    SignalLabels,
    SignalStatus,
    SupportContact,
    SupportRecord,
)

CURRENT_GROUP_STATUSES = (GroupStatus.PLANNED, GroupStatus.RUNNING)
ARCHIVED_GROUP_STATUSES = (GroupStatus.COMPLETED, GroupStatus.CANCELLED)
#: a completed group stays on the case worker's page this long after its last meeting
RECENT_WEEKS = 12
NOT_CLOSED = (SignalStatus.OPEN, SignalStatus.ACKNOWLEDGED)
#: clients on one page of her list: at ten years a case worker can have a hundred current ones
CLIENTS_PER_PAGE = 25
#: a meeting lasts at most 480 minutes, so one that ended after a moment began within a day of it
LONGEST_MEETING = timedelta(days=1)


@dataclass(frozen=True)
class ClientRow:
    """One line of her list (``id`` and ``code`` are what the audit entry records)."""

    id: int
    code: str
    alias: str
    status: str
    group_name: str
    group_status: str
    held: int
    present: int
    excused: int
    absent: int
    last_contact: date | None
    has_safety_plan: bool
    plan_reviewed_date: date | None
    open_signals: int = 0


@dataclass(frozen=True)
class ClientPage:
    """One page of her current caseload or of one archive year."""

    rows: list[ClientRow]
    page: int
    pages: int


@dataclass(frozen=True)
class OpenSignal(SignalLabels):
    """A signal that is not closed, with her client's alias and code (for the list at the top)."""

    id: int
    participant_id: int
    alias: str
    code: str
    kind: str
    status: str
    category: str | None
    detail: str
    opened_dt: datetime


# The statements are built once (per kind of scope) and take her id, programmes and dates as
# parameters: building and keying a statement with five subqueries costs more Python time than
# the database needs to run it.


def her_scope(user: User) -> tuple[bool, dict]:
    """Whether she sees every programme, and the parameters that select her clients."""
    # The rule of ``visible_programme_ids``; her programmes are then read by the statement
    # itself instead of being loaded first.
    return user.has_role("coordinator"), {"user_id": user.id}


def her_clients_where(every_programme: bool) -> sa.ColumnElement[bool]:
    """Her own clients (``:user_id``), in groups of the programmes she works in; the statement
    joins ``Group`` on the participant's group."""
    user_id: sa.BindParameter[int] = sa.bindparam("user_id")
    own = Participant.case_worker_id == user_id
    if every_programme:
        return own
    # on the joined group, so it is checked once per row and not as a join of its own
    hers = sa.select(memberships.c.programme_id).where(memberships.c.user_id == user_id)
    return sa.and_(own, Group.programme_id.in_(hers))


@cache
def _current_groups_statement() -> sa.Select:
    recently_held = sa.select(GroupSession.group_id).where(
        GroupSession.status != SessionStatus.CANCELLED,
        # the bound on start_dt lets the index find the few recent meetings
        GroupSession.start_dt >= sa.bindparam("since_start", type_=GroupSession.start_dt.type),
        GroupSession.end_dt >= sa.bindparam("since", type_=GroupSession.end_dt.type),
    )
    return sa.select(Group.id).where(
        sa.or_(
            Group.status.in_(CURRENT_GROUP_STATUSES),
            sa.and_(Group.status == GroupStatus.COMPLETED, Group.id.in_(recently_held)),
        )
    )


def current_group_ids(db_session: DbSession, today: date) -> tuple[int, ...]:
    """The planned and running groups, and the completed ones whose last meeting ended in the
    last ``RECENT_WEEKS`` weeks (a few dozen, whatever the years behind them).

    The same for every case worker on a day: worked out once and kept until anything changes
    (``veiligthuis.changes``)."""
    # Asked apart and handed to the page as a list: as a subquery of the page, a planner without
    # fresh statistics ran it again for each of her clients of ten years.
    since = datetime.combine(today - timedelta(weeks=RECENT_WEEKS), time(0), tzinfo=UTC)

    def work_out() -> tuple[int, ...]:
        params = {"since": since, "since_start": since - LONGEST_MEETING}
        return tuple(db_session.scalars(_current_groups_statement(), params))

    return changes.cached(db_session, "current_groups", today, work_out)


def _year():
    return sa.extract("year", Group.first_date)


def _in_archive() -> sa.ColumnElement[bool]:
    """Her clients in finished or cancelled groups of ``:year``, not yet anonymised."""
    return sa.and_(
        Group.status.in_(ARCHIVED_GROUP_STATUSES),
        _year() == sa.bindparam("year", type_=sa.Integer),
        Participant.anonymised_dt.is_(None),
    )


@cache
def _years_statement(every_programme: bool) -> sa.Select:
    return (
        sa.select(_year().label("year"))
        .select_from(Participant)
        .join(Group, Participant.group_id == Group.id)
        .where(
            her_clients_where(every_programme),
            Group.status.in_(ARCHIVED_GROUP_STATUSES),
            Participant.anonymised_dt.is_(None),
        )
        .distinct()
        .order_by(sa.desc("year"))
    )


def archive_years(db_session: DbSession, user: User) -> list[int]:
    """The years (of the group's first meeting) of her clients whose groups are over, newest
    first; anonymised women are left out."""
    every_programme, params = her_scope(user)
    return [int(year) for year in db_session.scalars(_years_statement(every_programme), params)]


def last_contact_subquery():
    """The date of each participant's last support contact, correlated on ``Participant.id``."""
    return (
        sa.select(sa.func.max(SupportContact.contact_date))
        .where(SupportContact.participant_id == Participant.id)
        .scalar_subquery()
    )


def _figures() -> list:
    """Per client row: held meetings of her group (started by ``:now``), her marks and her
    last contact (correlated subqueries)."""
    held = (
        sa.select(sa.func.count())
        .where(
            GroupSession.group_id == Group.id,
            GroupSession.status != SessionStatus.CANCELLED,
            GroupSession.start_dt <= sa.bindparam("now", type_=GroupSession.start_dt.type),
        )
        .scalar_subquery()
    )

    def marks(status: str):
        return (
            sa.select(sa.func.count())
            .select_from(Attendance)
            .join(GroupSession, Attendance.group_session_id == GroupSession.id)
            .where(
                Attendance.participant_id == Participant.id,
                Attendance.status == status,
                GroupSession.status != SessionStatus.CANCELLED,
            )
            .scalar_subquery()
        )

    last_contact = last_contact_subquery()
    return [
        held,
        marks(AttendanceStatus.PRESENT),
        marks(AttendanceStatus.EXCUSED),
        marks(AttendanceStatus.ABSENT),
        last_contact,
    ]


def _client_row(row: sa.Row, open_signals: int) -> ClientRow:
    (pid, code, alias, status, group_name, group_status, *figures, plan, reviewed, _total) = row
    held, present, excused, absent, last_contact = figures
    return ClientRow(
        pid,
        code,
        alias,
        status,
        group_name,
        group_status,
        held,
        present,
        excused,
        absent,
        last_contact,
        bool(plan),
        reviewed,
        open_signals,
    )


@cache
def _page_statement(every_programme: bool, archive: bool) -> sa.Select:
    return (
        sa.select(
            Participant.id,
            Participant.code,
            Participant.alias,
            Participant.status,
            Group.name,
            Group.status,
            *_figures(),
            SupportRecord.has_safety_plan,
            SupportRecord.safety_plan_reviewed_date,
            sa.func.count().over().label("total"),
        )
        .select_from(Participant)
        .join(Group, Participant.group_id == Group.id)
        .outerjoin(SupportRecord, SupportRecord.participant_id == Participant.id)
        .where(
            her_clients_where(every_programme),
            _in_archive()
            if archive
            else Participant.group_id.in_(sa.bindparam("group_ids", expanding=True)),
        )
        .order_by(Group.first_date, Group.id, Participant.alias, Participant.id)
        .limit(CLIENTS_PER_PAGE)
        .offset(sa.bindparam("offset", type_=sa.Integer))
    )


def client_page(
    db_session: DbSession,
    user: User,
    today: date,
    page: int = 1,
    *,
    year: int | None = None,
    signals: Sequence[OpenSignal] = (),
    now: datetime | None = None,
) -> ClientPage:
    """One page of her current caseload (``year`` None) or of her archive of ``year``, with the
    number of her open (not yet seen) signals per client from ``signals``; the meetings held
    are those started by ``now``."""
    every_programme, params = her_scope(user)
    params.update(now=now or utcnow(), year=year)
    if year is None:
        params["group_ids"] = current_group_ids(db_session, today)
    statement = _page_statement(every_programme, year is not None)
    page = max(page, 1)
    rows = db_session.execute(statement, {**params, "offset": (page - 1) * CLIENTS_PER_PAGE}).all()
    if not rows and page > 1:
        # Past the last page (an old link): the first page tells how many there are.
        first = db_session.execute(statement, {**params, "offset": 0}).first()
        page = max(1, -(-(first.total if first else 0) // CLIENTS_PER_PAGE))
        rows = db_session.execute(
            statement, {**params, "offset": (page - 1) * CLIENTS_PER_PAGE}
        ).all()
    total = rows[0].total if rows else 0
    opened: dict[int, int] = {}
    for signal in signals:
        if signal.status == SignalStatus.OPEN:
            opened[signal.participant_id] = opened.get(signal.participant_id, 0) + 1
    return ClientPage(
        rows=[_client_row(row, opened.get(row[0], 0)) for row in rows],
        page=page,
        pages=max(1, -(-total // CLIENTS_PER_PAGE)),
    )


_NOW = sa.bindparam("now", type_=GroupSession.start_dt.type)
#: the latest start by ``now`` and the first after it (two looks in the index)
_STARTS_AROUND = sa.select(
    sa.select(sa.func.max(GroupSession.start_dt))
    .where(GroupSession.start_dt <= _NOW)
    .scalar_subquery(),
    sa.select(sa.func.min(GroupSession.start_dt))
    .where(GroupSession.start_dt > _NOW)
    .scalar_subquery(),
)


def last_meeting_start(db_session: DbSession, now: datetime) -> datetime | None:
    """When the latest meeting of any group that has started by ``now`` started: it changes
    exactly when a meeting starts, so with the data version it tells when her list's "held so
    far" may have changed.

    Kept until anything changes, with the next start after it: until that next meeting begins
    it is still the answer, and nothing is read. From then on, or for a ``now`` before the one
    it was worked out for, it is read again."""

    def read() -> tuple[datetime, datetime | None, datetime | None]:
        last, following = db_session.execute(_STARTS_AROUND, {"now": now}).one()
        return now, last, following

    asked, last, following = changes.cached(db_session, "meeting starts", None, read)
    if asked <= now and (following is None or now < following):
        return last
    return read()[1]


@cache
def _signals_statement(every_programme: bool) -> sa.Select:
    return (
        sa.select(
            Signal.id,
            Signal.participant_id,
            Participant.alias,
            Participant.code,
            Signal.kind,
            Signal.status,
            Signal.category,
            Signal.detail,
            Signal.opened_dt,
        )
        .join(Participant, Signal.participant_id == Participant.id)
        .join(Group, Participant.group_id == Group.id)
        # not "!= closed": the open and seen ones are few, and the status index finds them
        .where(her_clients_where(every_programme), Signal.status.in_(NOT_CLOSED))
        .order_by(Signal.opened_dt.desc(), Signal.id.desc())
    )


def open_signals(db_session: DbSession, user: User) -> tuple[OpenSignal, ...]:
    """Her clients' signals that are not closed, newest first (plain rows, one query).

    Kept until anything changes (``veiligthuis.changes``): a new, seen or closed signal is a
    change, and shows at once."""
    every_programme, params = her_scope(user)

    def work_out() -> tuple[OpenSignal, ...]:
        rows = db_session.execute(_signals_statement(every_programme), params)
        return tuple(OpenSignal(*row) for row in rows)

    return changes.cached(db_session, "open_signals", user.id, work_out)
