"""Staff accounts, their roles and leave, and the audit log."""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from veiligthuis.models import Base, TimestampMixin, UTCDateTime, utcnow

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


class AuditEntry(Base):
    """One look at or change of a participant record (or another sensitive action)."""

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

    actor: so.Mapped[User | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.object_type}:{self.object_id}>"


class FailedLogin(Base):
    """A failed login, kept briefly to slow down password guessing."""

    __tablename__ = "failed_logins"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: the e-mail address tried, lower-cased (it may belong to no account)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), index=True)
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<FailedLogin {self.email}>"
