"""Commands: documents warm (run daily, early, e.g. from cron before the working day starts).

WeasyPrint needs 1.5-2 s for the 23 pages of a draaiboek; the content-keyed cache
(``veiligthuis.pdf``) answers a repeat in a fraction of that. Rendering the draaiboek of every
group that meets soon, before anyone asks, means the facilitator who prints it before her
meeting gets the cached copy. The cover shows the date, so an entry made today serves today.
"""

from datetime import timedelta

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from veiligthuis.extensions import db
from veiligthuis.groups.models import Group, GroupStatus
from veiligthuis.models import DbSession, utcnow
from veiligthuis.sessions.models import GroupSession, SessionStatus
from veiligthuis.wording import plural

documents_cli = AppGroup("documents", help="Documenten: draaiboeken alvast klaarzetten.")

#: groups meeting within this many days get their draaiboek rendered ahead
DEFAULT_DAYS = 7


def register(app: Flask) -> None:
    """Attach the commands to ``app``."""
    app.cli.add_command(documents_cli)


def groups_meeting_soon(db_session: DbSession, days: int) -> list[Group]:
    """Planned and running groups with a meeting that is not cancelled in the next ``days``."""
    now = utcnow()
    soon = (
        sa.select(GroupSession.group_id)
        .where(
            GroupSession.status != SessionStatus.CANCELLED,
            GroupSession.start_dt >= now,
            GroupSession.start_dt < now + timedelta(days=days),
        )
        .distinct()
    )
    return list(
        db_session.scalars(
            sa.select(Group)
            .where(Group.id.in_(soon), Group.status.in_([GroupStatus.PLANNED, GroupStatus.RUNNING]))
            .order_by(Group.id)
        )
    )


def warm_draaiboeks(db_session: DbSession, days: int = DEFAULT_DAYS) -> int:
    """Render (or find in the cache) the draaiboek of every group meeting soon; how many."""
    from veiligthuis.groups.documents import draaiboek_pdf
    from veiligthuis.sessions.service import load_methodiek_versions

    groups = groups_meeting_soon(db_session, days)
    for group in groups:
        load_methodiek_versions(db_session, group)
        # the same builder as the download, so the same HTML and so the same cache key
        with current_app.test_request_context():
            draaiboek_pdf(group)
    return len(groups)


@documents_cli.command("warm")
@click.option(
    "--days",
    default=DEFAULT_DAYS,
    show_default=True,
    help="Groepen die binnen zoveel dagen bijeenkomen.",
)
@with_appcontext
def warm(days: int) -> None:
    """Put the draaiboek of every group that meets soon in the PDF cache."""
    if not current_app.config.get("PDF_CACHE_FOLDER"):
        raise click.ClickException(
            "PDF_CACHE_FOLDER is niet ingesteld: er is geen cache om te vullen."
        )
    count = warm_draaiboeks(db.session, days)
    click.echo(f"{plural(count, 'draaiboek', 'draaiboeken')} klaargezet.")
