"""Individual support: contacts, safety-plan status, referrals, the referral list, mail
preferences and retention; with ``signals_service`` and ``clients_service`` the area's API.

Views and commands call ``service.<name>`` for all of them: the names of the other two modules
are imported here.
"""

from datetime import date

import sqlalchemy as sa

from veiligthuis import changes
from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.groups.models import Participant
from veiligthuis.models import DbSession, DomainError, utcnow
from veiligthuis.sessions.schedule import today_local
from veiligthuis.support.caseload import (
    ClientPage,
    ClientRow,
    OpenSignal,
    archive_years,
    client_page,
    last_meeting_start,
    open_signals,
)
from veiligthuis.support.checks import MAX_MINUTES, check_date, check_note, short_date
from veiligthuis.support.clients_service import (
    ClientFile,
    Handover,
    SupportStatus,
    client_file,
    handover,
    is_own_client,
    load_client,
    support_overview,
)
from veiligthuis.support.models import (
    CONTACT_KINDS,
    Referral,
    ReferralTarget,
    Signal,
    SignalStatus,
    SupportContact,
    SupportMailPreference,
    SupportRecord,
)
from veiligthuis.support.no_contact import open_signal_count, refresh_her_no_contact
from veiligthuis.support.signals_service import (
    LAPSED_NOTE,
    Occurrence,
    acknowledge_signal,
    attendance_occurrences,
    care_candidates,
    care_signals_for_session,
    close_signal,
    file_care_signal,
    no_contact_occurrence,
    refresh_all,
    refresh_no_contact,
    refresh_signals,
)

__all__ = [
    "LAPSED_NOTE",
    "ClientFile",
    "ClientPage",
    "ClientRow",
    "Handover",
    "Occurrence",
    "OpenSignal",
    "SupportStatus",
    "acknowledge_signal",
    "archive_years",
    "attendance_occurrences",
    "care_candidates",
    "care_signals_for_session",
    "client_file",
    "client_page",
    "close_signal",
    "file_care_signal",
    "handover",
    "is_own_client",
    "last_meeting_start",
    "load_client",
    "no_contact_occurrence",
    "open_signal_count",
    "open_signals",
    "refresh_all",
    "refresh_her_no_contact",
    "refresh_no_contact",
    "refresh_signals",
    "short_date",
    "support_overview",
    "today_local",
]

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


# --- changes by the case worker ----------------------------------------------------------------


def check_contact(contact_date: date, kind: str, minutes: int | None, note: str, today: date):
    """Refuse a contact that breaks a rule; one with neither a duration nor a note is empty."""
    check_date(contact_date, "contact_date", today)
    if kind not in CONTACT_KINDS:
        raise DomainError("Kies een soort contact uit de lijst.", "kind")
    if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
        raise DomainError(f"Vul een duur in tussen 0 en {MAX_MINUTES} minuten.", "minutes")
    # An empty contact would silence the "no contact" signal without any contact behind it.
    if minutes is None and not (note or "").strip():
        raise DomainError(
            "Vul de duur in minuten of een korte notitie in: een leeg contact telt niet.", "note"
        )


def log_contact(
    db_session: DbSession,
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
    check_contact(contact_date, kind, minutes, note, today)
    contact = SupportContact(
        participant_id=participant.id,
        case_worker_id=actor.id,
        contact_date=contact_date,
        kind=kind,
        minutes=minutes,
        note=check_note(note, "note"),
    )
    db_session.add(contact)
    close_no_contact_signals(db_session, actor, participant, contact_date, today)
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


def close_no_contact_signals(
    db_session: DbSession, actor: User, participant: Participant, contact_date: date, today: date
) -> None:
    """A contact with her closes her open "no contact" signals."""
    now = utcnow()
    for signal in db_session.scalars(
        sa.select(Signal).where(
            Signal.participant_id == participant.id,
            Signal.kind == "no_contact",
            Signal.status != SignalStatus.CLOSED,
        )
    ):
        signal.status = SignalStatus.CLOSED
        signal.closed_by_id = actor.id
        signal.closed_dt = now
        signal.closing_note = f"Contact vastgelegd op {short_date(contact_date, today)}."


def save_record(
    db_session: DbSession,
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
        check_date(reviewed_date, "reviewed_date", today)
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
    db_session: DbSession,
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
    check_date(referral_date, "referral_date", today)
    target = db_session.get(ReferralTarget, target_id) if target_id else None
    if target is None or not target.is_active:
        raise DomainError("Kies een verwijsadres uit de lijst.", "target_id")
    referral = Referral(
        participant_id=participant.id,
        referral_date=referral_date,
        target=target,
        note=check_note(note, "note"),
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


# --- referral targets (coordinator) ------------------------------------------------------------


def referral_targets(db_session: DbSession, *, active_only: bool = False) -> list[ReferralTarget]:
    """The referral list, by name."""
    query = sa.select(ReferralTarget).order_by(ReferralTarget.name)
    if active_only:
        query = query.where(ReferralTarget.is_active.is_(True))
    return list(db_session.scalars(query))


def add_referral_target(db_session: DbSession, actor: User, name: str) -> ReferralTarget:
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
    db_session: DbSession, actor: User, target: ReferralTarget, is_active: bool
) -> None:
    """Switch a target on or off; earlier referrals keep it."""
    target.is_active = is_active
    audit(db_session, actor, "referral_target", target, detail="aan" if is_active else "uit")
    db_session.flush()


def add_default_referral_targets(db_session: DbSession, actor: User | None) -> int:
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


#: her choice alone, as a plain value (her page asks on every view)
_WANTS_MAIL = sa.select(SupportMailPreference.wants_signal_mail).where(
    SupportMailPreference.user_id == sa.bindparam("user_id")
)


def wants_signal_mail(db_session: DbSession, user: User) -> bool:
    """Whether she asked for a neutral e-mail when a signal opens (her page shows it on every
    view: kept until anything changes, as saving it does)."""
    return changes.cached(
        db_session,
        "wants signal mail",
        user.id,
        lambda: bool(db_session.scalar(_WANTS_MAIL, {"user_id": user.id})),
    )


def set_signal_mail(db_session: DbSession, user: User, wanted: bool) -> None:
    """Store her mail preference."""
    row = db_session.get(SupportMailPreference, user.id)
    if row is None:
        row = SupportMailPreference(user_id=user.id)
        db_session.add(row)
    row.wants_signal_mail = wanted
    db_session.flush()


def mail_recipients(db_session: DbSession, participant_ids: list[int]) -> list[User]:
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


def anonymise_support(db_session: DbSession, participant_ids: list[int]) -> None:
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
