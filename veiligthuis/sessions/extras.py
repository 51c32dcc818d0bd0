"""What other areas add to a meeting's page (preparation material, evaluations, signals).

Each area contributes a function here so the session view stays one template with one context.
"""

import sqlalchemy.orm as so


def session_page_context(db_session: so.Session, user, group, gs, previous) -> dict:
    """Extra template context for the meeting page."""
    from veiligthuis.evaluations import service as evaluations
    from veiligthuis.methodiek.meetings import session_preparation
    from veiligthuis.permissions import can_read_methodiek

    context: dict = {
        # The session plan with clock times (templates/sessions/_preparation.html).
        "preparation": (session_preparation(db_session, gs) if can_read_methodiek(user) else None),
        # Filled by the evaluations area: the results of the previous meeting's evaluation.
        "previous_evaluation": evaluations.previous_summary(db_session, previous),
        # This meeting's evaluation rounds and the default number of codes (attendance).
        "session_evaluation": evaluations.meeting_panel(db_session, group, gs),
    }
    from veiligthuis.support.views import session_context as support_context

    # The care-signal form and this meeting's care signals (templates/support/_care_signal.html).
    context.update(support_context(db_session, user, group, gs))
    return context
