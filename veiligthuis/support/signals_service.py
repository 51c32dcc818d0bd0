"""Signals for the case worker: the rules that open them, storing them once, seeing and closing.

Signals come from four rules (see ``attendance_occurrences`` and ``no_contact_occurrence``):
two consecutive absences, an absence without notice, no support contact for N weeks while her
group runs, and a facilitator's care signal. A computed signal is stored once per occurrence
(its ``dedupe_key``), so recomputing never opens the same signal twice.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from babel.dates import format_date

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.groups.models import Group, GroupStatus, Participant, ParticipantStatus
from veiligthuis.models import DbSession, DomainError, utcnow
from veiligthuis.sessions.models import Attendance, AttendanceStatus, GroupSession, SessionStatus
from veiligthuis.sessions.schedule import today_local
from veiligthuis.sessions.service import ROSTER_STATUSES
from veiligthuis.settings import get_setting
from veiligthuis.support.checks import INFORMED_MAX, check_date, check_note, meeting_day, short_date
from veiligthuis.support.models import (
    CARE_CATEGORIES,
    Signal,
    SignalStatus,
    SupportContact,
)

#: attendance statuses that count as an absence for "consecutive absences"
ABSENCES = {AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED}
#: computed kinds that lapse by themselves when the attendance behind them is corrected
ATTENDANCE_KINDS = {"consecutive_absence", "absence_without_notice"}
COMPUTED_KINDS = ATTENDANCE_KINDS | {"no_contact"}
LAPSED_NOTE = "Vervallen: de presentie is aangepast."


# --- the signal rules (pure) -----------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One reason for a computed signal; ``key`` identifies it across recomputations."""

    kind: str
    key: str
    group_session_id: int | None
    detail: str


def _run_detail(run: list[GroupSession]) -> str:
    numbers = [gs.number for gs in run]
    if len(run) == 2:
        return f"bijeenkomsten {numbers[0]} en {numbers[1]}"
    return f"bijeenkomsten {numbers[0]} t/m {numbers[-1]}"


def attendance_occurrences(sessions: list[GroupSession], marks: dict[int, str]) -> list[Occurrence]:
    """Absence signals for one participant.

    ``sessions`` are her group's meetings in time order; cancelled ones are left out, so a
    cancelled meeting between two absences does not break "consecutive". ``marks`` maps a
    meeting id to its attendance status; a meeting without a mark ends a run of absences.
    A run of two or more absences (with or without notice) is one occurrence, keyed by the
    run's first meeting; every absence without notice is an occurrence of its own.
    """
    held = [gs for gs in sessions if gs.status != SessionStatus.CANCELLED]
    found: list[Occurrence] = []
    run: list[GroupSession] = []

    def end_run() -> None:
        if len(run) >= 2:
            found.append(
                Occurrence(
                    "consecutive_absence",
                    f"consecutive_absence:{run[0].id}",
                    run[0].id,
                    _run_detail(run),
                )
            )
        run.clear()

    for gs in held:
        status = marks.get(gs.id)
        if status == AttendanceStatus.ABSENT:
            found.append(
                Occurrence(
                    "absence_without_notice",
                    f"absence_without_notice:{gs.id}",
                    gs.id,
                    f"bijeenkomst {gs.number} ({format_date(meeting_day(gs), 'd MMM', locale='nl')})",
                )
            )
        if status in ABSENCES:
            run.append(gs)
        else:
            end_run()
    end_run()
    return found


def no_contact_occurrence(
    participant: Participant,
    sessions: list[GroupSession],
    last_contact: date | None,
    today: date,
    weeks: int,
) -> Occurrence | None:
    """A "no contact" signal when her own case worker logged nothing for ``weeks`` weeks.

    Only while her group runs: status running and today between its first and last meeting.
    The weeks count from her last contact or, when later or missing, from the first meeting;
    that date is the occurrence key, so a new contact starts a new period.
    """
    if (
        weeks <= 0
        or participant.case_worker_id is None
        or participant.status != ParticipantStatus.ACTIVE
    ):
        return None
    if participant.group.status != GroupStatus.RUNNING:
        return None
    held = [gs for gs in sessions if gs.status != SessionStatus.CANCELLED]
    if not held:
        return None
    return no_contact_due(meeting_day(held[0]), meeting_day(held[-1]), last_contact, today, weeks)


def no_contact_due(
    first: date, last: date, last_contact: date | None, today: date, weeks: int
) -> Occurrence | None:
    """The "no contact" occurrence of a running group's active client, from its first and last
    meeting days (the rule of ``no_contact_occurrence`` once she and her group qualify)."""
    if not first <= today <= last:
        return None
    reference = max(first, last_contact) if last_contact else first
    if (today - reference).days < weeks * 7:
        return None
    detail = (
        f"laatste contact {short_date(last_contact, today)}"
        if last_contact
        else "nog geen contact vastgelegd"
    )
    return Occurrence("no_contact", f"no_contact:{reference.isoformat()}", None, detail)


# --- storing signals ---------------------------------------------------------------------------


