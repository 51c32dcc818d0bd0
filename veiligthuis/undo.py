"""Undoing a deletion: what was deleted is kept, for a short while, in the staff member's own
session (stored on the server, ended at logout), so she can put back what she removed by
mistake. It never goes into a table of its own: a deleted note leaves the database at her next
request after the undo window, or with her session, as a deletion should.

The service that deletes returns the row's plain values (a snapshot); the view keeps it here
with :func:`remember`, the page lists :func:`pending` with an "Ongedaan maken" button, and the
restore view hands :func:`take`'s snapshot back to the service, which audits the restore.
"""

import secrets
from datetime import datetime, timedelta

from flask import session

from veiligthuis.models import utcnow

#: how long a deletion can be undone
UNDO_MINUTES = 60
#: how many deletions a staff member can undo at once (the most recent)
UNDO_KEEP = 10
_KEY = "undo"


def _fresh(now: datetime) -> list[dict]:
    cutoff = (now - timedelta(minutes=UNDO_MINUTES)).isoformat()
    return [item for item in session.get(_KEY, []) if item["at"] >= cutoff]


def forget_expired() -> None:
    """Drop deletions past the undo window from her session (run before every request), so a
    deleted note is not kept in the sessions table for as long as she stays logged in."""
    kept = session.get(_KEY)
    if not kept:
        return  # also: pages with no session of their own (static, /gezond) are never written
    fresh = _fresh(utcnow())
    if len(fresh) < len(kept):
        if fresh:
            session[_KEY] = fresh
        else:
            session.pop(_KEY)


def remember(kind: str, scope: str, label: str, snapshot: dict) -> None:
    """Keep ``snapshot`` (JSON values) of a deleted ``kind`` shown on page ``scope``."""
    now = utcnow()
    item = {
        "token": secrets.token_urlsafe(12),
        "kind": kind,
        "scope": scope,
        "label": label,
        "snapshot": snapshot,
        "at": now.isoformat(),
    }
    session[_KEY] = [*_fresh(now), item][-UNDO_KEEP:]


def pending(scope: str) -> list[dict]:
    """The deletions on page ``scope`` that can still be undone, newest first."""
    return [item for item in reversed(_fresh(utcnow())) if item["scope"] == scope]


def take(token: str, scope: str) -> dict | None:
    """Remove and return the deletion ``token`` of page ``scope`` (None: gone or expired)."""
    items = _fresh(utcnow())
    found = next((i for i in items if i["token"] == token and i["scope"] == scope), None)
    session[_KEY] = [i for i in items if i is not found]
    return found
