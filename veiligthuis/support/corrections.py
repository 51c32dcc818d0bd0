"""Correcting and deleting what a case worker logged (contacts, referrals); each is audited
and the "no contact" signal is worked out again, as a logged contact closes it."""

from datetime import date

import sqlalchemy as sa

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.groups.models import Participant
from veiligthuis.models import DbSession, DomainError
from veiligthuis.sessions.schedule import today_local
from veiligthuis.support.checks import check_date, check_note
from veiligthuis.support.models import (
    Referral,
    ReferralTarget,
    Signal,
    SignalStatus,
    SupportContact,
)
from veiligthuis.support.service import check_contact, close_no_contact_signals
from veiligthuis.support.signals_service import _no_contact_wanted, refresh_no_contact

#: how log_contact starts the closing note of the "no contact" signal it closes
CLOSED_BY_CONTACT = "Contact vastgelegd op"


def _recompute(db_session: DbSession, actor: User, participant: Participant, today: date) -> None:
    """Open what is due now, and reopen a "no contact" signal that a contact (since deleted or
    moved back in time) had closed: its key is the same, so it would not open a second time."""
    db_session.flush()
    refresh_no_contact(db_session, actor, [participant], today)
    wanted = _no_contact_wanted(db_session, [participant], today).get(participant.id, [])
    keys = {occurrence.key for occurrence in wanted}
    closed_by_contact = db_session.scalars(
        sa.select(Signal).where(
            Signal.participant_id == participant.id,
            Signal.kind == "no_contact",
            Signal.status == SignalStatus.CLOSED,
            Signal.dedupe_key.in_(keys),
            Signal.closing_note.startswith(CLOSED_BY_CONTACT),
        )
    )
    for signal in closed_by_contact:
        signal.status = SignalStatus.OPEN
        signal.closed_by_id = signal.closed_dt = None
        signal.closing_note = ""
    db_session.flush()


def _refuse_after_retention(participant: Participant) -> None:
    # Retention removed her notes in the meantime: an undo must not bring them back.
    if participant.anonymised_dt is not None:
        raise DomainError("Haar gegevens zijn inmiddels verwijderd (bewaartermijn).")


def update_contact(
    db_session: DbSession,
    actor: User,
    contact: SupportContact,
    *,
    contact_date: date,
    kind: str,
    minutes: int | None,
    note: str,
    today: date | None = None,
) -> None:
    """Correct a logged contact."""
    today = today or today_local()
    check_contact(contact_date, kind, minutes, note, today)
    contact.contact_date, contact.kind, contact.minutes = contact_date, kind, minutes
    contact.note = check_note(note, "note")
    participant = contact.participant
    audit(
        db_session,
        actor,
        "support_contact_update",
        participant,
        participant_code=participant.code,
        detail=f"{kind} {contact_date.isoformat()}",
    )
    _recompute(db_session, actor, participant, today)


def delete_contact(
    db_session: DbSession, actor: User, contact: SupportContact, *, today: date | None = None
) -> dict:
    """Delete a contact logged by mistake; the "no contact" signal may open again.

    Returns the contact's values, which :func:`restore_contact` takes to undo the deletion."""
    participant = contact.participant
    snapshot = {
        "participant_id": participant.id,
        "case_worker_id": contact.case_worker_id,
        "contact_date": contact.contact_date.isoformat(),
        "kind": contact.kind,
        "minutes": contact.minutes,
        "note": contact.note,
    }
    audit(
        db_session,
        actor,
        "support_contact_delete",
        participant,
        participant_code=participant.code,
        detail=f"{contact.kind} {contact.contact_date.isoformat()}",
    )
    db_session.delete(contact)
    _recompute(db_session, actor, participant, today or today_local())
    return snapshot


def restore_contact(
    db_session: DbSession,
    actor: User,
    participant: Participant,
    snapshot: dict,
    *,
    today: date | None = None,
) -> SupportContact:
    """Undo :func:`delete_contact`: the contact is back, and closes the "no contact" signal
    again as it did when it was logged."""
    if snapshot.get("participant_id") != participant.id:
        raise DomainError("Dit contact hoort niet bij deze deelnemer.")
    _refuse_after_retention(participant)
    today = today or today_local()
    contact_date = date.fromisoformat(snapshot["contact_date"])
    contact = SupportContact(
        participant_id=participant.id,
        case_worker_id=snapshot["case_worker_id"],
        contact_date=contact_date,
        kind=snapshot["kind"],
        minutes=snapshot["minutes"],
        note=snapshot["note"],
    )
    db_session.add(contact)
    close_no_contact_signals(db_session, actor, participant, contact_date, today)
    audit(
        db_session,
        actor,
        "support_contact_restore",
        participant,
        participant_code=participant.code,
        detail=f"{contact.kind} {contact_date.isoformat()}",
    )
    _recompute(db_session, actor, participant, today)
    return contact


def update_referral(
    db_session: DbSession,
    actor: User,
    participant: Participant,
    referral: Referral,
    *,
    referral_date: date,
    target_id: int,
    note: str,
    today: date | None = None,
) -> None:
    """Correct a referral (date, target, note)."""
    check_date(referral_date, "referral_date", today or today_local())
    target = db_session.get(ReferralTarget, target_id) if target_id else None
    if target is None or not (target.is_active or target.id == referral.target_id):
        raise DomainError("Kies een verwijsadres uit de lijst.", "target_id")
    referral.referral_date, referral.target = referral_date, target
    referral.note = check_note(note, "note")
    audit(
        db_session,
        actor,
        "referral_update",
        participant,
        participant_code=participant.code,
        detail=target.name,
    )
    db_session.flush()


def delete_referral(
    db_session: DbSession, actor: User, participant: Participant, referral: Referral
) -> dict:
    """Delete a referral recorded by mistake; returns what :func:`restore_referral` takes."""
    snapshot = {
        "participant_id": participant.id,
        "referral_date": referral.referral_date.isoformat(),
        "target_id": referral.target_id,
        "note": referral.note,
        "case_worker_id": referral.case_worker_id,
    }
    audit(
        db_session,
        actor,
        "referral_delete",
        participant,
        participant_code=participant.code,
        detail=referral.target.name,
    )
    db_session.delete(referral)
    db_session.flush()
    return snapshot


def restore_referral(
    db_session: DbSession, actor: User, participant: Participant, snapshot: dict
) -> Referral:
    """Undo :func:`delete_referral` (its target stays, even if switched off since)."""
    target = db_session.get(ReferralTarget, snapshot.get("target_id") or 0)
    if snapshot.get("participant_id") != participant.id or target is None:
        raise DomainError("Deze verwijzing kan niet worden teruggezet.")
    _refuse_after_retention(participant)
    referral = Referral(
        participant_id=participant.id,
        referral_date=date.fromisoformat(snapshot["referral_date"]),
        target=target,
        note=snapshot["note"],
        case_worker_id=snapshot["case_worker_id"],
    )
    db_session.add(referral)
    audit(
        db_session,
        actor,
        "referral_restore",
        participant,
        participant_code=participant.code,
        detail=target.name,
    )
    db_session.flush()
    return referral
