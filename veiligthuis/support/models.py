"""Parallel individual support: contacts, safety-plan status, referrals and signals.

What a case worker writes here stays with her: facilitators see only whether support is active
and the date of the last contact (see ``service.support_overview``), never a note.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.groups.models import Participant
from veiligthuis.models import Base, UTCDateTime, utcnow
from veiligthuis.sessions.models import GroupSession

CONTACT_KINDS = {
    "conversation": "gesprek",
    "phone": "telefonisch",
    "home_visit": "huisbezoek",
    "referral": "doorverwijzing",
    "consultation": "overleg",
}

SIGNAL_KINDS = {
    "consecutive_absence": "twee keer of vaker achter elkaar afwezig",
    "absence_without_notice": "afwezig zonder bericht",
    "no_contact": "geen individueel contact",
    "care": "zorgsignaal van de begeleiding",
}


class SignalStatus(StrEnum):
    """A signal is new, seen by her case worker, or closed; the values are what is stored."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


SIGNAL_STATUSES: dict[str, str] = {
    SignalStatus.OPEN: "nieuw",
    SignalStatus.ACKNOWLEDGED: "gezien",
    SignalStatus.CLOSED: "afgesloten",
}

CARE_CATEGORIES = {
    "safety": "zorg over veiligheid",
    "children": "kinderen",
    "health": "gezondheid",
    "other": "anders",
}

NOTE_MAX = 500


class SupportContact(Base):
    """One logged contact of the individual support."""

    __tablename__ = "support_contacts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    #: who logged it; kept when she leaves (SET NULL)
    case_worker_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    contact_date: so.Mapped[date]
    #: a key of CONTACT_KINDS
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    minutes: so.Mapped[int | None]
    #: short note for the case worker only; never shown to facilitators
    note: so.Mapped[str] = so.mapped_column(sa.String(NOTE_MAX), default="")
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    participant: so.Mapped[Participant] = so.relationship()
    case_worker: so.Mapped[User | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<SupportContact {self.id} p={self.participant_id} {self.contact_date}>"


class SupportRecord(Base):
    """Per participant: the status of her safety plan (never its content) and her consent."""

    __tablename__ = "support_records"

    participant_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    has_safety_plan: so.Mapped[bool] = so.mapped_column(default=False)
    safety_plan_reviewed_date: so.Mapped[date | None]
    #: she agreed that her own evaluation results may go into the handover (default: no)
    is_evaluation_shared: so.Mapped[bool] = so.mapped_column(default=False)
    updated_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    participant: so.Mapped[Participant] = so.relationship()

    def __repr__(self) -> str:
        return f"<SupportRecord p={self.participant_id} plan={self.has_safety_plan}>"


class ReferralTarget(Base):
    """Where a case worker can refer to; a coordinator maintains the list."""

    __tablename__ = "referral_targets"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)
    #: switched off instead of deleted, so earlier referrals keep their target
    is_active: so.Mapped[bool] = so.mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<ReferralTarget {self.id} {self.name}>"


class Referral(Base):
    """A referral made for a participant, to a target from the fixed list."""

    __tablename__ = "referrals"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    referral_date: so.Mapped[date]
    target_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("referral_targets.id"))
    note: so.Mapped[str] = so.mapped_column(sa.String(NOTE_MAX), default="")
    case_worker_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    target: so.Mapped[ReferralTarget] = so.relationship()
    case_worker: so.Mapped[User | None] = so.relationship()

    def __repr__(self) -> str:
        return f"<Referral {self.id} p={self.participant_id} -> {self.target_id}>"


class SignalLabels:
    """The Dutch labels of a signal's kind, status and category: on the model and on the plain
    rows of the case worker's list alike."""

    if TYPE_CHECKING:
        kind: str
        status: str
        category: str | None

    @property
    def kind_label(self) -> str:
        return SIGNAL_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return SIGNAL_STATUSES.get(self.status, self.status)

    @property
    def category_label(self) -> str:
        return CARE_CATEGORIES.get(self.category or "", "")


class Signal(SignalLabels, Base):
    """A warning for the case worker: computed from attendance or contacts, or filed by a
    facilitator (a care signal, zorgsignaal)."""

    __tablename__ = "signals"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "dedupe_key", name="uq_signals_occurrence"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    #: a key of SIGNAL_KINDS
    kind: so.Mapped[str] = so.mapped_column(sa.String(30))
    #: open, acknowledged or closed
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default=SignalStatus.OPEN, index=True)
    #: one computed signal per occurrence, e.g. "absence_without_notice:<session id>";
    #: None for care signals (each one filed is its own occurrence)
    dedupe_key: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    #: the meeting it concerns (the first of a run of absences, or where it was filed)
    group_session_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("group_sessions.id", ondelete="SET NULL")
    )
    #: a short computed description (which meetings, since when); no free text
    detail: so.Mapped[str] = so.mapped_column(sa.String(250), default="")
    opened_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    acknowledged_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    acknowledged_dt: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    #: None with a closed_dt: closed by the system (e.g. attendance corrected)
    closed_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    closed_dt: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    closing_note: so.Mapped[str] = so.mapped_column(sa.String(NOTE_MAX), default="")
    # Care signals (kind "care") only.
    care_date: so.Mapped[date | None]
    #: a key of CARE_CATEGORIES
    category: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    #: who has been told already (roles or names of colleagues), as the facilitator wrote it
    informed: so.Mapped[str] = so.mapped_column(sa.String(250), default="")
    #: the facilitator's short factual note
    note: so.Mapped[str] = so.mapped_column(sa.String(NOTE_MAX), default="")
    filed_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    participant: so.Mapped[Participant] = so.relationship()
    group_session: so.Mapped[GroupSession | None] = so.relationship()
    acknowledged_by: so.Mapped[User | None] = so.relationship(foreign_keys=[acknowledged_by_id])
    closed_by: so.Mapped[User | None] = so.relationship(foreign_keys=[closed_by_id])
    filed_by: so.Mapped[User | None] = so.relationship(foreign_keys=[filed_by_id])

    @property
    def is_closed(self) -> bool:
        return self.status == SignalStatus.CLOSED

    def __repr__(self) -> str:
        return f"<Signal {self.id} p={self.participant_id} {self.kind} {self.status}>"


class SupportMailPreference(Base):
    """Whether a case worker wants a neutral e-mail when a signal opens (default: no)."""

    __tablename__ = "support_mail_preferences"

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    wants_signal_mail: so.Mapped[bool] = so.mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<SupportMailPreference {self.user_id} {self.wants_signal_mail}>"
