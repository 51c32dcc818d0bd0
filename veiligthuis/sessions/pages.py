"""The meeting page, for the sessions views and for other areas whose form on it was refused.

The page is one template; what other areas show on it (the preparation plan, evaluations, the
care-signal form) comes from template hooks (``veiligthuis/signals.py``). An area whose form
posted from this page and was refused passes that form back through ``submitted``; every hook
receives it and picks its own.
"""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from veiligthuis import permissions
from veiligthuis.auth.service import staff_with_role
from veiligthuis.extensions import db
from veiligthuis.sessions.forms import (
    CancelForm,
    MoveForm,
    NotesForm,
    SubstituteForm,
    notes_digest,
)
from veiligthuis.sessions.models import ATTENDANCE_STATUSES, Attendance
from veiligthuis.sessions.schedule import to_local


def meeting_forms(group, gs) -> dict:
    """The meeting page's own forms, bound to the request only when it is a POST."""
    move = MoveForm(prefix="move")
    if request.method == "GET":
        local = to_local(gs.start_dt)
        move.new_date.data, move.new_time.data = local.date(), local.time()
    # a substitute works in the group's programme: staff of another see nothing of it
    members = {u.id for u in group.programme.members}
    candidates = [
        u
        for u in staff_with_role(db.session, "facilitator")
        if u.id not in gs.facilitator_ids and (u.id in members or u.has_role("coordinator"))
    ]
    substitute = SubstituteForm(
        prefix="sub", facilitators=[gs.facilitator_a, gs.facilitator_b], candidates=candidates
    )
    if request.method == "GET":
        substitute.replaces.data = gs.substitute_for_id
        substitute.substitute.data = gs.substitute_id or 0
    notes = NotesForm(prefix="notes")
    if request.method == "GET":
        notes.notes.data, notes.seen.data = gs.notes, notes_digest(gs.notes)
    return {
        "move_form": move,
        "cancel_form": CancelForm(prefix="cancel"),
        "substitute_form": substitute,
        "notes_form": notes,
    }


def render_meeting_page(
    group,
    gs,
    *,
    forms: dict | None = None,
    submitted: dict | None = None,
    conflicts=(),
    cancel_conflicts=(),
    status=200,
    tab: str | None = None,
):
    """A meeting page as a response: "prepare" or "manage" (the default after a POST, since
    every form is on the manage page); ``submitted`` holds other areas' refused forms by name."""
    if gs.number is None:
        # A colleague cancelled it after this request loaded it: seen when a refused change
        # rolled back and the meeting is read again. A cancelled meeting has no page.
        number = (request.view_args or {}).get("number", "")
        flash(
            f"Bijeenkomst {number} is intussen door iemand anders geannuleerd. "
            "Er is niets gewijzigd.",
            "error",
        )
        return redirect(url_for("groups.group_detail", group_id=group.id), 303)
    tab = tab or ("manage" if request.method == "POST" else "prepare")
    previous = None
    if gs.number and gs.number > 1:
        previous = next((s for s in group.sessions if s.number == gs.number - 1), None)
    context = {
        "group": group,
        "gs": gs,
        "previous": previous,
        "conflicts": conflicts,
        "cancel_conflicts": cancel_conflicts,
        "can_edit": permissions.can_edit_group(current_user, group),
        "attendance_labels": ATTENDANCE_STATUSES,
        "submitted": submitted or {},
        **(forms if forms is not None else meeting_forms(group, gs)),
    }
    if previous is not None and tab == "prepare":
        context["previous_attendance"] = db.session.scalars(
            sa.select(Attendance).where(Attendance.group_session_id == previous.id)
        ).all()
    template = "sessions/session_manage.html" if tab == "manage" else "sessions/session.html"
    return render_template(template, **context), status
