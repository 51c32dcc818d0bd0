"""Staff accounts, their roles and leave, browser sessions, and the audit log."""

from contextvars import ContextVar
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from veiligthuis.models import Base, TimestampMixin, UTCDateTime, utcnow

if TYPE_CHECKING:
    from veiligthuis.programmes.models import Programme

ROLES = {
    "coordinator": "coördinator",
    "facilitator": "begeleider",
    "case_worker": "individuele hulpverlener",
    "editor": "methodiekredacteur",
    "volunteer": "vrijwilliger",
}


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    is_enabled: so.Mapped[bool] = so.mapped_column(default=True)
    #: secret for the personal calendar feed (/agenda/<token>.ics); None until she asks for one
    feed_token: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    #: base32 secret for two-step login (TOTP); None when she has not switched it on
    totp_secret: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    #: the last TOTP time step used, so a code cannot be used twice
    totp_last_step: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)

    role_rows: so.Mapped[list["UserRole"]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    #: the programmes she works in; she sees only their groups, participants and method books
    programmes: so.Mapped[list["Programme"]] = so.relationship(
        secondary="programme_members", back_populates="members"
    )
    leaves: so.Mapped[list["Leave"]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Leave.start_date"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        """Whether she holds any of ``roles``."""
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot log in
        return self.is_enabled

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: so.Mapped[str] = so.mapped_column(sa.String(20), primary_key=True)

    user: so.Mapped[User] = so.relationship(back_populates="role_rows")

    def __repr__(self) -> str:
        return f"<UserRole {self.user_id} {self.role}>"


class Leave(Base):
    """A staff member's registered leave; sessions in it are reported as conflicts."""

    __tablename__ = "leaves"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    start_date: so.Mapped[date]
    end_date: so.Mapped[date]
    reason: so.Mapped[str] = so.mapped_column(sa.String(120), default="Verlof")

    user: so.Mapped[User] = so.relationship(back_populates="leaves")

    def __repr__(self) -> str:
        return f"<Leave {self.user_id} {self.start_date}..{self.end_date}>"


#: (client address, user agent) of the request being handled; the web layer sets it, so that
#: every audit entry records where it came from without services knowing about requests.
audit_source: ContextVar[tuple[str, str]] = ContextVar("audit_source", default=("", ""))


def _source_address() -> str:
    return audit_source.get()[0]


def _source_agent() -> str:
    return audit_source.get()[1]


class AuditEntry(Base):
    """One look at or change of a participant record (or another sensitive action).

    NEN 7513: who (actor), which participant (code), what (action), when, and from where
    (address and user agent). Entries are append-only from the app: see ``auth.guards``.
    """

    __tablename__ = "audit_log"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: what happened: "view", "create", "update", "attendance", "list", ...
    action: so.Mapped[str] = so.mapped_column(sa.String(40))
    #: the participant's generated code, never her alias
    participant_code: so.Mapped[str | None] = so.mapped_column(sa.String(16), index=True)
    object_type: so.Mapped[str] = so.mapped_column(sa.String(40))
    object_id: so.Mapped[int | None]
    detail: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    #: the client address (behind the trusted proxies), "" for the command line
    address: so.Mapped[str] = so.mapped_column(sa.String(45), default=_source_address)
    user_agent: so.Mapped[str] = so.mapped_column(sa.String(255), default=_source_agent)

    actor: so.Mapped[User | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.object_type}:{self.object_id}>"


class FailedLogin(Base):
    """A failed login, kept briefly to slow down password guessing (see ``auth.throttle``)."""

    __tablename__ = "failed_logins"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: the e-mail address tried, lower-cased (it may belong to no account)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), index=True)
    #: the client address the attempt came from
    address: so.Mapped[str] = so.mapped_column(sa.String(45), default="", index=True)
    #: the known-device cookie's id when the attempt came from a browser she logged in with
    device: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<FailedLogin {self.email}>"


class WebSession(Base):
    """A browser session kept on the server; the cookie holds only a random id.

    Staff and participants alike (a participant's session holds her form's CSRF token). Ending
    a row ends the session: the cookie then opens nothing.
    """

    __tablename__ = "web_sessions"

    #: SHA-256 of the cookie's value: a copy of this table opens no session
    id_hash: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    data: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_seen_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    address: so.Mapped[str] = so.mapped_column(sa.String(45), default="")
    user_agent: so.Mapped[str] = so.mapped_column(sa.String(255), default="")

    def __repr__(self) -> str:
        return f"<WebSession {self.id_hash[:8]} user={self.user_id}>"


class RecoveryCode(Base):
    """A single-use code that replaces the authenticator app once (she lost her phone)."""

    __tablename__ = "recovery_codes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the code (the codes are random, 50 bits: no slow hash needed)
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(64))

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.user_id}>"
