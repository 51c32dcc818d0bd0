"""Volunteers, their shifts at meetings, and participants' childcare needs (counts only)."""

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.models import Base, TimestampMixin

if TYPE_CHECKING:
    from veiligthuis.sessions.models import GroupSession


class Task(StrEnum):
    CHILDCARE = "childcare"
    WELCOME = "welcome"
    TRANSPORT = "transport"


TASKS: dict[str, str] = {
    Task.CHILDCARE: "kinderopvang",
    Task.WELCOME: "ontvangst",
    Task.TRANSPORT: "vervoer",
}


class Volunteer(TimestampMixin, Base):
    """What the coordinator records about a volunteer; her account has the role ``volunteer``."""

    __tablename__ = "volunteers"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    has_training: so.Mapped[bool] = so.mapped_column(default=False)
    #: the day the coordinator saw her certificate of conduct (VOG)
    vog_seen_date: so.Mapped[date | None]
    #: the tasks she may do, a list of Task values
    tasks: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    #: SHA-256 of her calendar feed token; the token is shown once
    feed_token_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)

    user: so.Mapped[User] = so.relationship()
    shifts: so.Mapped[list["Shift"]] = so.relationship(
        back_populates="volunteer", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return self.user.name

    def __repr__(self) -> str:
        return f"<Volunteer {self.id} user={self.user_id}>"


class Shift(Base):
    """A volunteer scheduled at one meeting for one task."""

    __tablename__ = "volunteer_shifts"
    __table_args__ = (
        sa.UniqueConstraint("volunteer_id", "group_session_id", name="uq_volunteer_shifts_pair"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    volunteer_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    group_session_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("group_sessions.id", ondelete="CASCADE"), index=True
    )
    task: so.Mapped[str] = so.mapped_column(sa.String(12))

    volunteer: so.Mapped[Volunteer] = so.relationship(back_populates="shifts")
    group_session: so.Mapped["GroupSession"] = so.relationship()

    def __repr__(self) -> str:
        return f"<Shift v={self.volunteer_id} s={self.group_session_id} {self.task}>"


class ChildcareNeed(Base):
    """How many children of a participant need childcare, per age band; never their names."""

    __tablename__ = "childcare_needs"

    participant_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    #: children per age band (partners.models.CHILD_AGE_BANDS), e.g. {"0_1": 1, "4_7": 2}
    children: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)

    @property
    def count(self) -> int:
        return sum(self.children.values())

    def __repr__(self) -> str:
        return f"<ChildcareNeed p={self.participant_id} {self.count}>"
