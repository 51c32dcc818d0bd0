"""Staff accounts, passwords and the audit log."""

import re
import secrets
from datetime import date, timedelta

import pyotp
import sqlalchemy as sa
import sqlalchemy.orm as so
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from veiligthuis.auth.models import ROLES, AuditEntry, FailedLogin, Leave, User, UserRole
from veiligthuis.models import DomainError, utcnow

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


def find_user_by_email(db_session: so.Session, email: str) -> User | None:
    """The account with this e-mail address (case-insensitive), or None."""
    return db_session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))


MAX_FAILED_LOGINS = 10
FAILED_LOGIN_WINDOW = timedelta(minutes=15)


def authenticate(db_session: so.Session, email: str, password: str) -> User | None:
    """The enabled account matching these credentials, or None.

    After MAX_FAILED_LOGINS failures for one address within FAILED_LOGIN_WINDOW, even the
    right password is refused until the window has passed.
    """
    email = email.strip().lower()[:254]
    db_session.execute(
        sa.delete(FailedLogin).where(FailedLogin.created_dt < utcnow() - FAILED_LOGIN_WINDOW)
    )
    if is_locked_out(db_session, email):
        raise DomainError(
            "Te veel mislukte pogingen voor dit e-mailadres. Probeer het over een kwartier opnieuw."
        )
    user = find_user_by_email(db_session, email)
    if user is None:
        _hasher.hash(password)  # spend the same time as a real check
    elif user.is_enabled and check_password(user, password):
        if user.totp_secret is None:  # with two steps, the code step clears the failures
            db_session.execute(sa.delete(FailedLogin).where(FailedLogin.email == email))
        return user
    db_session.add(FailedLogin(email=email))
    db_session.flush()
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
    own = [
        part for part in (name, email, local, *re.split(r"[\s._+-]+", f"{name} {local}")) if part
    ]
    lowered = password.lower()
    if any(len(part) >= 4 and part.lower() in lowered for part in own) or (
        zxcvbn(password, user_inputs=[part.lower() for part in own])["score"] < MIN_PASSWORD_SCORE
    ):
        raise DomainError(
            "Dit wachtwoord is te makkelijk te raden: het is veelgebruikt, een patroon, of lijkt "
            "op uw naam of e-mailadres. Kies bijvoorbeeld een zin van een paar woorden.",
            field,
        )


def create_user(
    db_session: so.Session, *, email: str, name: str, password: str, roles: set[str] | list[str]
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
    user: User, *, name: str, roles: set[str] | list[str], is_enabled: bool, password: str = ""
) -> None:
    """Change a staff account; an empty password keeps the old one."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise DomainError("Kies minstens één geldige rol.", "roles")
    if password:
        validate_password(password, name=name or user.name, email=user.email)
        user.password_hash = hash_password(password)
    user.name = name.strip() or user.email
    user.is_enabled = is_enabled
    wanted = set(roles)
    user.role_rows = [row for row in user.role_rows if row.role in wanted] + [
        UserRole(role=role) for role in sorted(wanted - user.roles)
    ]


def add_leave(db_session: so.Session, user: User, start: date, end: date, reason: str) -> Leave:
    """Register leave for a staff member."""
    if end < start:
        raise DomainError("De einddatum ligt voor de begindatum.", "end_date")
    leave = Leave(user=user, start_date=start, end_date=end, reason=reason.strip() or "Verlof")
    db_session.add(leave)
    db_session.flush()
    return leave


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


def enable_two_factor(user: User, secret: str, code: str) -> None:
    """Switch two-step login on once she proved her app shows the right code."""
    step = _matching_step(secret, code, None)
    if step is None:
        raise DomainError("Deze code klopt niet. Kijk in de app en probeer het opnieuw.", "code")
    user.totp_secret = secret
    user.totp_last_step = step


def disable_two_factor(user: User) -> None:
    """Switch two-step login off."""
    user.totp_secret = None
    user.totp_last_step = None


def verify_two_factor(db_session: so.Session, user: User, code: str) -> bool:
    """Whether ``code`` is her current code; a wrong code counts as a failed login."""
    step = _matching_step(user.totp_secret or "", code, user.totp_last_step)
    if step is None:
        db_session.add(FailedLogin(email=user.email))
        db_session.flush()
        return False
    user.totp_last_step = step
    db_session.execute(sa.delete(FailedLogin).where(FailedLogin.email == user.email))
    return True


def is_locked_out(db_session: so.Session, email: str) -> bool:
    """Whether this address had too many failures lately."""
    since = utcnow() - FAILED_LOGIN_WINDOW
    failures = db_session.scalar(
        sa.select(sa.func.count())
        .select_from(FailedLogin)
        .where(FailedLogin.email == email.lower(), FailedLogin.created_dt >= since)
    )
    return failures >= MAX_FAILED_LOGINS


def change_password(user: User, current: str, new: str) -> None:
    """Change her own password; she proves she knows the current one."""
    if not check_password(user, current):
        raise DomainError("Het huidige wachtwoord klopt niet.", "current_password")
    validate_password(new, name=user.name, email=user.email, field="new_password")
    user.password_hash = hash_password(new)


def regenerate_feed_token(user: User) -> str:
    """A new secret for her calendar feed; the old address stops working at once."""
    user.feed_token = secrets.token_urlsafe(32)
    return user.feed_token


def staff_with_role(db_session: so.Session, role: str) -> list[User]:
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
    db_session: so.Session,
    actor: User | None,
    action: str,
    obj: object,
    *,
    participant_code: str | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one audit entry for ``actor`` doing ``action`` on ``obj``."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        participant_code=participant_code,
        detail=detail[:500],
    )
    db_session.add(entry)
    return entry


def audit_participants_seen(
    db_session: so.Session, actor: User, action: str, participants: list
) -> None:
    """One audit entry per participant shown on a list page (one INSERT for all)."""
    if not participants:
        return
    db_session.execute(
        sa.insert(AuditEntry),
        [
            {
                "actor_id": actor.id,
                "action": action,
                "object_type": "Participant",
                "object_id": p.id,
                "participant_code": p.code,
                "detail": "",
            }
            for p in participants
        ],
    )
