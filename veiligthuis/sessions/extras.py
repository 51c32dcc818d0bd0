"""What other areas add to a meeting's page (preparation material, evaluations, signals).

Each area contributes a function here so the session view stays one template with one context.
"""

import sqlalchemy.orm as so


def session_page_context(db_session: so.Session, user, group, gs, previous) -> dict:
    """Extra template context for the meeting page."""
    return {}
