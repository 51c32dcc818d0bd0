"""Partners, referral addresses, the public referral form's rules, the queue and its outcomes.

The referral form is public: a partner's staff member has no account. Only a SHA-256 hash of
each address's token is stored (a 256-bit random token needs no key); revoking an address
makes it answer 404 at once. A referral holds the partner and what was typed, nothing about
the person who typed it: no address, no browser, no time finer than the day. The limiter
counts uses per token and per client under keyed hashes, in rows that go after an hour.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import AuditEntry, User
from veiligthuis.auth.service import audit
from veiligthuis.groups import service as groups_service
from veiligthuis.groups.models import Group, Participant
from veiligthuis.models import DbSession, DomainError, utcnow
from veiligthuis.partners.models import (
    ALIAS_MAX,
    CHILD_AGE_BANDS,
    NOTE_MAX,
    OUTCOMES,
    PARTNER_KINDS,
    REFERRAL_CHANNELS,
    REFERRAL_SOURCE_OF_KIND,
    Partner,
    PartnerReferral,
    ReferralAddress,
    ReferralAttempt,
    ReferralStatus,
)
from veiligthuis.partners.statistics import keep_purged_counts

TOKEN_BYTES = 32
#: how many referral forms may be sent per address (token) and per client in LIMIT_WINDOW
LIMIT_PER_TOKEN = 20
LIMIT_PER_CLIENT = 5
LIMIT_WINDOW = timedelta(hours=1)
REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
#: statuses that still ask something of the coordinator
OPEN_STATUSES = (ReferralStatus.NEW, ReferralStatus.INTAKE_PLANNED)
MAX_CHILDREN_PER_BAND = 9


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str | None) -> str:
    """``text`` without control characters (nobody types them; PostgreSQL refuses NUL)."""
    return _CONTROLS.sub("", text or "")


# --- partners and their addresses ------------------------------------------------------------


def save_partner(
    db_session: DbSession,
    actor: User,
    partner: Partner | None,
    *,
    name: str,
    kind: str,
    contact: str = "",
    is_active: bool = True,
) -> Partner:
    """Create or change a partner organisation; names are unique."""
    name, contact = strip_controls(name).strip(), strip_controls(contact)
    if not name:
        raise DomainError("Vul de naam van de organisatie in.", "name")
    if len(name) > 120:
        raise DomainError("De naam is te lang (hoogstens 120 tekens).", "name")
    if kind not in PARTNER_KINDS:
        raise DomainError("Kies een soort organisatie uit de lijst.", "kind")
    if len(contact) > 250:
        raise DomainError("Het contact is te lang (hoogstens 250 tekens).", "contact")
    clash = db_session.scalar(sa.select(Partner.id).where(Partner.name == name))
    if clash is not None and (partner is None or clash != partner.id):
        raise DomainError("Er is al een partner met deze naam.", "name")
    if partner is None:
        partner = Partner()
        db_session.add(partner)
    partner.name, partner.kind, partner.contact = name, kind, contact.strip()
    partner.is_active = is_active
    if not is_active:
        _revoke_all(partner)
    db_session.flush()
    audit(db_session, actor, "partner", partner, detail=name)
    return partner


def hash_token(token: str) -> str:
    """The stored form of a referral token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke_all(partner: Partner) -> None:
    now = utcnow()
    for address in partner.addresses:
        if address.revoked_dt is None:
            address.revoked_dt = now


def new_referral_address(db_session: DbSession, actor: User, partner: Partner) -> str:
    """A fresh secret token for the partner's referral address; the previous one stops at once.

    The token is returned once, to show; only its hash is kept.
    """
    if not partner.is_active:
        raise DomainError("Deze partner is niet actief; maak haar eerst weer actief.")
    _revoke_all(partner)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    partner.addresses.append(ReferralAddress(token_hash=hash_token(token)))
    db_session.flush()
    audit(db_session, actor, "referral_address", partner, detail="nieuw verwijsadres")
    return token


