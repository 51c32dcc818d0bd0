"""Staff accounts, passwords and the audit log."""

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import cast

import pyotp
import sqlalchemy as sa
import sqlalchemy.orm as so
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from veiligthuis.auth import guards, throttle  # noqa: F401  (guards: audit log append-only)
from veiligthuis.auth.models import (
    ROLES,
    AuditEntry,
    Leave,
    RecoveryCode,
    User,
    UserRole,
    WebSession,
    audit_source,
)
from veiligthuis.models import DbSession, DomainError, rowcount, utcnow

_hasher = PasswordHasher()


def use_cheapest_hashing() -> None:
    """Make hashing nearly free; for test runs only (config PASSWORD_HASH_CHEAPEST)."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)


#: NIST SP 800-63B: at least 12 characters when a password is the only factor she chose, and
#: room for long passphrases (no upper limit below 64).
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
#: zxcvbn's score (0..4) a password must reach: below 3 it is a common password, a keyboard or
#: repeat pattern, or built from her own name or address.
MIN_PASSWORD_SCORE = 3
#: how many characters must remain once her name and address are taken out
SELF_FREE_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    """Whether ``password`` is hers; rehashes on the fly when the parameters changed."""
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def find_user_by_email(db_session: DbSession, email: str) -> User | None:
    """The account with this e-mail address (case-insensitive), or None."""
    return db_session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))


def authenticate(
    db_session: DbSession,
    email: str,
    password: str,
    *,
    address: str = "",
    device: str | None = None,
) -> User | None:
    """The enabled account matching these credentials, or None; throttled (``auth.throttle``).

    ``address`` is the client's address, ``device`` the id of her known-device cookie for this
    address, if the browser has one. With two steps, the code step clears the failures.
    """
    email = email.strip().lower()[:254]
    throttle.check(db_session, email, address, device)
    user = find_user_by_email(db_session, email)
    if user is None:
        _hasher.hash(password)  # spend the same time as a real check
    elif user.is_enabled and check_password(user, password):
        if user.totp_secret is None:
            throttle.clear(db_session, email, address, device)
        return user
    throttle.record_failure(db_session, email, address, device)
    return None


def validate_password(password: str, *, name: str = "", email: str = "", field="password") -> None:
    """Refuse a password that is too short, too long, common, or derived from her name or address."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn.", field
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(
            f"Het wachtwoord mag hoogstens {MAX_PASSWORD_LENGTH} tekens lang zijn.", field
        )
    # Her name and the local part of her address (the domain is the organisation's, shared by all)
    local = email.split("@")[0]
    own = [p.lower() for p in (local, *re.split(r"[\s._+-]+", f"{name} {local}")) if len(p) >= 3]
    rest = password.lower()
    for part in sorted(own, key=len, reverse=True):
        rest = rest.replace(part, "")
    # What is left without her own name and address must still be a password of its own.
    if len(rest) < SELF_FREE_LENGTH or (
        zxcvbn(password, user_inputs=[name.lower(), email.lower(), *own])["score"]
        < MIN_PASSWORD_SCORE
    ):
        raise DomainError(
            "Dit wachtwoord is te makkelijk te raden: het is veelgebruikt, een patroon, of lijkt "
            "op uw naam of e-mailadres. Kies bijvoorbeeld een zin van een paar woorden.",
            field,
        )


def create_user(
    db_session: DbSession, *, email: str, name: str, password: str, roles: set[str] | list[str]
) -> User:
    """A new staff account with ``roles``."""
    email = email.strip().lower()
    if not email or "@" not in email:
        raise DomainError("Vul een geldig e-mailadres in.", "email")
    if find_user_by_email(db_session, email) is not None:
        raise DomainError("Er bestaat al een account met dit e-mailadres.", "email")
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise DomainError("Kies minstens één geldige rol.", "roles")
    validate_password(password, name=name, email=email)
    user = User(email=email, name=name.strip() or email, password_hash=hash_password(password))
    user.role_rows = [UserRole(role=role) for role in sorted(set(roles))]
    db_session.add(user)
    db_session.flush()
    return user


def update_user(
    user: User,
    *,
    name: str,
    roles: set[str] | list[str],
    is_enabled: bool,
    password: str = "",
    keep_session: str | None = None,
) -> None:
    """Change a staff account; an empty password keeps the old one.

    A new password, other roles or a deactivated account end all her sessions (but
    ``keep_session``, the one making the change).
    """
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise DomainError("Kies minstens één geldige rol.", "roles")
    if password:
        validate_password(password, name=name or user.name, email=user.email)
        user.password_hash = hash_password(password)
    if password or set(roles) != user.roles or not is_enabled:
        end_sessions(_session_of(user), user, keep=keep_session)
    user.name = name.strip() or user.email
    user.is_enabled = is_enabled
    wanted = set(roles)
    user.role_rows = [row for row in user.role_rows if row.role in wanted] + [
        UserRole(role=role) for role in sorted(wanted - user.roles)
    ]


