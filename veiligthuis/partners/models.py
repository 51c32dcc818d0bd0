"""Partner organisations, their referral addresses, referrals, and the referral form's limiter."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.models import Base, TimestampMixin, UTCDateTime, utcnow


class PartnerKind(StrEnum):
    CONFIDANTS = "confidants"
    HOUSING = "housing"
    GP = "gp"
    NEIGHBOURHOOD_TEAM = "neighbourhood_team"
    VEILIG_THUIS = "veilig_thuis"
    OTHER = "other"


PARTNER_KINDS = {
    PartnerKind.CONFIDANTS: "vertrouwenspersonenproject",
    PartnerKind.HOUSING: "woningcorporatie",
    PartnerKind.GP: "huisartsenpraktijk",
    PartnerKind.NEIGHBOURHOOD_TEAM: "wijkteam",
    PartnerKind.VEILIG_THUIS: "Veilig Thuis",
    PartnerKind.OTHER: "anders",
}

#: a partner's kind as the participant's referral source (groups.models.REFERRAL_SOURCES)
REFERRAL_SOURCE_OF_KIND: dict[str, str] = {
    PartnerKind.CONFIDANTS: "vertrouwenspersoon",
    PartnerKind.HOUSING: "other",
    PartnerKind.GP: "huisarts",
    PartnerKind.NEIGHBOURHOOD_TEAM: "wijkteam",
    PartnerKind.VEILIG_THUIS: "veilig_thuis",
    PartnerKind.OTHER: "other",
}


class ReferralStatus(StrEnum):
    NEW = "new"
    INTAKE_PLANNED = "intake_planned"
    NOT_REACHED = "not_reached"
    DECLINED = "declined"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    CONVERTED = "converted"


REFERRAL_STATUSES = {
    ReferralStatus.NEW: "nieuw",
    ReferralStatus.INTAKE_PLANNED: "intake gepland",
    ReferralStatus.NOT_REACHED: "niet bereikt",
    ReferralStatus.DECLINED: "afgezien",
    ReferralStatus.REFERRED_ELSEWHERE: "elders verwezen",
    ReferralStatus.CONVERTED: "deelnemer",
}

#: the outcomes a coordinator records after calling her
OUTCOMES = {
    ReferralStatus.INTAKE_PLANNED: "intake gepland",
    ReferralStatus.NOT_REACHED: "niet bereikt na een aantal pogingen",
    ReferralStatus.DECLINED: "afgezien",
    ReferralStatus.REFERRED_ELSEWHERE: "elders verwezen",
}

#: how the partner says she may safely be contacted
REFERRAL_CHANNELS = {
    "phone": "bellen",
    "sms": "sms",
    "whatsapp": "WhatsApp",
    "email": "e-mail",
    "via_partner": "alleen via de verwijzer",
}

#: age bands of her children, for childcare (counts only, never names)
CHILD_AGE_BANDS = {
    "0_1": "0–1 jaar",
    "2_3": "2–3 jaar",
    "4_7": "4–7 jaar",
    "8_12": "8–12 jaar",
}

ALIAS_MAX = 60
NOTE_MAX = 500


class Partner(TimestampMixin, Base):
    """An organisation that refers women to the group."""

    __tablename__ = "partners"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: who to call there about referrals (staff only)
    contact: so.Mapped[str] = so.mapped_column(sa.String(250), default="")
    is_active: so.Mapped[bool] = so.mapped_column(default=True)

    addresses: so.Mapped[list["ReferralAddress"]] = so.relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="ReferralAddress.id"
    )

    @property
    def active_address(self) -> "ReferralAddress | None":
        return next((a for a in self.addresses if a.revoked_dt is None), None)

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.name}>"


class ReferralAddress(Base):
    """A partner's secret referral address; only a hash of its token is kept."""

    __tablename__ = "referral_addresses"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    partner_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the token; the token itself is shown once and never stored
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    revoked_dt: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    partner: so.Mapped[Partner] = so.relationship(back_populates="addresses")

    def __repr__(self) -> str:
        return f"<ReferralAddress {self.id} partner={self.partner_id}>"


class PartnerReferral(Base):
    """A woman referred by a partner, with her consent: only what the partner typed."""

    __tablename__ = "partner_referrals"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: shown to the partner as the confirmation; nothing else goes back
    reference: so.Mapped[str] = so.mapped_column(sa.String(12), unique=True)
    partner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("partners.id"), index=True)
    #: the day only: a time could be matched against the limiter's rows
    received_date: so.Mapped[date] = so.mapped_column(index=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default=ReferralStatus.NEW)
    alias: so.Mapped[str] = so.mapped_column(sa.String(ALIAS_MAX))
    safe_channel: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: the number or address for that channel ("" when only via the partner)
    contact_detail: so.Mapped[str] = so.mapped_column(sa.String(254), default="")
    safe_times: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    is_voicemail_ok: so.Mapped[bool] = so.mapped_column(default=False)
    language: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    needs_interpreter: so.Mapped[bool] = so.mapped_column(default=False)
    has_consent: so.Mapped[bool]
    #: children per age band for childcare, e.g. {"2_3": 1, "4_7": 2}; empty: none needed
    childcare: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    note: so.Mapped[str] = so.mapped_column(sa.String(NOTE_MAX), default="")
    #: calls that did not reach her
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    outcome_date: so.Mapped[date | None]
    outcome_note: so.Mapped[str] = so.mapped_column(sa.String(NOTE_MAX), default="")
    participant_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    #: set when the participant's personal data was anonymised and this copy cleared too
    cleared_dt: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    partner: so.Mapped[Partner] = so.relationship()

    @property
    def children_count(self) -> int:
        return sum(self.childcare.values()) if self.childcare else 0

    def __repr__(self) -> str:
        return f"<PartnerReferral {self.id} {self.reference}>"


class ReferralAttempt(Base):
    """One use of the referral form, counted per token and per client for rate limiting.

    ``bucket`` is a keyed hash ("token:<address id>" or "client:<remote address>"); the
    address itself is never stored, and rows go after an hour.
    """

    __tablename__ = "referral_attempts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    bucket: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    created_dt: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<ReferralAttempt {self.bucket[:8]}>"