def revoke_referral_address(db_session: DbSession, actor: User, partner: Partner) -> bool:
    """Stop the partner's referral address at once; False when she had none."""
    had = partner.active_address is not None
    _revoke_all(partner)
    db_session.flush()
    if had:
        audit(db_session, actor, "referral_address", partner, detail="verwijsadres ingetrokken")
    return had


def find_address(db_session: DbSession, token: str) -> ReferralAddress | None:
    """The live address for ``token`` (not revoked, partner active), or None."""
    if not 20 <= len(token) <= 100:
        return None
    return db_session.scalar(
        sa.select(ReferralAddress)
        .join(Partner)
        .where(
            ReferralAddress.token_hash == hash_token(token),
            ReferralAddress.revoked_dt.is_(None),
            Partner.is_active.is_(True),
        )
        .options(so.contains_eager(ReferralAddress.partner))
    )


# --- the limiter ------------------------------------------------------------------------------


def limiter_key(secret: str, kind: str, value: str) -> str:
    """A keyed hash naming one limiter bucket, so the rows do not reveal an address."""
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def is_limited(db_session: DbSession, buckets: dict[str, int], now=None) -> bool:
    """Whether any bucket (key -> limit) is full for the window; old rows are removed first."""
    now = now or utcnow()
    db_session.execute(
        sa.delete(ReferralAttempt).where(ReferralAttempt.created_dt < now - LIMIT_WINDOW)
    )
    counts = dict(
        db_session.execute(
            sa.select(ReferralAttempt.bucket, sa.func.count())
            .where(ReferralAttempt.bucket.in_(buckets))
            .group_by(ReferralAttempt.bucket)
        ).all()
    )
    return any(counts.get(key, 0) >= limit for key, limit in buckets.items())


def count_attempt(db_session: DbSession, buckets, now=None) -> None:
    """Record one use of the form in every bucket."""
    now = now or utcnow()
    db_session.add_all(ReferralAttempt(bucket=key, created_dt=now) for key in buckets)
    db_session.flush()


# --- the referral form ------------------------------------------------------------------------


@dataclass
class ReferralData:
    """What the partner typed: plain values."""

    alias: str
    safe_channel: str
    has_consent: bool
    contact_detail: str = ""
    safe_times: str = ""
    is_voicemail_ok: bool = False
    language: str = ""
    needs_interpreter: bool = False
    childcare: dict[str, int] = field(default_factory=dict)
    note: str = ""


def check_childcare(children: dict[str, int], field_name: str = "childcare") -> dict[str, int]:
    """Children per known age band, without the zeros; junk is refused."""
    clean = {}
    for band, count in (children or {}).items():
        if band not in CHILD_AGE_BANDS:
            raise DomainError("Kies een leeftijdsgroep uit de lijst.", field_name)
        if not isinstance(count, int) or not 0 <= count <= MAX_CHILDREN_PER_BAND:
            raise DomainError(
                f"Vul per leeftijdsgroep een aantal in van 0 tot {MAX_CHILDREN_PER_BAND}.",
                field_name,
            )
        if count:
            clean[band] = count
    return clean


CONSENT_MESSAGE = (
    "Een aanmelding kan alleen als zij ervan weet en ermee instemt. Bespreek het eerst met haar; "
    "zonder haar toestemming nemen wij geen contact op."
)


def _check_referral(data: ReferralData) -> None:
    if not data.has_consent:
        raise DomainError(CONSENT_MESSAGE, "has_consent")
    alias = data.alias.strip()
    if not alias:
        raise DomainError("Vul een voornaam of roepnaam in.", "alias")
    if len(alias) > ALIAS_MAX:
        raise DomainError(f"Hoogstens {ALIAS_MAX} tekens.", "alias")
    if data.safe_channel not in REFERRAL_CHANNELS:
        raise DomainError("Kies hoe wij haar veilig kunnen bereiken.", "safe_channel")
    if data.safe_channel != "via_partner" and not data.contact_detail.strip():
        raise DomainError(
            "Vul het telefoonnummer of e-mailadres in waarop zij veilig bereikbaar is, of kies "
            "'alleen via de verwijzer'.",
            "contact_detail",
        )
    if len(data.note) > NOTE_MAX:
        raise DomainError(f"Hoogstens {NOTE_MAX} tekens; houd het kort.", "note")


