"""The attendance grid of a group, kept until anything in the database changes, and what a
saved grid changes when a colleague saved hers in the meantime."""

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup

from veiligthuis.extensions import db
from veiligthuis.groups.facts import GroupFacts
from veiligthuis.groups.models import Group
from veiligthuis.models import utcnow
from veiligthuis.sessions import service
from veiligthuis.sessions.models import ATTENDANCE_STATUSES, Attendance
from veiligthuis.settings import get_setting
from veiligthuis.web import Around, kept_fragment, load_group

#: one cell of the grid: (woman, meeting)
Mark = tuple[int, int]

#: the marks of a group's meetings as plain values: a grid holds a dozen women times a dozen
#: meetings, and an object for each mark cost more than the rest of the page's loading
_MARKS = sa.select(Attendance.participant_id, Attendance.group_session_id, Attendance.status).where(
    Attendance.group_session_id.in_(sa.bindparam("ids", expanding=True))
)


def group_marks(group: Group) -> dict[Mark, str]:
    """Every mark of the group's meetings that were not cancelled, by (woman, meeting)."""
    ids = [s.id for s in group.active_sessions]
    return {(pid, sid): status for pid, sid, status in db.session.execute(_MARKS, {"ids": ids})}


def render_attendance_form(facts: GroupFacts, can_edit: bool) -> Markup:
    """The grid with its explanation and save button: rendered once per group, whether she may
    edit, and which meetings have begun (from its start a meeting's cells can be filled in, and
    that changes with the clock, not with a write); then kept until anything changes. The
    group with its meetings and women is loaded only to render it."""
    now = utcnow()
    started = tuple(s.id for s in facts.active_sessions if s.start_dt <= now)

    def render(csrf: str) -> str:
        group = load_group(facts.id, around=Around.NOBODY)
        meetings = group.active_sessions
        roster = service.attendance_roster(group)
        marks = group_marks(group)
        threshold = get_setting(db.session, "completion_threshold")
        return render_template(
            "sessions/_attendance_form.html",
            roster=roster,
            grid=service.attendance_grid(roster, meetings, marks, can_edit, now),
            sessions=meetings,
            labels=ATTENDANCE_STATUSES,
            # the grid holds every mark the counts are made of
            summaries=service.attendance_summaries(db.session, group, threshold, marks),
            threshold=threshold,
            can_edit=can_edit,
            csrf=csrf,
        )

    return kept_fragment("attendance form", (facts.id, can_edit, started), render)


def merge_marks(
    submitted: dict[Mark, str | None],
    shown: dict[Mark, str | None],
    current: dict[Mark, str],
) -> tuple[dict[Mark, str | None], list[Mark]]:
    """Her changes to the grid, set against what is stored now: (marks to store, conflicts).

    ``submitted`` is the grid as her browser sent it, ``shown`` what each cell held when she
    opened it, ``current`` what is stored now. A cell she left as it was is not written: a
    colleague may have filled it in since. A cell she changed is written, unless a colleague
    changed it meanwhile to something else: then the colleague's mark stays and the cell is
    a conflict. A cell the form did not say it showed counts as changed."""
    changes: dict[Mark, str | None] = {}
    conflicts: list[Mark] = []
    for key, status in submitted.items():
        if key in shown:
            was = shown[key]
            if status == was:
                continue
            if current.get(key) not in (was, status):
                conflicts.append(key)
                continue
        changes[key] = status
    return changes, sorted(conflicts)


_LETTERS = {"present": "A", "excused": "B", "absent": "Z"}


def conflict_message(group: Group, conflicts: list[Mark], stored: dict[Mark, str]) -> str:
    """Which cells a colleague filled in differently while she had the grid open."""
    aliases = {p.id: p.alias for p in group.participants}
    numbers = {s.id: s.number for s in group.active_sessions}
    cells = ", ".join(
        f"{aliases[pid]} bij bijeenkomst {numbers[sid]} "
        f"({_LETTERS.get(stored.get((pid, sid), ''), '–')})"
        for pid, sid in conflicts
    )
    return (
        f"Intussen had een collega ook de presentie ingevuld: {cells}. Dat is blijven staan. "
        "Uw keuze daar is niet opgeslagen; kijk het na en pas het zo nodig aan."
    )
