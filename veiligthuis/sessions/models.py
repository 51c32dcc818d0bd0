"""The twelve meetings of a group, attendance and closure periods."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, Location, Participant, Room
from veiligthuis.methodiek.models import MethodiekVersion
from veiligthuis.models import Base, TimestampMixin, UTCDateTime


class SessionStatus(StrEnum):
    """A meeting takes place as planned or is cancelled (and kept for calendars)."""

    PLANNED = "planned"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    """One participant at one meeting; the values are what the database stores."""

    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


ATTENDANCE_STATUSES = {
    AttendanceStatus.PRESENT: "aanwezig",
    AttendanceStatus.EXCUSED: "afwezig met bericht",
    AttendanceStatus.ABSENT: "afwezig zonder bericht",
}


class GroupSession(TimestampMixin, Base):
    __tablename__ = "group_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    group_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    #: 1..12 in time order; None for a cancelled meeting
    number: so.Mapped[int | None]
    start_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    end_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default=SessionStatus.PLANNED)
    cancel_reason: so.Mapped[str | None] = so.mapped_column(sa.String(250))
    #: who leads this meeting and where: the group's at planning time, kept once it is held
    #: (a re-planned group changes only the meetings to come)
    facilitator_a_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    facilitator_b_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    room_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("rooms.id"))
    #: the facilitator replaced for this one meeting, and who replaces her
    substitute_for_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    substitute_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    #: raised on every change, for calendar clients (iCalendar SEQUENCE)
    sequence: so.Mapped[int] = so.mapped_column(default=0)
    #: the methodiek version this meeting is prepared from (a group can move to a newer one)
    methodiek_version_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("methodiek_versions.id")
    )
    #: the facilitators' notes after the meeting
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    #: for a replacement: the cancelled meeting it replaces (its undo cancels this one)
    replaces_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("group_sessions.id", ondelete="SET NULL")
    )

    group: so.Mapped[Group] = so.relationship(back_populates="sessions")
    methodiek_version: so.Mapped[MethodiekVersion | None] = so.relationship()
    facilitator_a: so.Mapped[User] = so.relationship(foreign_keys=[facilitator_a_id])
    facilitator_b: so.Mapped[User] = so.relationship(foreign_keys=[facilitator_b_id])
    room: so.Mapped[Room] = so.relationship()
    substitute_for: so.Mapped[User | None] = so.relationship(foreign_keys=[substitute_for_id])
    substitute: so.Mapped[User | None] = so.relationship(foreign_keys=[substitute_id])
    attendances: so.Mapped[list["Attendance"]] = so.relationship(
        back_populates="group_session", cascade="all, delete-orphan"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def facilitator_ids(self) -> set[int]:
        """This meeting's two facilitators (without a substitute)."""
        return {self.facilitator_a_id, self.facilitator_b_id}

    @property
    def leader_ids(self) -> set[int]:
        """Who actually leads it: the substitute in place of the one she replaces."""
        people = self.facilitator_ids
        if self.substitute_id is not None:
            people = (people - {self.substitute_for_id}) | {self.substitute_id}
        return people

    def assign_people_and_room(self, group: Group) -> None:
        """Give this meeting the group's current facilitators and room."""
        self.facilitator_a_id = group.facilitator_a_id
        self.facilitator_b_id = group.facilitator_b_id
        self.room_id = group.room_id

    def facilitators(self) -> list[User]:
        """Who leads this meeting, the substitute in place of the one she replaces."""
        people = [self.facilitator_a, self.facilitator_b]
        if self.substitute is not None:
            people = [self.substitute if u.id == self.substitute_for_id else u for u in people]
        return people

    def __repr__(self) -> str:
        return f"<GroupSession {self.id} group={self.group_id} #{self.number}>"


class Attendance(Base):
    __tablename__ = "attendances"
    __table_args__ = (
        sa.UniqueConstraint("group_session_id", "participant_id", name="uq_attendances_pair"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    group_session_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("group_sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    #: present, excused (absent with notice) or absent (without notice)
    status: so.Mapped[str] = so.mapped_column(sa.String(10))

    group_session: so.Mapped[GroupSession] = so.relationship(back_populates="attendances")
    participant: so.Mapped[Participant] = so.relationship(back_populates="attendances")

    def __repr__(self) -> str:
        return f"<Attendance s={self.group_session_id} p={self.participant_id} {self.status}>"


class ClosurePeriod(Base):
    """Days without meetings: the organisation's closing days or a location's own."""

    __tablename__ = "closure_periods"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    start_date: so.Mapped[date]
    end_date: so.Mapped[date]
    reason: so.Mapped[str] = so.mapped_column(sa.String(120))
    #: None: the whole organisation is closed
    location_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("locations.id", ondelete="CASCADE")
    )

    location: so.Mapped[Location | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<ClosurePeriod {self.start_date}..{self.end_date} {self.reason}>"
