"""The personal subscription feed (/agenda/<token>.ics), kept ready while nothing in it changed.

Every subscribed calendar polls the feed each hour, and building it (loading the meetings with
their group, place, people and plan titles, then icalendar serialising them) costs many times
a plain page. So each app process keeps the serialised feed in memory under a fingerprint of
everything it is made of: one query of plain columns over the same meetings (no ORM objects,
no plan texts), the window and the calendar options. Any change to a meeting, group, venue,
room, person named or plan title gives another fingerprint, so nothing is ever invalidated by
hand. The fingerprint holds the user's id: one person's feed is never served to another.
Kept in memory only (bounded, least recently used first out), never on disk.

The fingerprint itself is kept until anything is committed (``veiligthuis.changes``): a poll
while nothing changed reads her account and the data version, and nothing of the meetings.
"""

import functools
import hashlib
import threading
from collections import OrderedDict
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis import changes
from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, Location, Room
from veiligthuis.methodiek.models import SessionPlan
from veiligthuis.models import DbSession
from veiligthuis.sessions.models import GroupSession

#: raise when the feed's layout changes without a change in the data (a new property)
FORMAT = 1
#: feeds kept per process: a few dozen staff subscribe; each feed is some tens of kB
MAX_ENTRIES = 128


def led_by(user_id: int | sa.BindParameter) -> sa.ColumnElement[bool]:
    """The meetings the user ``user_id`` leads: as facilitator (not replaced) or as substitute."""
    as_facilitator = sa.and_(
        sa.or_(GroupSession.facilitator_a_id == user_id, GroupSession.facilitator_b_id == user_id),
        sa.or_(GroupSession.substitute_for_id.is_(None), GroupSession.substitute_for_id != user_id),
    )
    return sa.or_(GroupSession.substitute_id == user_id, as_facilitator)


@functools.cache
def _fingerprint_query() -> sa.Select:
    # built once: making the aliases and joins costs more than running the query
    people = [so.aliased(User) for _ in range(4)]
    a, b, substitute, replaced = people
    return (
        sa.select(
            GroupSession.id,
            GroupSession.number,
            GroupSession.start_dt,
            GroupSession.end_dt,
            GroupSession.sequence,
            GroupSession.status,
            GroupSession.cancel_reason,
            GroupSession.updated_dt,
            GroupSession.substitute_id,
            GroupSession.substitute_for_id,
            GroupSession.methodiek_version_id,
            Group.id,
            Group.name,
            Group.status,
            Group.updated_dt,
            GroupSession.facilitator_a_id,
            GroupSession.facilitator_b_id,
            GroupSession.room_id,
            Location.name,
            Location.address,
            Room.name,
            SessionPlan.title,
            *(column for person in people for column in (person.name, person.updated_dt)),
        )
        .join(Group, Group.id == GroupSession.group_id)
        # a meeting keeps its own people and room: a held one never follows a change
        .outerjoin(Room, Room.id == GroupSession.room_id)
        .outerjoin(Location, Location.id == Room.location_id)
        .outerjoin(a, a.id == GroupSession.facilitator_a_id)
        .outerjoin(b, b.id == GroupSession.facilitator_b_id)
        .outerjoin(substitute, substitute.id == GroupSession.substitute_id)
        .outerjoin(replaced, replaced.id == GroupSession.substitute_for_id)
        .outerjoin(
            SessionPlan,
            sa.and_(
                SessionPlan.version_id == GroupSession.methodiek_version_id,
                SessionPlan.number == GroupSession.number,
            ),
        )
        .where(
            led_by(sa.bindparam("user_id")),
            GroupSession.start_dt >= sa.bindparam("start", type_=GroupSession.start_dt.type),
            GroupSession.start_dt < sa.bindparam("end", type_=GroupSession.start_dt.type),
        )
        .order_by(GroupSession.id)
    )


def fingerprint(
    db_session: DbSession, user: User, window: tuple[datetime, datetime], options: dict
) -> str:
    """A digest of every value the feed of ``user`` for ``window`` is built from."""
    found = db_session.execute(
        _fingerprint_query(), {"user_id": user.id, "start": window[0], "end": window[1]}
    )
    rows = [tuple(row) for row in found]
    source = (FORMAT, user.id, user.name, user.updated_dt, window, sorted(options.items()), rows)
    return hashlib.sha256(repr(source).encode()).hexdigest()


def current_fingerprint(
    db_session: DbSession, user: User, window: tuple[datetime, datetime], options: dict
) -> str:
    """:func:`fingerprint`, worked out again only after a change was committed."""
    return changes.cached(
        db_session,
        "feed fingerprint",
        (user.id, window, tuple(sorted(options.items()))),
        lambda: fingerprint(db_session, user, window, options),
    )


class FeedCache:
    """Serialised feeds by fingerprint, the least recently used dropped beyond ``size``."""

    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self._entries: OrderedDict[str, tuple[bytes, datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, datetime] | None:
        """The (body, last change) kept under ``key``, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, body: bytes, changed: datetime) -> None:
        """Keep ``body`` under ``key``."""
        with self._lock:
            self._entries[key] = (body, changed)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every feed."""
        with self._lock:
            self._entries.clear()
