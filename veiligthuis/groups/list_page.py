"""The groups list (/groepen) and the dashboard's table of groups, kept until anything in the
database changes.

Every coordinator sees the same groups, a facilitator her own (her groups, and those she stands
in for, in her programmes): that is part of every key, with the archive year and the status for
the list, and each group's next meeting for the dashboard (which the clock moves on without a
write). Neither shows a participant, so a view records nothing."""

from flask import render_template
from markupsafe import Markup

from veiligthuis import changes
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.groups import listing
from veiligthuis.groups.models import GROUP_STATUSES
from veiligthuis.groups.visibility import visible_scope
from veiligthuis.models import utcnow
from veiligthuis.sessions.schedule import WEEKDAYS_NL
from veiligthuis.web import kept_fragment, link_maker


def _scope(user: User) -> tuple[bool, int | None]:
    """Who sees the same list as ``user``: every coordinator one list, a facilitator hers."""
    every, _params = visible_scope(user)
    return (True, None) if every else (False, user.id)


def archive_years(user: User) -> tuple[int, ...]:
    """The archive's years ``user`` sees, newest first."""
    return changes.cached(
        db.session,
        "archive years",
        _scope(user),
        lambda: tuple(listing.archive_years(db.session, user)),
    )


def render_group_table(user: User, year: int | None, status: str) -> Markup:
    """The table of the current groups (``year`` None) or of the archive of ``year``."""

    def render(_csrf: str) -> str:
        return render_template(
            "groups/_list_table.html",
            rows=listing.group_rows(db.session, user, year=year, status=status),
            statuses=GROUP_STATUSES,
            weekdays=WEEKDAYS_NL,
            group_url=link_maker("groups.group_detail", "group_id"),
        )

    return kept_fragment("group list", (_scope(user), year, status), render)


def _current(user: User) -> tuple:
    groups = tuple(listing.current_groups(db.session, user))
    return groups, listing.meetings_of(db.session, [group.id for group in groups])


def render_dashboard_groups(user: User) -> Markup:
    """The dashboard's planned and running groups, each with its next meeting not yet over."""
    groups, meetings = changes.cached(
        db.session, "dashboard groups and meetings", _scope(user), lambda: _current(user)
    )
    now = utcnow()
    upcoming = {}
    for group in groups:
        meeting = listing.next_meeting(meetings.get(group.id, ()), now)
        if meeting is not None:
            upcoming[group.id] = meeting
    following = tuple((group_id, meeting.number) for group_id, meeting in upcoming.items())

    def render(_csrf: str) -> str:
        return render_template(
            "groups/_dashboard_groups.html",
            groups=groups,
            upcoming=upcoming,
            group_url=link_maker("groups.group_detail", "group_id"),
            meeting_url=link_maker("sessions.session_page", "group_id", "number"),
        )

    return kept_fragment("dashboard groups", (_scope(user), following), render)
