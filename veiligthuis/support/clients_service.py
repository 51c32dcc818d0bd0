"""A case worker's clients: her page, one client's file, the handover, and what facilitators see."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, GroupStatus, Participant, ParticipantStatus
from veiligthuis.models import DbSession, utcnow
from veiligthuis.programmes.service import participants_in_her_programmes
from veiligthuis.sessions.models import Attendance, AttendanceStatus, GroupSession, SessionStatus
from veiligthuis.sessions.schedule import today_local
from veiligthuis.sessions.service import has_completed
from veiligthuis.settings import get_setting
from veiligthuis.support.checks import short_date
from veiligthuis.support.models import (
    Referral,
    Signal,
    SignalStatus,
    SupportContact,
    SupportRecord,
)
from veiligthuis.support.signals_service import last_contact_dates

CURRENT_GROUP_STATUSES = (GroupStatus.PLANNED, GroupStatus.RUNNING)
#: a completed group stays on the case worker's page this long after its last meeting
RECENT_WEEKS = 12


# --- what facilitators may see -----------------------------------------------------------------


@dataclass(frozen=True)
class SupportStatus:
    """Whether individual support is active and when the last contact was; never a note."""

    is_active: bool
    last_contact_date: date | None
    label: str


def support_overview(
    db_session: DbSession, participants: list[Participant], today: date | None = None
) -> dict[int, SupportStatus]:
    """Per participant id, her support status for the facilitators' list (two queries)."""
    today = today or today_local()
    participants = list(participants)
    if not participants:
        return {}
    weeks = max(get_setting(db_session, "no_contact_weeks"), 1)
    last = last_contact_dates(db_session, [p.id for p in participants])
    result: dict[int, SupportStatus] = {}
    for participant in participants:
        contact = last.get(participant.id)
        if participant.case_worker_id is None:
            label = (
                "via externe hulpverlener"
                if participant.external_case_worker_name
                else "geen hulpverlener"
            )
            result[participant.id] = SupportStatus(False, None, label)
        elif contact is None:
            result[participant.id] = SupportStatus(False, None, "geen contact vastgelegd")
        elif (today - contact).days <= weeks * 7:
            label = f"actief, laatste contact {short_date(contact, today)}"
            result[participant.id] = SupportStatus(True, contact, label)
        else:
            label = f"geen recent contact, laatste {short_date(contact, today)}"
            result[participant.id] = SupportStatus(False, contact, label)
    return result


# --- the case worker's clients -----------------------------------------------------------------


def is_own_client(user: User, participant: Participant) -> bool:
    """Whether she is this participant's (internal) case worker."""
    return user.has_role("case_worker") and participant.case_worker_id == user.id


@dataclass
class ClientRow:
    """One line on the case worker's page."""

    participant: Participant
    held: int
    present: int
    excused: int
    absent: int
    last_contact: date | None
    record: SupportRecord | None
    signals: list[Signal] = field(default_factory=list)


