"""The groups list (/groepen), kept until anything in the database changes.

Every coordinator sees the same list, a facilitator her own (her groups, and those she stands
in for, in her programmes): that, the archive year and the status are the key. The list shows
no participant, so a view records nothing."""

from flask import render_template
from markupsafe import Markup

from veiligthuis import changes
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.groups import listing
from veiligthuis.groups.models import GROUP_STATUSES
from veiligthuis.groups.visibility import visible_scope
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
