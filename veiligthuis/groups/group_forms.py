"""The forms of a group's page for those who may edit it, kept until anything in the database
changes.

What they show follows from the group, from whether she may start it with fewer women than
the minimum (a coordinator may), and from how many of its meetings are still to come (which
the clock changes without a write): that is the key. Her CSRF token is put in on every view.
A refused form is shown with its messages and what she typed, rendered apart."""

from flask import render_template
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from veiligthuis import permissions
from veiligthuis.auth.models import User
from veiligthuis.groups.facts import GroupFacts
from veiligthuis.groups.forms import FinishGroupForm, GroupDetailsForm, StartGroupForm
from veiligthuis.groups.models import GroupStatus
from veiligthuis.models import utcnow
from veiligthuis.web import Around, kept_fragment, load_group


def render_group_forms(
    facts: GroupFacts, user: User, counts: dict[str, int], refused: FlaskForm | None = None
) -> Markup:
    """Start or finish the group, open it again, and its details; ``refused`` (one of these
    forms, bound to what she sent) in place of its fresh twin."""
    can_override = permissions.can_override_minimum(user)
    now = utcnow()
    to_go = sum(1 for meeting in facts.active_sessions if meeting.end_dt > now)

    def render(csrf: str) -> str:
        group = load_group(facts.id, around=Around.NOBODY)
        forms = {
            "start_form": StartGroupForm() if group.status == GroupStatus.PLANNED else None,
            "finish_form": FinishGroupForm() if group.status == GroupStatus.RUNNING else None,
            "details_form": GroupDetailsForm(formdata=None, obj=group),
        }
        for name, form in forms.items():
            if refused is not None and type(refused) is type(form):
                forms[name] = refused
        return render_template(
            "groups/_group_forms.html",
            group=group,
            counts=counts,
            min_participants=facts.min_participants,
            can_override=can_override,
            to_go=to_go,
            csrf=csrf,
            **forms,
        )

    if refused is not None:
        return Markup(render(generate_csrf()))
    return kept_fragment("group forms", (facts.id, can_override, to_go), render)
