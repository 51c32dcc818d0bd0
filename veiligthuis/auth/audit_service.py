"""Reading the audit log: filters, pages, the participant's overview, and its retention term."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import AuditEntry, User
from veiligthuis.auth.service import audit
from veiligthuis.models import DbSession, rowcount

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAGE_SIZE = 100


@dataclass
class AuditFilter:
    """What a coordinator asks of the log; empty fields do not filter."""

    code: str = ""
    actor_id: int | None = None
    start: date | None = None
    end: date | None = None

    def where(self) -> list:
        """The SQL conditions for this filter (dates are whole days in Europe/Amsterdam)."""
        conditions = []
        if self.code:
            conditions.append(AuditEntry.participant_code == self.code)
        if self.actor_id is not None:
            conditions.append(AuditEntry.actor_id == self.actor_id)
        if self.start is not None:
            conditions.append(AuditEntry.created_dt >= _day_start(self.start))
        if self.end is not None:
            conditions.append(AuditEntry.created_dt < _day_start(self.end + timedelta(days=1)))
        return conditions


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)


def entries_page(
    db_session: DbSession, flt: AuditFilter, page: int
) -> tuple[list[AuditEntry], int]:
    """One page of entries, newest first, and the number of pages."""
    total = db_session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(*flt.where())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    entries = db_session.scalars(
        sa.select(AuditEntry)
        .where(*flt.where())
        .options(so.joinedload(AuditEntry.actor))
        .order_by(AuditEntry.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(entries), pages


def all_entries(db_session: DbSession, flt: AuditFilter) -> list[AuditEntry]:
    """Every entry the filter selects, oldest first (for the export and the overview)."""
    return list(
        db_session.scalars(
            sa.select(AuditEntry)
            .where(*flt.where())
            .options(so.joinedload(AuditEntry.actor))
            .order_by(AuditEntry.id)
        )
    )


def staff_in_log(db_session: DbSession) -> list[User]:
    """Everyone who can be picked in the staff filter, by name."""
    return list(db_session.scalars(sa.select(User).order_by(User.name)))


def purge_audit(db_session: DbSession, now: datetime, years: int) -> int:
    """Remove entries older than the NEN 7513 term of ``years``; the purge itself is audited."""
    cutoff = now - timedelta(days=365 * years + years // 4)
    count = rowcount(
        db_session.execute(
            sa.delete(AuditEntry).where(AuditEntry.created_dt < cutoff),
            execution_options={"audit_purge": True},
        )
    )
    audit(
        db_session,
        None,
        "audit_purge",
        None,
        detail=f"{count} regels, termijn {years} jaar",
    )
    db_session.flush()
    return count
