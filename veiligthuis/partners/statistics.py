"""Statistics per partner for the yearly report: anonymous counts, small ones suppressed."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from veiligthuis.groups.models import Participant
from veiligthuis.models import DbSession
from veiligthuis.partners.models import Partner, PartnerReferral, ReferralStatus

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