_LAST_CONTACTS = (
    sa.select(SupportContact.participant_id, sa.func.max(SupportContact.contact_date))
    .where(SupportContact.participant_id.in_(sa.bindparam("ids", expanding=True)))
    .group_by(SupportContact.participant_id)
)


def last_contact_dates(db_session: DbSession, participant_ids: list[int]) -> dict[int, date]:
    """Per participant id, the date of her latest support contact (one query)."""
    if not participant_ids:
        return {}
    rows = db_session.execute(_LAST_CONTACTS, {"ids": participant_ids})
    return {participant_id: last for participant_id, last in rows}


def _computed_signals(db_session: DbSession, participant_ids: list[int], kinds) -> list[Signal]:
    if not participant_ids:
        return []
    return list(
        db_session.scalars(
            sa.select(Signal).where(
                Signal.participant_id.in_(participant_ids), Signal.kind.in_(sorted(kinds))
            )
        )
    )


def _store(
    db_session: DbSession,
    actor: User | None,
    participants: dict[int, Participant],
    wanted: dict[int, list[Occurrence]],
    existing: list[Signal],
    lapse_kinds: set[str],
) -> list[Signal]:
    """Open a signal for every new occurrence; lapse unseen ones whose occurrence is gone."""
    by_key = {(s.participant_id, s.dedupe_key): s for s in existing}
    opened: list[Signal] = []
    for participant_id, occurrences in wanted.items():
        for occurrence in occurrences:
            signal = by_key.get((participant_id, occurrence.key))
            if signal is None:
                signal = Signal(
                    participant_id=participant_id,
                    kind=occurrence.kind,
                    dedupe_key=occurrence.key,
                    group_session_id=occurrence.group_session_id,
                    detail=occurrence.detail,
                    status=SignalStatus.OPEN,
                    opened_dt=utcnow(),
                )
                try:
                    with db_session.begin_nested():
                        db_session.add(signal)
                except sa.exc.IntegrityError:
                    continue  # a simultaneous save opened this very signal first
                opened.append(signal)
                by_key[(participant_id, occurrence.key)] = signal
            elif not signal.is_closed and signal.detail != occurrence.detail:
                signal.detail = occurrence.detail  # a run of absences grew
    wanted_keys = {(pid, o.key) for pid, found in wanted.items() for o in found}
    now = utcnow()
    for signal in existing:
        if (
            signal.kind in lapse_kinds
            and signal.status == SignalStatus.OPEN
            and (signal.participant_id, signal.dedupe_key) not in wanted_keys
        ):
            # Nobody acted on it yet and the attendance behind it was corrected: no ghost signal.
            signal.status = SignalStatus.CLOSED
            signal.closed_dt = now
            signal.closing_note = LAPSED_NOTE
    for signal in opened:
        participant = participants[signal.participant_id]
        audit(
            db_session,
            actor,
            "signal_open",
            participant,
            participant_code=participant.code,
            detail=signal.kind,
        )
    db_session.flush()
    return opened


def refresh_signals(
    db_session: DbSession, actor: User | None, group: Group, today: date | None = None
) -> list[Signal]:
    """Recompute the computed signals of a group's participants; returns the newly opened ones.

    Call it after attendance changed (before the view commits), and daily (``flask support
    refresh-signals``) for the "no contact" rule. A bounded number of queries.
    """
    today = today or today_local()
    weeks = get_setting(db_session, "no_contact_weeks")
    participants = {p.id: p for p in group.participants if p.status in ROSTER_STATUSES}
    if not participants:
        return []
    sessions = group.active_sessions
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    if sessions:
        rows = db_session.execute(
            sa.select(Attendance.participant_id, Attendance.group_session_id, Attendance.status)
            .where(Attendance.group_session_id.in_([gs.id for gs in sessions]))
            .where(Attendance.participant_id.in_(list(participants)))
        )
        for participant_id, session_id, status in rows:
            marks[participant_id][session_id] = status
    last = last_contact_dates(db_session, list(participants))
    wanted: dict[int, list[Occurrence]] = {}
    for participant_id, participant in participants.items():
        found = attendance_occurrences(sessions, marks[participant_id])
        no_contact = no_contact_occurrence(
            participant, sessions, last.get(participant_id), today, weeks
        )
        if no_contact is not None:
            found.append(no_contact)
        wanted[participant_id] = found
    existing = _computed_signals(db_session, list(participants), COMPUTED_KINDS)
    return _store(db_session, actor, participants, wanted, existing, ATTENDANCE_KINDS)


def _no_contact_wanted(
    db_session: DbSession, participants: list[Participant], today: date
) -> dict[int, list[Occurrence]]:
    weeks = get_setting(db_session, "no_contact_weeks")
    last = last_contact_dates(db_session, [p.id for p in participants])
    wanted: dict[int, list[Occurrence]] = {}
    for participant in participants:
        found = no_contact_occurrence(
            participant, participant.group.sessions, last.get(participant.id), today, weeks
        )
        if found is not None:
            wanted[participant.id] = [found]
    return wanted


