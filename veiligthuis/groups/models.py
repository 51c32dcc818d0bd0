"""Locations, rooms, groups and participants."""

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.models import Base, TimestampMixin, UTCDateTime

if TYPE_CHECKING:
    from veiligthuis.methodiek.models import MethodiekVersion
    from veiligthuis.programmes.models import Programme
    from veiligthuis.sessions.models import Attendance, GroupSession


class GroupStatus(StrEnum):
    """Where a group stands; the values are what the database stores."""

    PLANNED = "planned"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ParticipantStatus(StrEnum):
    """Where a participant stands in her group; the values are what the database stores."""

    INTAKE = "intake"
    ACTIVE = "active"
    WAITING = "waiting"
    DROPPED_OUT = "dropped_out"
    COMPLETED = "completed"


GROUP_STATUSES = {
    GroupStatus.PLANNED: "in voorbereiding",
    GroupStatus.RUNNING: "loopt",
    GroupStatus.COMPLETED: "afgerond",
    GroupStatus.CANCELLED: "geannuleerd",
}

PARTICIPANT_STATUSES: dict[str, str] = {
    ParticipantStatus.INTAKE: "intake",
    ParticipantStatus.ACTIVE: "actief",
    ParticipantStatus.WAITING: "wachtlijst",
    ParticipantStatus.DROPPED_OUT: "uitgevallen",
    ParticipantStatus.COMPLETED: "afgerond",
}

REFERRAL_SOURCES = {
    "veilig_thuis": "Veilig Thuis",
    "huisarts": "huisarts",
    "wijkteam": "wijkteam",
    "politie": "politie",
    "vertrouwenspersoon": "vertrouwenspersoon",
    "amw": "eigen organisatie (AMW)",
    "vrouwenopvang": "vrouwenopvang",
    "self": "zelf aangemeld",
    "other": "anders",
}

#: the kind of reason for dropping out: counted in the yearly report, kept after retention
DROPOUT_KINDS = {
    "practical": "praktisch (tijd, vervoer, opvang, werk)",
    "health": "gezondheid",
    "safety": "veiligheid thuis",
    "fit": "de groep paste niet bij haar",
    "other_help": "andere hulp nodig of gekregen",
    "moved": "verhuisd",
    "no_contact": "onbekend, geen contact meer",
    "other": "anders",
}

SAFE_CHANNELS = {
    "phone": "bellen",
    "sms": "sms",
    "whatsapp": "WhatsApp",
    "email": "e-mail",
    "via_case_worker": "alleen via de hulpverlener",
    "none": "geen contact buiten de groep",
}

#: the answer key meaning "she chose not to say", counted apart from "not asked" (None)
DECLINED = "declined"

AGE_BANDS = {
    "u25": "jonger dan 25",
    "25_34": "25–34",
    "35_44": "35–44",
    "45_54": "45–54",
    "55p": "55 of ouder",
    "declined": "zegt ze liever niet",
}

VIOLENCE_PHASES = {
    "tension": "spanningsopbouw",
    "incident": "(na) een incident",
    "honeymoon": "goedmaakfase",
    "calm": "rustige periode",
    "left": "relatie beëindigd",
    "unknown": "weet ik niet / zeg ik liever niet",
}

PARTNER_RELATIONS = {
    "together": "samen, samenwonend",
    "together_apart": "samen, niet samenwonend",
    "separating": "in scheiding",
    "ex": "ex-partner",
    "other": "anders",
    "declined": "zegt ze liever niet",
}

CHILDREN = {
    "none": "geen kinderen",
    "at_home": "kinderen thuis",
    "elsewhere": "kinderen (ook) elders",
    "declined": "zegt ze liever niet",
}

ALIAS_MAX = 60


