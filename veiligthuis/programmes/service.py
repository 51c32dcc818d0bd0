"""Programmes and who works in which: plain functions, no Flask."""

import sqlalchemy as sa

from veiligthuis.models import DbSession
from veiligthuis.programmes.models import DEFAULT_PROGRAMME, Programme


def default_programme(db_session: DbSession) -> Programme:
    """The women's group programme; made with today's figures if the database has none yet."""
    programme = db_session.scalar(sa.select(Programme).where(Programme.is_default.is_(True)))
    if programme is None:
        programme = next(
            (o for o in db_session.new if isinstance(o, Programme) and o.is_default), None
        )
    if programme is None:
        programme = Programme(**DEFAULT_PROGRAMME, is_default=True)
        db_session.add(programme)
    return programme


def programme_ids_of(user) -> set[int]:
    """The programmes she works in."""
    return {p.id for p in user.programmes}