def stored_signals_of(db_session: DbSession, wanted: dict[int, list]) -> list[Signal]:
    """The signals already stored for exactly these occurrences (participant id -> occurrences).

    Nothing lapses on a "no contact" refresh, so only these occurrences matter: not the earlier
    signals a long-running client has gathered (this runs on page views)."""
    keys = sorted({o.key for found in wanted.values() for o in found})
    return list(
        db_session.scalars(
            sa.select(Signal).where(
                Signal.participant_id.in_(list(wanted)), Signal.dedupe_key.in_(keys)
            )
        )
    )


def refresh_no_contact(
    db_session: DbSession, actor: User | None, participants: list[Participant], today: date
) -> list[Signal]:
    """Open the "no contact" signals due for ``participants`` (their groups' sessions loaded)."""
    wanted = _no_contact_wanted(db_session, participants, today)
    if not wanted:
        return []
    existing = stored_signals_of(db_session, wanted)
    return _store(db_session, actor, {p.id: p for p in participants}, wanted, existing, set())


def refresh_all(db_session: DbSession, today: date | None = None) -> list[Signal]:
    """Recompute the signals of every running group (the daily job); returns the new ones."""
    today = today or today_local()
    groups = db_session.scalars(
        sa.select(Group)
        .where(Group.status == GroupStatus.RUNNING)
        .options(so.selectinload(Group.sessions), so.selectinload(Group.participants))
    ).all()
    opened: list[Signal] = []
    for group in groups:
        opened.extend(refresh_signals(db_session, None, group, today))
    return opened


# --- seeing and closing ---------------------------------------------------------------------


def acknowledge_signal(db_session: DbSession, actor: User, signal: Signal) -> None:
    """She has seen the signal and takes it up."""
    if signal.status != SignalStatus.OPEN:
        raise DomainError("Dit signaal is al gezien of afgesloten.")
    signal.status = SignalStatus.ACKNOWLEDGED
    signal.acknowledged_by_id = actor.id
    signal.acknowledged_dt = utcnow()
    audit(
        db_session,
        actor,
        "signal_acknowledge",
        signal.participant,
        participant_code=signal.participant.code,
        detail=signal.kind,
    )
    db_session.flush()


def close_signal(db_session: DbSession, actor: User, signal: Signal, note: str) -> None:
    """Close a signal with a short note on what was done."""
    if signal.is_closed:
        raise DomainError("Dit signaal is al afgesloten.")
    note = check_note(note, "closing_note", required=True)
    now = utcnow()
    if signal.acknowledged_dt is None:
        signal.acknowledged_by_id, signal.acknowledged_dt = actor.id, now
    signal.status = SignalStatus.CLOSED
    signal.closed_by_id = actor.id
    signal.closed_dt = now
    signal.closing_note = note
    audit(
        db_session,
        actor,
        "signal_close",
        signal.participant,
        participant_code=signal.participant.code,
        detail=signal.kind,
    )
    db_session.flush()


# --- care signals from the meeting page ----------------------------------------------------------


def care_candidates(group: Group) -> list[Participant]:
    """Whom a care signal can be about: the women in the attendance grid."""
    return [p for p in group.participants if p.status in ROSTER_STATUSES]


def file_care_signal(
    db_session: DbSession,
    actor: User,
    gs: GroupSession,
    participant: Participant | None,
    *,
    care_date: date | None,
    category: str,
    informed: str,
    note: str,
    today: date | None = None,
) -> Signal:
    """A facilitator's care signal (zorgsignaal) for the participant's case worker."""
    today = today or today_local()
    group = gs.group
    if participant is None or participant.id not in {p.id for p in care_candidates(group)}:
        raise DomainError("Kies een deelnemer van deze groep.", "participant_id")
    check_date(care_date, "care_date", today)
    if category not in CARE_CATEGORIES:
        raise DomainError("Kies een categorie.", "category")
    informed = (informed or "").strip()
    if len(informed) > INFORMED_MAX:
        raise DomainError(f"Hoogstens {INFORMED_MAX} tekens.", "informed")
    signal = Signal(
        participant_id=participant.id,
        kind="care",
        status=SignalStatus.OPEN,
        dedupe_key=None,
        group_session_id=gs.id,
        detail=f"bijeenkomst {gs.number}",
        opened_dt=utcnow(),
        care_date=care_date,
        category=category,
        informed=informed,
        note=check_note(note, "note", required=True),
        filed_by_id=actor.id,
    )
    db_session.add(signal)
    audit(
        db_session,
        actor,
        "care_signal",
        participant,
        participant_code=participant.code,
        detail=category,
    )
    db_session.flush()
    return signal


def care_signals_for_session(db_session: DbSession, gs: GroupSession) -> list[Signal]:
    """Care signals filed at this meeting, with their participant (for the meeting page)."""
    return list(
        db_session.scalars(
            sa.select(Signal)
            .where(Signal.group_session_id == gs.id, Signal.kind == "care")
            .options(so.joinedload(Signal.participant))
            .order_by(Signal.opened_dt)
        )
    )
