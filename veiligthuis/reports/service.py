"""The yearly report: reach, participation, outcomes and what the support beside the group did.

Anonymous by construction: every figure is a count or a mean over at least five women, built
from aggregate queries (GROUP BY) over the groups that started in the period; no name, alias,
code or date finer than the month is read into it. Small figures are hidden in every table
together (``suppression.suppress``), so page, CSV and PDF show exactly the same.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from veiligthuis.groups.models import Group, Location
from veiligthuis.models import DbSession
from veiligthuis.reports import outcomes, recruitment, tables
from veiligthuis.reports.evaluation_data import evaluation_facts
from veiligthuis.reports.suppression import Table, suppress
from veiligthuis.settings import get_setting

#: groups that never ran are left out; planned ones count for reach (referrals, waiting list)
INCLUDED_STATUSES = ("planned", "running", "completed")
COMPARE_CHOICES = {
    "": "niet vergelijken",
    "jaar": "jaren naast elkaar",
    "locatie": "locaties naast elkaar",
}


@dataclass
class ReportFilter:
    """Which groups: started in ``year_from``..``year_to``, at these locations (None: all)."""

    year_from: int
    year_to: int
    location_ids: list[int] | None = None
    compare: str = ""
    #: one programme's groups only; None: every programme (only anonymous counts are summed)
    programme_id: int | None = None


@dataclass
class IncludedGroup:
    """A group as the report names it: its location and the month it started, never its name."""

    id: int
    location: str
    month: date
    column: int


@dataclass
class Report:
    filter: ReportFilter
    columns: list[str]
    groups: list[IncludedGroup]
    sections: list[tuple[str, list[Table]]] = field(default_factory=list)
    threshold: int = 9

    @property
    def tables(self) -> list[Table]:
        return [t for _title, section in self.sections for t in section]


def locations(db_session: DbSession) -> list[sa.Row[Any]]:
    """Every location (id, name), by name."""
    return list(db_session.execute(sa.select(Location.id, Location.name).order_by(Location.name)))


def _included_groups(db_session: DbSession, flt: ReportFilter) -> list[sa.Row[Any]]:
    query = (
        sa.select(Group.id, Group.location_id, Location.name, Group.first_date)
        .join(Location, Location.id == Group.location_id)
        .where(
            Group.status.in_(INCLUDED_STATUSES),
            Group.first_date >= date(flt.year_from, 1, 1),
            Group.first_date <= date(flt.year_to, 12, 31),
        )
        .order_by(Group.first_date, Group.id)
    )
    if flt.location_ids:
        query = query.where(Group.location_id.in_(flt.location_ids))
    if flt.programme_id:
        query = query.where(Group.programme_id == flt.programme_id)
    return list(db_session.execute(query))


def _columns(flt: ReportFilter, rows: list[sa.Row[Any]]) -> tuple[list[str], dict, Any, dict]:
    """Column labels (the last is the total), each group's column, and the same split in SQL:
    an expression over ``Group`` with the column of each of its values."""
    if flt.compare == "jaar":
        keys: list = list(range(flt.year_from, flt.year_to + 1))
        labels = [str(y) for y in keys]
        expression: Any = sa.extract("year", Group.first_date)

        def key_of(row):
            return row.first_date.year
    elif flt.compare == "locatie":
        names = sorted({(row.name, row.location_id) for row in rows})
        keys = [location_id for _name, location_id in names]
        labels = [name for name, _id in names]
        expression = Group.location_id

        def key_of(row):
            return row.location_id
    else:
        return ["totaal"], {row.id: 0 for row in rows}, None, {}
    index = {k: i for i, k in enumerate(keys)}
    return labels + ["totaal"], {row.id: index[key_of(row)] for row in rows}, expression, index


def build_report(db_session: DbSession, flt: ReportFilter) -> Report:
    """The report over the groups ``flt`` selects, in a fixed number of queries."""
    rows = _included_groups(db_session, flt)
    columns, column_of, column_key, column_of_key = _columns(flt, rows)
    threshold = get_setting(db_session, "completion_threshold")
    layout = tables.Layout(columns, column_of, column_key, column_of_key)
    people = tables.participant_facts(db_session, layout)
    reach = tables.reach_tables(layout, people)
    participation = [
        tables.attendance_table(db_session, layout, reach.starts),
        *tables.participation_tables(layout, people, threshold, reach.starts),
    ]
    results = outcomes.outcome_tables(layout, evaluation_facts(db_session, layout))
    beyond = tables.support_tables(db_session, layout, people, reach.starts)
    sources = next(t for t in reach.tables if t.key == "referral_source")
    recruiting = recruitment.recruitment_tables(db_session, flt, sources)
    report = Report(
        filter=flt,
        columns=columns,
        groups=[
            IncludedGroup(row.id, row.name, row.first_date.replace(day=1), column_of[row.id])
            for row in rows
        ],
        sections=[
            ("Bereik", reach.tables),
            ("Deelname", participation),
            ("Uitkomsten", results),
            ("Naast de groep", beyond),
            ("Werving en partners", recruiting),
        ],
        threshold=threshold,
    )
    suppress(report.tables)
    return report