class Location(Base):
    __tablename__ = "locations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)
    #: the venue address; participants only see it where a facilitator released it
    address: so.Mapped[str] = so.mapped_column(sa.String(250), default="")
    #: school-holiday region: noord, midden or zuid
    region: so.Mapped[str] = so.mapped_column(sa.String(10))

    rooms: so.Mapped[list["Room"]] = so.relationship(
        back_populates="location", order_by="Room.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Location {self.id} {self.name}>"


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (sa.UniqueConstraint("location_id", "name", name="uq_rooms_location_name"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    location_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("locations.id", ondelete="CASCADE")
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    capacity: so.Mapped[int] = so.mapped_column(default=14)

    location: so.Mapped[Location] = so.relationship(back_populates="rooms")

    def __repr__(self) -> str:
        return f"<Room {self.id} {self.name}>"


class Group(TimestampMixin, Base):
    __tablename__ = "groups"
    __table_args__ = (
        sa.CheckConstraint("facilitator_a_id <> facilitator_b_id", name="two_facilitators"),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: internal name, staff only
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    #: neutral title for anything a participant sees or receives
    public_title: so.Mapped[str] = so.mapped_column(sa.String(80))
    programme_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("programmes.id"), index=True)
    location_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("locations.id"))
    room_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("rooms.id"))
    weekday: so.Mapped[int]
    start_time: so.Mapped[time]
    first_date: so.Mapped[date]
    facilitator_a_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    facilitator_b_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default=GroupStatus.PLANNED)
    started_dt: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    #: a coordinator's written reason for starting with fewer than six participants
    start_override_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: whether participants may see the venue address (calendar, slips)
    is_venue_released: so.Mapped[bool] = so.mapped_column(default=False)
    #: the methodiek version the group started with; meetings carry their own (see GroupSession)
    methodiek_version_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("methodiek_versions.id")
    )

    programme: so.Mapped["Programme"] = so.relationship()
    location: so.Mapped[Location] = so.relationship()
    room: so.Mapped[Room] = so.relationship()
    methodiek_version: so.Mapped["MethodiekVersion | None"] = so.relationship()
    facilitator_a: so.Mapped[User] = so.relationship(foreign_keys=[facilitator_a_id])
    facilitator_b: so.Mapped[User] = so.relationship(foreign_keys=[facilitator_b_id])
    sessions: so.Mapped[list["GroupSession"]] = so.relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        order_by="GroupSession.start_dt",
    )
    participants: so.Mapped[list["Participant"]] = so.relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Participant.id"
    )

    @property
    def facilitators(self) -> list[User]:
        return [self.facilitator_a, self.facilitator_b]

    @property
    def facilitator_ids(self) -> set[int]:
        return {self.facilitator_a_id, self.facilitator_b_id}

    @property
    def active_sessions(self) -> list["GroupSession"]:
        return [s for s in self.sessions if not s.is_cancelled]

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.name}>"


class Participant(TimestampMixin, Base):
    __tablename__ = "participants"
    __table_args__ = (
        # a case worker's clients in the current groups: found at once among ten years of them
        # (its first column serves every look-up by case worker as well)
        sa.Index("ix_participants_case_worker_id_group_id", "case_worker_id", "group_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    group_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    #: generated, shown instead of her name wherever possible
    code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True)
    #: first name or alias; never a full name, never the (ex-)partner's name
    alias: so.Mapped[str] = so.mapped_column(sa.String(ALIAS_MAX))
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default=ParticipantStatus.INTAKE)
    intake_date: so.Mapped[date | None]
    referral_source: so.Mapped[str | None] = so.mapped_column(sa.String(30))
    dropout_reason: so.Mapped[str | None] = so.mapped_column(sa.String(250))
    #: a key of DROPOUT_KINDS; unlike the reason in her words it stays after retention
    dropout_kind: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    case_worker_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    external_case_worker_name: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    external_case_worker_org: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    #: how to reach the external worker safely
    external_case_worker_contact: so.Mapped[str] = so.mapped_column(sa.String(250), default="")
    # Safe-contact instructions: contact details are optional.
    phone: so.Mapped[str] = so.mapped_column(sa.String(30), default="")
    email: so.Mapped[str] = so.mapped_column(sa.String(254), default="")
    safe_channel: so.Mapped[str] = so.mapped_column(sa.String(20), default="via_case_worker")
    safe_times: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    is_voicemail_ok: so.Mapped[bool] = so.mapped_column(default=False)
    safe_notes: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    # Self-reported, optional diversity data.
    age_band: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    language: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    country_of_birth: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    violence_phase: so.Mapped[str | None] = so.mapped_column(sa.String(12))
    partner_relation: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    children: so.Mapped[str | None] = so.mapped_column(sa.String(12))
    #: set when the retention job removed her personal data
    anonymised_dt: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    #: raised on every change; the ORM adds "AND revision = <old>" to every UPDATE, so a save
    #: that read her record before a colleague's landed fails instead of undoing it
    revision: so.Mapped[int] = so.mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": revision}

    group: so.Mapped[Group] = so.relationship(back_populates="participants")
    case_worker: so.Mapped[User | None] = so.relationship()
    attendances: so.Mapped[list["Attendance"]] = so.relationship(
        back_populates="participant", cascade="all, delete-orphan"
    )

    @property
    def case_worker_label(self) -> str:
        if self.case_worker is not None:
            return self.case_worker.name
        if self.external_case_worker_name:
            org = f" ({self.external_case_worker_org})" if self.external_case_worker_org else ""
            return self.external_case_worker_name + org
        return "—"

    def __repr__(self) -> str:
        return f"<Participant {self.id} {self.code}>"
