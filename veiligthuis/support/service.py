"""Individual support: a case worker's clients, contacts, referrals, signals and the handover.

Signals come from four rules (see ``attendance_occurrences`` and ``no_contact_occurrence``):
two consecutive absences, an absence without notice, no support contact for N weeks while her
group runs, and a facilitator's care signal. A computed signal is stored once per occurrence
(its ``dedupe_key``), so recomputing never opens the same signal twice.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from babel.dates import format_date

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.groups.models import Group, Participant
from veiligthuis.models import DomainError, utcnow
from veiligthuis.sessions.models import Attendance, GroupSession
from veiligthuis.sessions.schedule import to_local, today_local
from veiligthuis.sessions.service import is_completed
from veiligthuis.settings import get_setting
from veiligthuis.support.models import (
    CARE_CATEGORIES,
    CONTACT_KINDS,
    NOTE_MAX,
    Referral,
    ReferralTarget,
    Signal,
    SupportContact,
    SupportMailPreference,
    SupportRecord,
)

#: attendance statuses that count as an absence for "consecutive absences"
ABSENCES = {"absent", "excused"}
#: computed kinds that lapse by themselves when the attendance behind them is corrected
ATTENDANCE_KINDS = {"consecutive_absence", "absence_without_notice"}
COMPUTED_KINDS = ATTENDANCE_KINDS | {"no_contact"}
#: participants who appear in the attendance grid (see sessions.service.attendance_roster)
ROSTER_STATUSES = {"active", "completed", "dropped_out"}
CURRENT_GROUP_STATUSES = ("planned", "running")
#: a completed group stays on the case worker's page this long after its last meeting
RECENT_WEEKS = 12
MAX_MINUTES = 600
INFORMED_MAX = 250
LAPSED_NOTE = "Vervallen: de presentie is aangepast."

DEFAULT_REFERRAL_TARGETS = (
    "Veilig Thuis",
    "Vrouwenopvang",
    "Huisarts",
    "Wijkteam",
    "GGZ",
    "Slachtofferhulp Nederland",
    "Juridisch Loket / advocaat",
    "Schuldhulpverlening",
    "Politie (aangifte of advies)",
    "Jeugdhulp / CJG",
)


def short_date(day: date, today: date | None = None) -> str:
    """'12 nov', with the year when it is not this year."""
    today = today or today_local()
    return format_date(day, "d MMM" if day.year == today.year else "d MMM y", locale="nl")


def _meeting_day(gs: GroupSession) -> date:
    return to_local(gs.start_dt).date()


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
    held = [gs for gs in sessions if gs.status != "cancelled"]
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
        if status == "absent":
            found.append(
                Occurrence(
                    "absence_without_notice",
                    f"absence_without_notice:{gs.id}",
                    gs.id,
                    f"bijeenkomst {gs.number} ({format_date(_meeting_day(gs), 'd MMM', locale='nl')})",
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
    if weeks <= 0 or participant.case_worker_id is None or participant.status != "active":
        return None
    if participant.group.status != "running":
        return None
    held = [gs for gs in sessions if gs.status != "cancelled"]
    if not held:
        return None
    first, last = _meeting_day(held[0]), _meeting_day(held[-1])
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


def last_contact_dates(db_session: so.Session, participant_ids: list[int]) -> dict[int, date]:
    """Per participant id, the date of her latest support contact (one query)."""
    if not participant_ids:
        return {}
    rows = db_session.execute(
        sa.select(SupportContact.participant_id, sa.func.max(SupportContact.contact_date))
        .where(SupportContact.participant_id.in_(participant_ids))
        .group_by(SupportContact.participant_id)
    )
    return {participant_id: last for participant_id, last in rows}


def _computed_signals(db_session: so.Session, participant_ids: list[int], kinds) -> list[Signal]:
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
    db_session: so.Session,
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
                    status="open",
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
            and signal.status == "open"
            and (signal.participant_id, signal.dedupe_key) not in wanted_keys
        ):
            # Nobody acted on it yet and the attendance behind it was corrected: no ghost signal.
            signal.status = "closed"
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
    db_session: so.Session, actor: User | None, group: Group, today: date | None = None
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
    db_session: so.Session, participants: list[Participant], today: date
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


def refresh_no_contact(
    db_session: so.Session, actor: User | None, participants: list[Participant], today: date
) -> list[Signal]:
    """Open the "no contact" signals due for ``participants`` (their groups' sessions loaded)."""
    wanted = _no_contact_wanted(db_session, participants, today)
    if not wanted:
        return []
    existing = _computed_signals(db_session, list(wanted), {"no_contact"})
    return _store(db_session, actor, {p.id: p for p in participants}, wanted, existing, set())


def refresh_all(db_session: so.Session, today: date | None = None) -> list[Signal]:
    """Recompute the signals of every running group (the daily job); returns the new ones."""
    today = today or today_local()
    groups = db_session.scalars(
        sa.select(Group)
        .where(Group.status == "running")
        .options(so.selectinload(Group.sessions), so.selectinload(Group.participants))
    ).all()
    opened: list[Signal] = []
    for group in groups:
        opened.extend(refresh_signals(db_session, None, group, today))
    return opened


def _clients_in_running_groups(db_session: so.Session, user: User) -> list[Participant]:
    return list(
        db_session.scalars(
            sa.select(Participant)
            .join(Group)
            .where(
                Participant.case_worker_id == user.id,
                Participant.status == "active",
                Group.status == "running",
            )
            .options(so.contains_eager(Participant.group).selectinload(Group.sessions))
        ).unique()
    )


def open_signal_count(db_session: so.Session, user: User, today: date | None = None) -> int:
    """Open (not yet seen) signals of her clients, counting "no contact" signals now due.

    Writes nothing: the dashboard does not commit; her support page stores the due ones.
    """
    if not user.has_role("case_worker"):
        return 0
    stored = db_session.scalar(
        sa.select(sa.func.count())
        .select_from(Signal)
        .join(Participant, Signal.participant_id == Participant.id)
        .where(Participant.case_worker_id == user.id, Signal.status == "open")
    )
    clients = _clients_in_running_groups(db_session, user)
    wanted = _no_contact_wanted(db_session, clients, today or today_local())
    if wanted:
        known = {
            (s.participant_id, s.dedupe_key)
            for s in _computed_signals(db_session, list(wanted), {"no_contact"})
        }
        stored += sum(
            1 for pid, found in wanted.items() for o in found if (pid, o.key) not in known
        )
    return stored


# --- what facilitators may see -----------------------------------------------------------------


@dataclass(frozen=True)
class SupportStatus:
    """Whether individual support is active and when the last contact was; never a note."""

    is_active: bool
    last_contact_date: date | None
    label: str


def support_overview(
    db_session: so.Session, participants: list[Participant], today: date | None = None
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


def _attendance_counts(db_session: so.Session, ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not ids:
        return counts
    rows = db_session.execute(
        sa.select(Attendance.participant_id, Attendance.status, sa.func.count())
        .join(GroupSession, Attendance.group_session_id == GroupSession.id)
        .where(Attendance.participant_id.in_(ids), GroupSession.status != "cancelled")
        .group_by(Attendance.participant_id, Attendance.status)
    )
    for participant_id, status, count in rows:
        counts[participant_id][status] = count
    return counts


def _records(db_session: so.Session, ids: list[int]) -> dict[int, SupportRecord]:
    if not ids:
        return {}
    return {
        r.participant_id: r
        for r in db_session.scalars(
            sa.select(SupportRecord).where(SupportRecord.participant_id.in_(ids))
        )
    }


def current_clients(db_session: so.Session, user: User, today: date) -> list[Participant]:
    """Her clients in planned or running groups, and in groups completed recently (handover)."""
    last_meeting = (
        sa.select(GroupSession.group_id, sa.func.max(GroupSession.end_dt).label("last_dt"))
        .where(GroupSession.status != "cancelled")
        .group_by(GroupSession.group_id)
        .subquery()
    )
    since = datetime.combine(today - timedelta(weeks=RECENT_WEEKS), time(0), tzinfo=UTC)
    query = (
        sa.select(Participant)
        .join(Group, Participant.group_id == Group.id)
        .outerjoin(last_meeting, last_meeting.c.group_id == Group.id)
        .where(
            Participant.case_worker_id == user.id,
            sa.or_(
                Group.status.in_(CURRENT_GROUP_STATUSES),
                sa.and_(Group.status == "completed", last_meeting.c.last_dt >= since),
            ),
        )
        .options(
            so.contains_eager(Participant.group).options(
                so.joinedload(Group.location), so.selectinload(Group.sessions)
            )
        )
        .order_by(Group.first_date, Group.id, Participant.alias, Participant.id)
    )
    return list(db_session.scalars(query).unique())


def open_signals_for(db_session: so.Session, user: User) -> list[Signal]:
    """Her clients' signals that are not closed, newest first, with their participant."""
    return list(
        db_session.scalars(
            sa.select(Signal)
            .join(Participant, Signal.participant_id == Participant.id)
            .where(Participant.case_worker_id == user.id, Signal.status != "closed")
            .options(
                so.contains_eager(Signal.participant).joinedload(Participant.group),
                so.joinedload(Signal.group_session),
            )
            .order_by(Signal.opened_dt.desc(), Signal.id.desc())
        ).unique()
    )


def client_rows(
    db_session: so.Session, clients: list[Participant], signals: list[Signal]
) -> list[ClientRow]:
    """The lines of her page: attendance so far, last contact, safety plan, open signals."""
    ids = [p.id for p in clients]
    counts = _attendance_counts(db_session, ids)
    last = last_contact_dates(db_session, ids)
    records = _records(db_session, ids)
    by_participant: dict[int, list[Signal]] = defaultdict(list)
    for signal in signals:
        by_participant[signal.participant_id].append(signal)
    now = utcnow()
    rows = []
    for participant in clients:
        held = sum(1 for gs in participant.group.active_sessions if gs.start_dt <= now)
        count = counts[participant.id]
        rows.append(
            ClientRow(
                participant=participant,
                held=held,
                present=count["present"],
                excused=count["excused"],
                absent=count["absent"],
                last_contact=last.get(participant.id),
                record=records.get(participant.id),
                signals=by_participant[participant.id],
            )
        )
    return rows


def load_client(db_session: so.Session, participant_id: int) -> Participant | None:
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


def client_file(db_session: so.Session, participant: Participant) -> ClientFile:
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


# --- changes by the case worker ----------------------------------------------------------------


def _check_date(day: date | None, field_name: str, today: date) -> date:
    if day is None:
        raise DomainError("Vul een geldige datum in.", field_name)
    if day.year < 2000:
        raise DomainError("Vul een datum na 2000 in.", field_name)
    if day > today:
        raise DomainError("De datum ligt in de toekomst.", field_name)
    return day


def _check_note(text: str | None, field_name: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError("Schrijf een korte notitie.", field_name)
    if len(text) > NOTE_MAX:
        raise DomainError(f"Hoogstens {NOTE_MAX} tekens; houd het kort en feitelijk.", field_name)
    return text


def log_contact(
    db_session: so.Session,
    actor: User,
    participant: Participant,
    *,
    contact_date: date,
    kind: str,
    minutes: int | None,
    note: str,
    today: date | None = None,
) -> SupportContact:
    """Log a support contact; an open "no contact" signal for her is closed by it."""
    today = today or today_local()
    _check_date(contact_date, "contact_date", today)
    if kind not in CONTACT_KINDS:
        raise DomainError("Kies een soort contact uit de lijst.", "kind")
    if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
        raise DomainError(f"Vul een duur in tussen 0 en {MAX_MINUTES} minuten.", "minutes")
    contact = SupportContact(
        participant_id=participant.id,
        case_worker_id=actor.id,
        contact_date=contact_date,
        kind=kind,
        minutes=minutes,
        note=_check_note(note, "note"),
    )
    db_session.add(contact)
    now = utcnow()
    for signal in db_session.scalars(
        sa.select(Signal).where(
            Signal.participant_id == participant.id,
            Signal.kind == "no_contact",
            Signal.status != "closed",
        )
    ):
        signal.status = "closed"
        signal.closed_by_id = actor.id
        signal.closed_dt = now
        signal.closing_note = f"Contact vastgelegd op {short_date(contact_date, today)}."
    audit(
        db_session,
        actor,
        "support_contact",
        participant,
        participant_code=participant.code,
        detail=f"{kind} {contact_date.isoformat()}",
    )
    db_session.flush()
    return contact


def save_record(
    db_session: so.Session,
    actor: User,
    participant: Participant,
    *,
    has_safety_plan: bool,
    reviewed_date: date | None,
    is_evaluation_shared: bool,
    today: date | None = None,
) -> SupportRecord:
    """Store whether she has a safety plan, when it was last reviewed, and her consent."""
    today = today or today_local()
    if reviewed_date is not None:
        _check_date(reviewed_date, "reviewed_date", today)
        if not has_safety_plan:
            raise DomainError(
                "Een bespreekdatum hoort bij een veiligheidsplan; vink eerst aan dat het er is.",
                "reviewed_date",
            )
    record = db_session.get(SupportRecord, participant.id)
    if record is None:
        record = SupportRecord(participant_id=participant.id)
        db_session.add(record)
    record.has_safety_plan = has_safety_plan
    record.safety_plan_reviewed_date = reviewed_date if has_safety_plan else None
    record.is_evaluation_shared = is_evaluation_shared
    record.updated_by_id = actor.id
    audit(
        db_session,
        actor,
        "support_record",
        participant,
        participant_code=participant.code,
        detail=f"veiligheidsplan {'ja' if has_safety_plan else 'nee'}",
    )
    db_session.flush()
    return record


def add_referral(
    db_session: so.Session,
    actor: User,
    participant: Participant,
    *,
    referral_date: date,
    target_id: int,
    note: str,
    today: date | None = None,
) -> Referral:
    """Record a referral to a target from the coordinator's list."""
    today = today or today_local()
    _check_date(referral_date, "referral_date", today)
    target = db_session.get(ReferralTarget, target_id) if target_id else None
    if target is None or not target.is_active:
        raise DomainError("Kies een verwijsadres uit de lijst.", "target_id")
    referral = Referral(
        participant_id=participant.id,
        referral_date=referral_date,
        target=target,
        note=_check_note(note, "note"),
        case_worker_id=actor.id,
    )
    db_session.add(referral)
    audit(
        db_session,
        actor,
        "referral",
        participant,
        participant_code=participant.code,
        detail=target.name,
    )
    db_session.flush()
    return referral


def acknowledge_signal(db_session: so.Session, actor: User, signal: Signal) -> None:
    """She has seen the signal and takes it up."""
    if signal.status != "open":
        raise DomainError("Dit signaal is al gezien of afgesloten.")
    signal.status = "acknowledged"
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


def close_signal(db_session: so.Session, actor: User, signal: Signal, note: str) -> None:
    """Close a signal with a short note on what was done."""
    if signal.is_closed:
        raise DomainError("Dit signaal is al afgesloten.")
    note = _check_note(note, "closing_note", required=True)
    now = utcnow()
    if signal.acknowledged_dt is None:
        signal.acknowledged_by_id, signal.acknowledged_dt = actor.id, now
    signal.status = "closed"
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
    db_session: so.Session,
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
    _check_date(care_date, "care_date", today)
    if category not in CARE_CATEGORIES:
        raise DomainError("Kies een categorie.", "category")
    informed = (informed or "").strip()
    if len(informed) > INFORMED_MAX:
        raise DomainError(f"Hoogstens {INFORMED_MAX} tekens.", "informed")
    signal = Signal(
        participant_id=participant.id,
        kind="care",
        status="open",
        dedupe_key=None,
        group_session_id=gs.id,
        detail=f"bijeenkomst {gs.number}",
        opened_dt=utcnow(),
        care_date=care_date,
        category=category,
        informed=informed,
        note=_check_note(note, "note", required=True),
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


def care_signals_for_session(db_session: so.Session, gs: GroupSession) -> list[Signal]:
    """Care signals filed at this meeting, with their participant (for the meeting page)."""
    return list(
        db_session.scalars(
            sa.select(Signal)
            .where(Signal.group_session_id == gs.id, Signal.kind == "care")
            .options(so.joinedload(Signal.participant))
            .order_by(Signal.opened_dt)
        )
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


def handover(db_session: so.Session, participant: Participant) -> Handover:
    """Attendance, completion, the facilitators' care signals and her evaluation consent."""
    group = participant.group
    threshold = get_setting(db_session, "completion_threshold")
    file = client_file(db_session, participant)
    meetings = [(gs, file.marks.get(gs.id)) for gs in group.active_sessions]
    statuses = [status for _gs, status in meetings]
    present = statuses.count("present")
    return Handover(
        participant=participant,
        group=group,
        meetings=meetings,
        present=present,
        excused=statuses.count("excused"),
        absent=statuses.count("absent"),
        threshold=threshold,
        has_completed=is_completed(present, threshold),
        care_signals=sorted(
            (s for s in file.signals if s.kind == "care"), key=lambda s: (s.care_date, s.id)
        ),
        is_evaluation_shared=bool(file.record and file.record.is_evaluation_shared),
        is_final=group.status in ("completed", "cancelled")
        or participant.status in ("completed", "dropped_out"),
        made_dt=utcnow(),
    )


# --- referral targets (coordinator) ------------------------------------------------------------


def referral_targets(db_session: so.Session, *, active_only: bool = False) -> list[ReferralTarget]:
    """The referral list, by name."""
    query = sa.select(ReferralTarget).order_by(ReferralTarget.name)
    if active_only:
        query = query.where(ReferralTarget.is_active.is_(True))
    return list(db_session.scalars(query))


def add_referral_target(db_session: so.Session, actor: User, name: str) -> ReferralTarget:
    """Add a target to the referral list."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Vul een naam in.", "name")
    if len(name) > 120:
        raise DomainError("Hoogstens 120 tekens.", "name")
    taken = db_session.scalar(
        sa.select(ReferralTarget).where(sa.func.lower(ReferralTarget.name) == name.lower())
    )
    if taken is not None:
        raise DomainError("Dit verwijsadres staat al in de lijst.", "name")
    target = ReferralTarget(name=name, is_active=True)
    db_session.add(target)
    audit(db_session, actor, "referral_target", target, detail=name)
    db_session.flush()
    return target


def set_referral_target_active(
    db_session: so.Session, actor: User, target: ReferralTarget, is_active: bool
) -> None:
    """Switch a target on or off; earlier referrals keep it."""
    target.is_active = is_active
    audit(db_session, actor, "referral_target", target, detail="aan" if is_active else "uit")
    db_session.flush()


def add_default_referral_targets(db_session: so.Session, actor: User | None) -> int:
    """Add the usual targets that are not in the list yet; returns how many were added."""
    known = {t.name.lower() for t in referral_targets(db_session)}
    added = 0
    for name in DEFAULT_REFERRAL_TARGETS:
        if name.lower() not in known:
            db_session.add(ReferralTarget(name=name, is_active=True))
            added += 1
    db_session.flush()
    return added


# --- mail preference -----------------------------------------------------------------------------


def wants_signal_mail(db_session: so.Session, user: User) -> bool:
    """Whether she asked for a neutral e-mail when a signal opens."""
    row = db_session.get(SupportMailPreference, user.id)
    return bool(row and row.wants_signal_mail)


def set_signal_mail(db_session: so.Session, user: User, wanted: bool) -> None:
    """Store her mail preference."""
    row = db_session.get(SupportMailPreference, user.id)
    if row is None:
        row = SupportMailPreference(user_id=user.id)
        db_session.add(row)
    row.wants_signal_mail = wanted
    db_session.flush()


def mail_recipients(db_session: so.Session, participant_ids: list[int]) -> list[User]:
    """Staff to mail about new signals of these participants: their own case workers who want
    mail. Only staff accounts (enabled, with the case-worker role); never a participant, and
    never an external case worker (she has no account here).
    """
    participant_ids = sorted(set(participant_ids))
    if not participant_ids:
        return []
    users = db_session.scalars(
        sa.select(User)
        .join(Participant, Participant.case_worker_id == User.id)
        .join(SupportMailPreference, SupportMailPreference.user_id == User.id)
        .where(
            Participant.id.in_(participant_ids),
            SupportMailPreference.wants_signal_mail.is_(True),
            User.is_enabled.is_(True),
        )
        .order_by(User.id)
    ).unique()
    return [user for user in users if user.has_role("case_worker") and "@" in user.email]


# --- retention -----------------------------------------------------------------------------------


def anonymise_support(db_session: so.Session, participant_ids: list[int]) -> None:
    """Blank the free text of these participants' support records (retention job).

    Dates, kinds and categories stay for anonymous statistics.
    """
    if not participant_ids:
        return
    ids = list(participant_ids)
    db_session.execute(
        sa.update(SupportContact).where(SupportContact.participant_id.in_(ids)).values(note=""),
        execution_options={"synchronize_session": False},
    )
    db_session.execute(
        sa.update(Referral).where(Referral.participant_id.in_(ids)).values(note=""),
        execution_options={"synchronize_session": False},
    )
    db_session.execute(
        sa.update(Signal)
        .where(Signal.participant_id.in_(ids))
        .values(note="", informed="", closing_note=""),
        execution_options={"synchronize_session": False},
    )
