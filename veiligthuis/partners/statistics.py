"""Statistics per partner for the yearly report: anonymous counts, small ones suppressed."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from veiligthuis.groups.models import Participant
from veiligthuis.models import DbSession
from veiligthuis.partners.models import PARTNER_KINDS, Partner, PartnerReferral, ReferralStatus
from veiligthuis.reports.models import PurgedReferralCount

#: beyond a single group, smaller counts are not shown (as in reports)
MIN_COUNT = 5


@dataclass
class PartnerStats:
    partner: Partner
    referred: int
    reached: int
    started: int
    completed: int

    def shown(self, name: str) -> str:
        """A count as shown: under five suppressed (zero is not a small group)."""
        value = getattr(self, name)
        return str(value) if value == 0 or value >= MIN_COUNT else "< 5"


REACHED = (
    ReferralStatus.INTAKE_PLANNED,
    ReferralStatus.DECLINED,
    ReferralStatus.REFERRED_ELSEWHERE,
    ReferralStatus.CONVERTED,
)


def partner_statistics(db_session: DbSession, year: int | None = None) -> list[PartnerStats]:
    """Per partner: referrals, reached, started in a group, completed (one query)."""
    started = Participant.status.in_(("active", "completed", "dropped_out"))
    query = (
        sa.select(
            PartnerReferral.partner_id,
            sa.func.count(PartnerReferral.id),
            sa.func.count(PartnerReferral.id).filter(PartnerReferral.status.in_(REACHED)),
            sa.func.count(Participant.id).filter(started),
            sa.func.count(Participant.id).filter(Participant.status == "completed"),
        )
        .outerjoin(Participant, Participant.id == PartnerReferral.participant_id)
        .group_by(PartnerReferral.partner_id)
    )
    if year is not None:
        query = query.where(
            PartnerReferral.received_date >= date(year, 1, 1),
            PartnerReferral.received_date < date(year + 1, 1, 1),
        )
    rows = {row[0]: row[1:] for row in db_session.execute(query)}
    partners = db_session.scalars(sa.select(Partner).order_by(Partner.name)).all()
    return [PartnerStats(p, *rows.get(p.id, (0, 0, 0, 0))) for p in partners]


#: what the yearly report counts per kind of partner, in this order
KIND_COLUMNS = ("aanmeldingen", "bereikt", "gestart", "afgerond")


def _month(day: date) -> date:
    return day.replace(day=1)


def keep_purged_counts(db_session: DbSession, referrals: list[PartnerReferral]) -> None:
    """Before the purge deletes these referrals: count them by partner, kind, month, reached."""
    counts: Counter[tuple[int, str, date, bool]] = Counter(
        (r.partner_id, r.partner.kind, _month(r.received_date), r.status in REACHED)
        for r in referrals
    )
    for (partner_id, kind, month, is_reached), n in counts.items():
        db_session.add(
            PurgedReferralCount(
                partner_id=partner_id,
                partner_kind=kind,
                month=month,
                is_reached=is_reached,
                count=n,
            )
        )


def kind_statistics(db_session: DbSession, year_from: int, year_to: int) -> dict[str, list[int]]:
    """Per partner kind, over referrals received in the period: the ``KIND_COLUMNS`` counts.

    Referrals the purge deleted (never a participant) still count, from their kept tally.
    Two aggregate queries, whatever the number of partners or referrals.
    """
    first, last = date(year_from, 1, 1), date(year_to, 12, 31)
    started = Participant.status.in_(("active", "completed", "dropped_out"))
    per: dict[str, list[int]] = {kind: [0] * len(KIND_COLUMNS) for kind in PARTNER_KINDS}
    live = (
        sa.select(
            Partner.kind,
            sa.func.count(PartnerReferral.id),
            sa.func.count(PartnerReferral.id).filter(PartnerReferral.status.in_(REACHED)),
            sa.func.count(Participant.id).filter(started),
            sa.func.count(Participant.id).filter(Participant.status == "completed"),
        )
        .join(Partner, Partner.id == PartnerReferral.partner_id)
        .outerjoin(Participant, Participant.id == PartnerReferral.participant_id)
        .where(PartnerReferral.received_date.between(first, last))
        .group_by(Partner.kind)
    )
    for kind, *counts in db_session.execute(live):
        row = per.setdefault(kind, [0] * len(KIND_COLUMNS))
        for i, n in enumerate(counts):
            row[i] += n
    purged = (
        sa.select(
            PurgedReferralCount.partner_kind,
            PurgedReferralCount.is_reached,
            sa.func.sum(PurgedReferralCount.count),
        )
        .where(PurgedReferralCount.month.between(first, last))
        .group_by(PurgedReferralCount.partner_kind, PurgedReferralCount.is_reached)
    )
    for kind, is_reached, n in db_session.execute(purged):
        row = per.setdefault(kind, [0] * len(KIND_COLUMNS))
        row[0] += n
        if is_reached:
            row[1] += n
    return per


def partners_per_kind(db_session: DbSession) -> Counter[str]:
    """How many active partner organisations there are of each kind (one query)."""
    return Counter(
        dict(
            db_session.execute(
                sa.select(Partner.kind, sa.func.count())
                .where(Partner.is_active.is_(True))
                .group_by(Partner.kind)
            ).all()
        )
    )
