"""Facts the report keeps of its own: referrers informed about the group, and the count of
partner referrals the retention purge deleted."""

from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.models import Base, TimestampMixin

KIND_MAX = 40
LABEL_MAX = 120
ORGANISATION_MAX = 120
RESPONSE_MAX = 250


class ReferrerContact(TimestampMixin, Base):
    """A referrer from the method's list that was informed about the group, in a month.

    Only the month: a coordinator works through the list once or twice a year, and the report
    compares whole periods. It is about staff work with professionals, never about a woman.
    """

    __tablename__ = "referrer_contacts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: the referrer's ``kind`` in werving/verwijzers.yaml (huisarts, wijkteam, ...)
    referrer_kind: so.Mapped[str] = so.mapped_column(sa.String(KIND_MAX), index=True)
    #: the list's label at the time, so the record still reads if the list changes
    referrer_label: so.Mapped[str] = so.mapped_column(sa.String(LABEL_MAX))
    #: the first day of the month she was informed
    month: so.Mapped[date] = so.mapped_column(index=True)
    #: who informed the referrer (None once that account is deleted)
    contacted_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: which practice or team, and whom there (staff only; never shown in the report)
    organisation: so.Mapped[str] = so.mapped_column(sa.String(ORGANISATION_MAX), default="")
    response: so.Mapped[str] = so.mapped_column(sa.String(RESPONSE_MAX), default="")

    contacted_by = so.relationship("User")

    def __repr__(self) -> str:
        return f"<ReferrerContact {self.id} {self.referrer_kind} {self.month:%Y-%m}>"


class PurgedReferralCount(Base):
    """Partner referrals that never became a participant and were deleted after retention.

    The purge deletes such a referral whole; the report still counts it here, by the partner's
    kind, the month it came in and whether she was reached: nothing else of her is kept.
    """

    __tablename__ = "purged_referral_counts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    partner_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    partner_kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    month: so.Mapped[date] = so.mapped_column(index=True)
    is_reached: so.Mapped[bool]
    count: so.Mapped[int]

    def __repr__(self) -> str:
        return f"<PurgedReferralCount {self.partner_kind} {self.month:%Y-%m} {self.count}>"
