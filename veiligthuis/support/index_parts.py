"""The parts of the case worker's page that are kept until anything in the database changes:
her page of clients and her open signals, rendered (``veiligthuis.changes``)."""

from datetime import date

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from veiligthuis import changes
from veiligthuis.extensions import db
from veiligthuis.groups.models import GROUP_STATUSES, PARTICIPANT_STATUSES
from veiligthuis.models import utcnow
from veiligthuis.support import service
from veiligthuis.support.models import SignalStatus
from veiligthuis.web import kept_fragment, link_maker


def her_clients(
    today: date, page: int, year: int | None, signals
) -> tuple[service.ClientPage, Markup]:
    """One page of her list and its table, rendered: kept per app server until anything in the
    database changes (veiligthuis.changes) or another meeting starts ("held so far" counts the
    meetings started by now), for her, the day, the page and the year. Every view still
    records each woman on it (audit)."""
    now = utcnow()
    opened = tuple(s.participant_id for s in signals if s.status == SignalStatus.OPEN)
    key = (current_user.id, today, page, year, service.last_meeting_start(db.session, now), opened)

    def work_out() -> tuple[service.ClientPage, Markup]:
        listed = service.client_page(
            db.session, current_user, today, page, year=year, signals=signals, now=now
        )
        table = render_template(
            "support/_clients.html",
            rows=listed.rows,
            statuses=PARTICIPANT_STATUSES,
            group_statuses=GROUP_STATUSES,
            client_url=link_maker("support.client", "participant_id"),
            handover_url=link_maker("support.handover", "participant_id"),
        )
        return listed, Markup(table)

    return changes.cached(db.session, "her clients", key, work_out)


def her_signals(signals) -> Markup:
    """Her open signals' table, rendered once until anything changes (a new, seen or closed
    signal is a change); each view puts her own CSRF token in its "Gezien" buttons."""

    def render(csrf: str) -> str:
        return render_template(
            "support/_signals.html",
            signals=signals,
            csrf=csrf,
            client_url=link_maker("support.client", "participant_id"),
            acknowledge_url=link_maker("support.signal_acknowledge", "signal_id"),
        )

    return kept_fragment("her signals", current_user.id, render)
