"""A case worker's clients: one client's file, the handover, and what facilitators see (her
list of clients is in ``caseload``)."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, GroupStatus, Participant, ParticipantStatus
from veiligthuis.models import DbSession, utcnow
from veiligthuis.sessions.models import Attendance, AttendanceStatus, GroupSession
from veiligthuis.sessions.schedule import today_local
from veiligthuis.sessions.service import has_completed
from veiligthuis.settings import get_setting
from veiligthuis.support.checks import short_date
from veiligthuis.support.models import (
    Referral,
    Signal,
    SupportContact,
    SupportRecord,
)
from veiligthuis.support.signals_service import last_contact_dates

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