def add_leave(db_session: DbSession, user: User, start: date, end: date, reason: str) -> Leave:
    """Register leave for a staff member."""
    if end < start:
        raise DomainError("De einddatum ligt voor de begindatum.", "end_date")
    leave = Leave(user=user, start_date=start, end_date=end, reason=reason.strip() or "Verlof")
    db_session.add(leave)
    db_session.flush()
    return leave


def delete_leave(db_session: DbSession, actor: User, leave: Leave) -> dict:
    """Remove registered leave; audited. Returns what :func:`restore_leave` takes."""
    snapshot = {
        "user_id": leave.user_id,
        "start_date": leave.start_date.isoformat(),
        "end_date": leave.end_date.isoformat(),
        "reason": leave.reason,
    }
    audit(
        db_session,
        actor,
        "leave_delete",
        leave,
        detail=f"{leave.user_id}: {leave.start_date.isoformat()} t/m {leave.end_date.isoformat()}",
    )
    db_session.delete(leave)
    db_session.flush()
    return snapshot


def restore_leave(db_session: DbSession, actor: User, user: User, snapshot: dict) -> Leave:
    """Undo :func:`delete_leave`: her leave counts in the conflict checks again."""
    if snapshot.get("user_id") != user.id:
        raise DomainError("Dit verlof hoort niet bij deze medewerker.")
    leave = add_leave(
        db_session,
        user,
        date.fromisoformat(snapshot["start_date"]),
        date.fromisoformat(snapshot["end_date"]),
        snapshot["reason"],
    )
    audit(
        db_session,
        actor,
        "leave_restore",
        leave,
        detail=f"{leave.user_id}: {leave.start_date.isoformat()} t/m {leave.end_date.isoformat()}",
    )
    db_session.flush()
    return leave


#: roles that see participant data: their two-step login can be made required
TWO_FACTOR_ROLES = ("coordinator", "facilitator", "case_worker")


def needs_two_factor(db_session: DbSession, user: User) -> bool:
    """Whether she must log in in two steps (the coordinators' setting, on by default)."""
    from veiligthuis.settings import get_setting

    return user.has_role(*TWO_FACTOR_ROLES) and bool(get_setting(db_session, "require_two_factor"))


def end_sessions_without_two_factor(db_session: DbSession, actor: User) -> int:
    """When two steps become required: end the password-only sessions of those it applies to.

    Her own session stays (she is making the change); at her next login she sets up the app.
    """
    users = sa.select(UserRole.user_id).where(UserRole.role.in_(TWO_FACTOR_ROLES))
    without = sa.select(User.id).where(User.totp_secret.is_(None), User.id.in_(users))
    query = sa.delete(WebSession).where(
        WebSession.user_id.in_(without), WebSession.user_id != actor.id
    )
    return rowcount(db_session.execute(query))


def new_totp_secret() -> str:
    """A fresh secret for an authenticator app."""
    return pyotp.random_base32()


def totp_uri(user: User, secret: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side), unless already used."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


RECOVERY_CODES = 10


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def new_recovery_codes(db_session: DbSession, user: User) -> list[str]:
    """Ten fresh single-use codes (the old ones stop working); shown to her once."""
    db_session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db_session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(c)) for c in codes)
    db_session.flush()
    return codes


def _use_recovery_code(db_session: DbSession, user: User, code: str) -> bool:
    row = db_session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_hash(code)
        )
    )
    if row is None:
        return False
    db_session.delete(row)
    return True


def enable_two_factor(user: User, secret: str, code: str) -> None:
    """Switch two-step login on once she proved her app shows the right code."""
    step = _matching_step(secret, code, None)
    if step is None:
        raise DomainError("Deze code klopt niet. Kijk in de app en probeer het opnieuw.", "code")
    user.totp_secret = secret
    user.totp_last_step = step