def _attendance_counts(db_session: DbSession, ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not ids:
        return counts
    rows = db_session.execute(
        sa.select(Attendance.participant_id, Attendance.status, sa.func.count())
        .join(GroupSession, Attendance.group_session_id == GroupSession.id)
        .where(Attendance.participant_id.in_(ids), GroupSession.status != SessionStatus.CANCELLED)
        .group_by(Attendance.participant_id, Attendance.status)
    )
    for participant_id, status, count in rows:
        counts[participant_id][status] = count
    return counts


def _held_meetings(db_session: DbSession, group_ids: set[int]) -> dict[int, int]:
    """Per group, how many of its meetings (not cancelled) have started."""
    if not group_ids:
        return {}
    rows = db_session.execute(
        sa.select(GroupSession.group_id, sa.func.count())
        .where(
            GroupSession.group_id.in_(sorted(group_ids)),
            GroupSession.status != SessionStatus.CANCELLED,
            GroupSession.start_dt <= utcnow(),
        )
        .group_by(GroupSession.group_id)
    )
    return {group_id: count for group_id, count in rows}


def _records(db_session: DbSession, ids: list[int]) -> dict[int, SupportRecord]:
    if not ids:
        return {}
    return {
        r.participant_id: r
        for r in db_session.scalars(
            sa.select(SupportRecord).where(SupportRecord.participant_id.in_(ids))
        )
    }


#: clients on one page of her list: at ten years a case worker can have a hundred current ones
CLIENTS_PER_PAGE = 25


def current_clients(
    db_session: DbSession, user: User, today: date, page: int = 1
) -> tuple[list[Participant], int]:
    """One page of her clients in planned or running groups and in groups completed recently
    (handover), and the number of pages."""
    since = datetime.combine(today - timedelta(weeks=RECENT_WEEKS), time(0), tzinfo=UTC)
    # its last meeting ended since then: one such meeting suffices (no aggregate over all)
    recent_meeting = sa.exists().where(
        GroupSession.group_id == Group.id,
        GroupSession.status != SessionStatus.CANCELLED,
        GroupSession.end_dt >= since,
    )
    query = (
        sa.select(Participant)
        .join(Group, Participant.group_id == Group.id)
        .where(
            Participant.case_worker_id == user.id,
            participants_in_her_programmes(user),
            sa.or_(
                Group.status.in_(CURRENT_GROUP_STATUSES),
                sa.and_(Group.status == GroupStatus.COMPLETED, recent_meeting),
            ),
        )
    )
    total = db_session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // CLIENTS_PER_PAGE))
    page = min(max(page, 1), pages)
    query = (
        query.options(so.contains_eager(Participant.group).joinedload(Group.location))
        .order_by(Group.first_date, Group.id, Participant.alias, Participant.id)
        .limit(CLIENTS_PER_PAGE)
        .offset((page - 1) * CLIENTS_PER_PAGE)
    )
    return list(db_session.scalars(query).unique()), pages


def open_signals_for(db_session: DbSession, user: User) -> list[Signal]:
    """Her clients' signals that are not closed, newest first, with their participant."""
    return list(
        db_session.scalars(
            sa.select(Signal)
            .join(Participant, Signal.participant_id == Participant.id)
            .where(
                Participant.case_worker_id == user.id,
                participants_in_her_programmes(user),
                Signal.status != SignalStatus.CLOSED,
            )
            .options(
                so.contains_eager(Signal.participant).joinedload(Participant.group),
                so.joinedload(Signal.group_session),
            )
            .order_by(Signal.opened_dt.desc(), Signal.id.desc())
        ).unique()
    )


def client_rows(
    db_session: DbSession, clients: list[Participant], signals: list[Signal]
) -> list[ClientRow]:
    """The lines of her page: attendance so far, last contact, safety plan, open signals."""
    ids = [p.id for p in clients]
    held_by_group = _held_meetings(db_session, {p.group_id for p in clients})
    counts = _attendance_counts(db_session, ids)
    last = last_contact_dates(db_session, ids)
    records = _records(db_session, ids)
    by_participant: dict[int, list[Signal]] = defaultdict(list)
    for signal in signals:
        by_participant[signal.participant_id].append(signal)
    rows = []
    for participant in clients:
        held = held_by_group.get(participant.group_id, 0)
        count = counts[participant.id]
        rows.append(
            ClientRow(
                participant=participant,
                held=held,
                present=count[AttendanceStatus.PRESENT],
                excused=count[AttendanceStatus.EXCUSED],
                absent=count[AttendanceStatus.ABSENT],
                last_contact=last.get(participant.id),
                record=records.get(participant.id),
                signals=by_participant[participant.id],
            )
        )
    return rows


def load_client(db_session: DbSession, participant_id: int) -> Participant | None:
    """A participant with her group, its meetings and people, for the client page."""
    return db_session.scalar(
        sa.select(Participant)
        .where(Participant.id == participant_id)
        .options(
            so.joinedload(Participant.group).options(
                so.joinedload(Group.location),
                so.joinedload(Group.facilitator_a),
                so.joinedload(Group.facilitator_b),
                so.selectinload(Group.sessions),
            )
        )
    )


@dataclass
class ClientFile:
    """Everything on the client page."""

    participant: Participant
    marks: dict[int, str]
    contacts: list[SupportContact]
    record: SupportRecord | None
    referrals: list[Referral]
    signals: list[Signal]


def client_file(db_session: DbSession, participant: Participant) -> ClientFile:
    """Her attendance per meeting, contacts, safety-plan status, referrals and signals."""
    marks = {
        a.group_session_id: a.status
        for a in db_session.scalars(
            sa.select(Attendance).where(Attendance.participant_id == participant.id)
        )
    }
    contacts = db_session.scalars(
        sa.select(SupportContact)
        .where(SupportContact.participant_id == participant.id)
        .options(so.joinedload(SupportContact.case_worker))
        .order_by(SupportContact.contact_date.desc(), SupportContact.id.desc())
    ).all()
    referrals = db_session.scalars(
        sa.select(Referral)
        .where(Referral.participant_id == participant.id)
        .options(so.joinedload(Referral.target))
        .order_by(Referral.referral_date.desc(), Referral.id.desc())
    ).all()
    signals = db_session.scalars(
        sa.select(Signal)
        .where(Signal.participant_id == participant.id)
        .options(
            so.joinedload(Signal.group_session),
            so.joinedload(Signal.filed_by),
            so.joinedload(Signal.acknowledged_by),
            so.joinedload(Signal.closed_by),
        )
        .order_by(Signal.opened_dt.desc(), Signal.id.desc())
    ).all()
    return ClientFile(
        participant=participant,
        marks=marks,
        contacts=list(contacts),
        record=db_session.get(SupportRecord, participant.id),
        referrals=list(referrals),
        signals=list(signals),
    )


# --- handover ------------------------------------------------------------------------------------


@dataclass
class Handover:
    """The summary for her case worker at the end of a group."""

    participant: Participant
    group: Group
    meetings: list[tuple[GroupSession, str | None]]
    present: int
    excused: int
    absent: int
    threshold: int
    has_completed: bool
    care_signals: list[Signal]
    is_evaluation_shared: bool
    is_final: bool
    made_dt: datetime


def handover(db_session: DbSession, participant: Participant) -> Handover:
    """Attendance, completion, the facilitators' care signals and her evaluation consent."""
    group = participant.group
    threshold = get_setting(db_session, "completion_threshold")
    file = client_file(db_session, participant)
    meetings = [(gs, file.marks.get(gs.id)) for gs in group.active_sessions]
    statuses = [status for _gs, status in meetings]
    present = statuses.count(AttendanceStatus.PRESENT)
    return Handover(
        participant=participant,
        group=group,
        meetings=meetings,
        present=present,
        excused=statuses.count(AttendanceStatus.EXCUSED),
        absent=statuses.count(AttendanceStatus.ABSENT),
        threshold=threshold,
        has_completed=has_completed(participant, present, threshold),
        care_signals=sorted(
            (s for s in file.signals if s.kind == "care"), key=lambda s: (s.care_date, s.id)
        ),
        is_evaluation_shared=bool(file.record and file.record.is_evaluation_shared),
        is_final=group.status in (GroupStatus.COMPLETED, GroupStatus.CANCELLED)
        or participant.status in (ParticipantStatus.COMPLETED, ParticipantStatus.DROPPED_OUT),
        made_dt=utcnow(),
    )
