"""The table of meetings on a group's page, kept until anything in the database changes."""

from flask import render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from veiligthuis import changes
from veiligthuis.extensions import db
from veiligthuis.groups.models import Group
from veiligthuis.sessions.cancelling import UNDONE_REASON
from veiligthuis.web import attach_meeting_people, link_maker

#: stands in the kept table for her CSRF token, which is hers alone and put in on every view
_CSRF_MARK = "\x00csrf\x00"


def render_meetings_table(group: Group, can_edit: bool) -> Markup:
    """The group page's table of meetings: rendered once per group (and whether she may edit,
    which adds a button to each cancelled meeting), then kept per app server until anything in
    the database changes (veiligthuis.changes). Its people are loaded only to render it."""

    def render() -> str:
        attach_meeting_people(group)
        return render_template(
            "groups/_meetings.html",
            group=group,
            can_edit=can_edit,
            undone_reason=UNDONE_REASON,
            meeting_url=link_maker("sessions.session_page", "group_id", "number"),
            csrf=_CSRF_MARK,
        )

    kept = changes.cached(db.session, "meetings table", (group.id, can_edit), render)
    return Markup(kept.replace(_CSRF_MARK, generate_csrf()))