def _clear_two_factor(db_session: DbSession, user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    db_session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable_two_factor(db_session: DbSession, user: User, password: str, code: str) -> None:
    """Switch her two-step login off (or reset it): only with her password and a current code."""
    if not check_password(user, password):
        raise DomainError("Het wachtwoord klopt niet.", "password")
    step = _matching_step(user.totp_secret or "", code, user.totp_last_step)
    if step is None and not _use_recovery_code(db_session, user, code):
        raise DomainError("Deze code klopt niet. Kijk in de app en probeer het opnieuw.", "code")
    _clear_two_factor(db_session, user)
    audit(db_session, user, "two_factor_off", user)


def reset_two_factor(db_session: DbSession, actor: User, user: User) -> None:
    """A coordinator resets a colleague's two-step login (lost phone); audited, sessions end."""
    _clear_two_factor(db_session, user)
    end_sessions(db_session, user)
    audit(db_session, actor, "two_factor_reset", user, detail=user.email)


def verify_two_factor(
    db_session: DbSession, user: User, code: str, *, address: str = "", device: str | None = None
) -> bool:
    """Whether ``code`` is her current code; a wrong code counts as a failed login."""
    throttle.check(db_session, user.email.lower(), address, device)
    step = _matching_step(user.totp_secret or "", code, user.totp_last_step)
    if step is None:
        if not _use_recovery_code(db_session, user, code):
            throttle.record_failure(db_session, user.email.lower(), address, device)
            return False
    else:
        user.totp_last_step = step
    throttle.clear(db_session, user.email.lower(), address, device)
    return True


def change_password(user: User, current: str, new: str, *, keep_session: str | None = None) -> None:
    """Change her own password; she proves she knows the current one."""
    if not check_password(user, current):
        raise DomainError("Het huidige wachtwoord klopt niet.", "current_password")
    validate_password(new, name=user.name, email=user.email, field="new_password")
    user.password_hash = hash_password(new)
    end_sessions(_session_of(user), user, keep=keep_session)


def _session_of(user: User) -> so.Session:
    db_session = so.object_session(user)
    assert db_session is not None, "a staff account is changed as loaded from the database"
    return db_session


def end_sessions(db_session: DbSession, user: User, *, keep: str | None = None) -> int:
    """End every session of hers (but the one whose id hash is ``keep``); how many ended."""
    query = sa.delete(WebSession).where(WebSession.user_id == user.id)
    if keep is not None:
        query = query.where(WebSession.id_hash != keep)
    return rowcount(db_session.execute(query))


def end_session(db_session: DbSession, user: User, id_hash: str) -> bool:
    """End one of her own sessions; False when it is not hers (or already ended)."""
    query = sa.delete(WebSession).where(
        WebSession.user_id == user.id, WebSession.id_hash == id_hash
    )
    return rowcount(db_session.execute(query)) == 1


def purge_stale_sessions(db_session: DbSession, before: datetime) -> None:
    """Remove sessions nobody used since ``before`` (they can no longer open anything)."""
    db_session.execute(sa.delete(WebSession).where(WebSession.last_seen_dt < before))


def active_sessions(
    db_session: DbSession, user: User, *, idle: timedelta, absolute: timedelta
) -> list[WebSession]:
    """Her sessions that have not ended or run out, most recently used first."""
    now = utcnow()
    return list(
        db_session.scalars(
            sa.select(WebSession)
            .where(
                WebSession.user_id == user.id,
                WebSession.last_seen_dt >= now - idle,
                WebSession.created_dt >= now - absolute,
            )
            .order_by(WebSession.last_seen_dt.desc())
        )
    )


def regenerate_feed_token(user: User) -> str:
    """A new secret for her calendar feed; the old address stops working at once."""
    user.feed_token = secrets.token_urlsafe(32)
    return user.feed_token


def staff_with_role(db_session: DbSession, role: str) -> list[User]:
    """Enabled staff holding ``role``, by name."""
    return list(
        db_session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(UserRole.role == role, User.is_enabled.is_(True))
            .order_by(User.name)
        )
    )


def audit(
    db_session: DbSession,
    actor: User | None,
    action: str,
    obj: object | None,
    *,
    participant_code: str | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one audit entry for ``actor`` (None: the system) doing ``action`` on ``obj``."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        participant_code=participant_code,
        detail=detail[:500],
    )
    if actor is None:
        # NEN 7513 asks where a staff member looked from; the system, or a partner filling in
        # the public referral form, leaves no address or browser behind.
        entry.address = entry.user_agent = ""
    db_session.add(entry)
    return entry


def audit_participants_seen(
    db_session: DbSession, actor: User, action: str, participants: Sequence
) -> None:
    """One audit entry per participant shown on a list page (one INSERT for all).

    What every entry shares (who, when, from where) is worked out once, not per row."""
    if not participants:
        return
    address, agent = audit_source.get()
    shared = {
        "created_dt": utcnow(),
        "actor_id": actor.id,
        "action": action,
        "object_type": "Participant",
        "detail": "",
        "address": address,
        "user_agent": agent,
    }
    # the plain table: the ORM's bulk machinery costs more than the rows (one executemany)
    db_session.execute(
        sa.insert(cast(sa.Table, AuditEntry.__table__)),
        [shared | {"object_id": p.id, "participant_code": p.code} for p in participants],
    )
