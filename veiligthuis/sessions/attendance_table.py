"""The attendance grid of a group, kept until anything in the database changes."""

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

#: the marks of a group's meetings as plain values: a grid holds a dozen women times a dozen
#: meetings, and an object for each mark cost more than the rest of the page's loading
_MARKS = sa.select(Attendance.participant_id, Attendance.group_session_id, Attendance.status).where(
    Attendance.group_session_id.in_(sa.bindparam("ids", expanding=True))
)


def group_marks(group: Group) -> dict[tuple[int, int], str]:
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
