"""``/gezond``: whether this app server can reach its database, and nothing more."""

import sqlalchemy as sa
from flask import Blueprint

from veiligthuis.extensions import db

bp = Blueprint("health", __name__)


@bp.route("/gezond")
def health():
    """200 ``ok`` when the database answers; 503 otherwise. No version, no names, no detail."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "niet gezond\n", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