def new_reference(db_session: DbSession) -> str:
    """A unique reference number like ``KX7-M3PQ``."""
    while True:
        raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))
        reference = f"{raw[:3]}-{raw[3:]}"
        if (
            db_session.scalar(
                sa.select(PartnerReferral.id).where(PartnerReferral.reference == reference)
            )
            is None
        ):
            return reference


def submit_referral(
    db_session: DbSession, address: ReferralAddress, data: ReferralData, today: date
) -> PartnerReferral:
    """Store a referral from a partner's address; refused without her consent."""
    for name in ("alias", "contact_detail", "safe_times", "language", "note", "safe_channel"):
        setattr(data, name, strip_controls(getattr(data, name)))
    _check_referral(data)
    referral = PartnerReferral(
        reference=new_reference(db_session),
        partner_id=address.partner_id,
        received_date=today,
        status=ReferralStatus.NEW,
        alias=data.alias.strip(),
        safe_channel=data.safe_channel,
        contact_detail=data.contact_detail.strip() if data.safe_channel != "via_partner" else "",
        safe_times=data.safe_times.strip(),
        is_voicemail_ok=data.is_voicemail_ok,
        language=data.language.strip(),
        needs_interpreter=data.needs_interpreter,
        has_consent=True,
        childcare=check_childcare(data.childcare),
        note=data.note.strip(),
    )
    db_session.add(referral)
    db_session.flush()
    # No actor: the partner has no account, and who typed it is not recorded.
    audit(db_session, None, "create", referral, detail=f"aanmelding {referral.reference}")
    return referral


# --- the coordinator's queue ------------------------------------------------------------------


def new_referral_count(db_session: DbSession) -> int:
    """Referrals nobody has acted on yet (the dashboard count)."""
    return db_session.scalars(
        sa.select(sa.func.count(PartnerReferral.id)).where(
            PartnerReferral.status == ReferralStatus.NEW
        )
    ).one()


def queue(db_session: DbSession, actor: User, *, show_all: bool = False) -> list[PartnerReferral]:
    """Open referrals (or all), oldest first; each shown referral is audited."""
    query = sa.select(PartnerReferral).options(so.joinedload(PartnerReferral.partner))
    if not show_all:
        query = query.where(PartnerReferral.status.in_(OPEN_STATUSES))
    referrals = list(
        db_session.scalars(query.order_by(PartnerReferral.received_date, PartnerReferral.id))
    )
    if referrals:
        # One INSERT for all, so the page's query count does not grow with the queue.
        db_session.execute(
            sa.insert(AuditEntry),
            [
                {
                    "actor_id": actor.id,
                    "action": "list",
                    "object_type": "PartnerReferral",
                    "object_id": r.id,
                    "participant_code": None,
                    "detail": r.reference,
                }
                for r in referrals
            ],
        )
    return referrals


def view_referral(db_session: DbSession, actor: User, referral: PartnerReferral) -> None:
    """Record that ``actor`` looked at the referral (with her code once she is a participant)."""
    code = None
    if referral.participant_id is not None:
        code = db_session.scalar(
            sa.select(Participant.code).where(Participant.id == referral.participant_id)
        )
    audit(db_session, actor, "view", referral, participant_code=code, detail=referral.reference)
    db_session.flush()


