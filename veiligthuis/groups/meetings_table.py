"""The table of meetings on a group's page, kept until anything in the database changes."""

from flask import render_template
from markupsafe import Markup

from veiligthuis.groups.facts import GroupFacts
from veiligthuis.sessions.cancelling import UNDONE_REASON
from veiligthuis.web import Around, attach_meeting_people, kept_fragment, link_maker, load_group


def render_meetings_table(facts: GroupFacts, can_edit: bool) -> Markup:
    """The group page's table of meetings: rendered once per group (and whether she may edit,
    which adds a button to each cancelled meeting), then kept until anything changes. Its
    meetings and their people are loaded only to render it."""

    def render(csrf: str) -> str:
        group = load_group(facts.id, around=Around.MEETINGS)
        attach_meeting_people(group)
        return render_template(
            "groups/_meetings.html",
            group=group,
            can_edit=can_edit,
            undone_reason=UNDONE_REASON,
            meeting_url=link_maker("sessions.session_page", "group_id", "number"),
            csrf=csrf,
        )

    return kept_fragment("meetings table", (facts.id, can_edit), render)
