"""The table of a group's women on its participant list, kept until anything in the database
changes.

The key is the group and the day: her support column says how long ago the last contact was.
The view still writes an audit entry for every woman in the table, kept or not."""

from flask import render_template
from markupsafe import Markup

from veiligthuis.extensions import db
from veiligthuis.groups.facts import GroupFacts
from veiligthuis.groups.models import PARTICIPANT_STATUSES
from veiligthuis.sessions import service as sessions_service
from veiligthuis.sessions.schedule import today_local
from veiligthuis.web import Around, kept_fragment, link_maker, load_group


def render_participant_table(facts: GroupFacts, threshold: int) -> Markup:
    """The women of the group with their attendance, whether they reach the certificate's
    ``threshold``, and their support status. The group with its women and their case workers
    is loaded only to render it."""
    from veiligthuis.support.service import support_overview

    today = today_local()

    def render(_csrf: str) -> str:
        group = load_group(facts.id, around=Around.CASE_WORKERS)
        return render_template(
            "groups/_participant_table.html",
            group=group,
            summaries=sessions_service.attendance_summaries(db.session, group, threshold),
            statuses=PARTICIPANT_STATUSES,
            support=support_overview(db.session, group.participants, today),
            participant_url=link_maker("groups.participant_detail", "group_id", "participant_id"),
        )

    return kept_fragment("participant table", (facts.id, today), render)