def record_outcome(
    db_session: DbSession,
    actor: User,
    referral: PartnerReferral,
    *,
    outcome: str,
    attempts: int | None,
    note: str,
    today: date,
) -> None:
    """Record what came of calling her: intake planned, not reached, declined, elsewhere."""
    if referral.status == ReferralStatus.CONVERTED:
        raise DomainError("Zij is al deelnemer; de aanmelding is afgerond.", "outcome")
    if outcome not in OUTCOMES:
        raise DomainError("Kies een uitkomst uit de lijst.", "outcome")
    if outcome == ReferralStatus.NOT_REACHED and not attempts:
        raise DomainError("Vul in na hoeveel pogingen zij niet bereikt is.", "attempts")
    if attempts is not None and not 0 <= attempts <= 50:
        raise DomainError("Vul een aantal pogingen in van 0 tot 50.", "attempts")
    if len(note) > NOTE_MAX:
        raise DomainError(f"Hoogstens {NOTE_MAX} tekens.", "note")
    note = strip_controls(note)
    before = referral.status
    referral.status = outcome
    if attempts is not None:
        referral.attempts = attempts
    referral.outcome_note = note.strip()
    referral.outcome_date = today
    audit(
        db_session,
        actor,
        "update",
        referral,
        detail=f"{referral.reference}: {before} -> {outcome}",
    )
    db_session.flush()


def convert_to_participant(
    db_session: DbSession, actor: User, referral: PartnerReferral, group: Group, status: str
) -> Participant:
    """Make her a participant of ``group`` (intake, waiting list or active) from the referral."""
    if referral.status not in OPEN_STATUSES:
        raise DomainError(
            "Alleen een nieuwe aanmelding of een met een geplande intake kan deelnemer worden.",
            "group_id",
        )
    if status not in ("intake", "waiting", "active"):
        raise DomainError("Kies intake, wachtlijst of actief.", "status")
    if group.status not in ("planned", "running"):
        raise DomainError("Kies een geplande of lopende groep.", "group_id")
    channel = "via_case_worker" if referral.safe_channel == "via_partner" else referral.safe_channel
    detail = referral.contact_detail
    is_email = "@" in detail
    data = groups_service.ParticipantData(
        alias=referral.alias,
        status=status,
        referral_source=REFERRAL_SOURCE_OF_KIND.get(referral.partner.kind, "other"),
        external_case_worker_org=referral.partner.name[:120],
        phone="" if is_email else detail[:30],
        email=detail if is_email else "",
        safe_channel=channel,
        safe_times=referral.safe_times,
        is_voicemail_ok=referral.is_voicemail_ok,
        safe_notes="Tolk nodig." if referral.needs_interpreter else "",
        language=referral.language or None,
    )
    participant = groups_service.add_participant(db_session, actor, group, data)
    if referral.childcare:
        from veiligthuis.volunteers.service import set_childcare_need

        set_childcare_need(db_session, actor, participant, referral.childcare)
    referral.status = ReferralStatus.CONVERTED
    referral.participant_id = participant.id
    audit(
        db_session,
        actor,
        "convert",
        referral,
        participant_code=participant.code,
        detail=f"{referral.reference} -> groep {group.id} ({status})",
    )
    db_session.flush()
    return participant


def purge_expired_referrals(db_session: DbSession, today: date, months: int) -> int:
    """Delete referrals that never became a participant, received longer than ``months`` ago.

    A referral that did become a participant loses its personal copy once she is anonymised.
    Returns how many referrals were deleted.
    """
    cutoff_month = today.year * 12 + today.month - 1 - months
    cutoff = date(cutoff_month // 12, cutoff_month % 12 + 1, min(today.day, 28))
    expired = db_session.scalars(
        sa.select(PartnerReferral).where(
            PartnerReferral.participant_id.is_(None), PartnerReferral.received_date < cutoff
        )
    ).all()
    # The yearly report still counts them: by partner kind, month and whether she was reached.
    keep_purged_counts(db_session, list(expired))
    for referral in expired:
        db_session.delete(referral)
    anonymised = db_session.scalars(
        sa.select(PartnerReferral)
        .join(Participant, Participant.id == PartnerReferral.participant_id)
        .where(Participant.anonymised_dt.is_not(None), PartnerReferral.cleared_dt.is_(None))
    ).all()
    now = utcnow()
    for referral in anonymised:
        referral.alias = "geanonimiseerd"
        referral.contact_detail = referral.safe_times = referral.note = ""
        referral.outcome_note = referral.language = ""
        referral.childcare = {}
        referral.cleared_dt = now
    db_session.flush()
    return len(expired)
