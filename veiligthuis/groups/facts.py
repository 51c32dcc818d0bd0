"""What a group's pages need to know of it before anything is rendered, as plain values.

A group's page, attendance grid, participant list and results page show parts that are kept
until anything in the database changes (``veiligthuis.web.kept_fragment``). When those parts
are kept, the view needs only: whether she may see the group, which women it shows (each view
is audited), the values the parts are keyed on, and the few facts the page shows around them.
Loading the group with its meetings and women as ORM objects for that was a fifth to a third
of such a view. The facts are read with three plain statements and kept, like the parts, per
app server until anything changes: they follow from the data alone, and whoever asks is
checked against them on every view (:func:`veiligthuis.web.load_group_facts`).
"""

from dataclasses import dataclass
from datetime import datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis import changes
from veiligthuis.auth.models import User
from veiligthuis.groups.models import Group, Location, Participant, Room
from veiligthuis.models import DbSession
from veiligthuis.programmes.models import Programme
from veiligthuis.sessions.models import GroupSession, SessionStatus


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    id: int
    number: int | None
    start_dt: datetime
    end_dt: datetime
    status: str
    substitute_id: int | None
    methodiek_version_id: int | None

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


@dataclass(frozen=True, slots=True)
class ParticipantFacts:
    id: int
    code: str
    status: str


@dataclass(frozen=True, slots=True)
class Named:
    """A place or a person around the group, as the group page names it."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class GroupFacts:
    """A group as :mod:`veiligthuis.permissions` and the page around its kept parts see it."""

    id: int
    name: str
    public_title: str
    status: str
    programme_id: int
    weekday: int
    start_time: time
    is_venue_released: bool
    start_override_reason: str | None
    facilitator_a: Named
    facilitator_b: Named
    location: Named
    room: Named
    min_participants: int
    max_participants: int
    #: by start, as ``Group.sessions``
    sessions: tuple[MeetingFacts, ...]
    #: by id, as ``Group.participants``
    participants: tuple[ParticipantFacts, ...]

    @property
    def facilitator_a_id(self) -> int:
        return self.facilitator_a.id

    @property
    def facilitator_b_id(self) -> int:
        return self.facilitator_b.id

    @property
    def room_id(self) -> int:
        return self.room.id

    @property
    def facilitator_ids(self) -> set[int]:
        return {self.facilitator_a.id, self.facilitator_b.id}

    @property
    def active_sessions(self) -> list[MeetingFacts]:
        return [s for s in self.sessions if not s.is_cancelled]


_A, _B = so.aliased(User), so.aliased(User)
_GROUP = (
    sa.select(
        Group.id,
        Group.name,
        Group.public_title,
        Group.status,
        Group.programme_id,
        Group.weekday,
        Group.start_time,
        Group.is_venue_released,
        Group.start_override_reason,
        _A.id.label("facilitator_a_id"),
        _A.name.label("facilitator_a_name"),
        _B.id.label("facilitator_b_id"),
        _B.name.label("facilitator_b_name"),
        Location.id.label("location_id"),
        Location.name.label("location_name"),
        Room.id.label("room_id"),
        Room.name.label("room_name"),
        Programme.min_participants,
        Programme.max_participants,
    )
    .join(_A, _A.id == Group.facilitator_a_id)
    .join(_B, _B.id == Group.facilitator_b_id)
    .join(Location, Location.id == Group.location_id)
    .join(Room, Room.id == Group.room_id)
    .join(Programme, Programme.id == Group.programme_id)
    .where(Group.id == sa.bindparam("group_id"))
)
# start and end through their column type: aware UTC times, as on the ORM objects
_MEETINGS = (
    sa.select(
        GroupSession.id,
        GroupSession.number,
        GroupSession.start_dt,
        GroupSession.end_dt,
        GroupSession.status,
        GroupSession.substitute_id,
        GroupSession.methodiek_version_id,
    )
    .where(GroupSession.group_id == sa.bindparam("group_id"))
    .order_by(GroupSession.start_dt, GroupSession.id)
)
_PARTICIPANTS = (
    sa.select(Participant.id, Participant.code, Participant.status)
    .where(Participant.group_id == sa.bindparam("group_id"))
    .order_by(Participant.id)
)
#: the people and places the group page names, each read as an id and a name
_NAMED = ("facilitator_a", "facilitator_b", "location", "room")


def _read(db_session: DbSession, group_id: int) -> GroupFacts | None:
    params = {"group_id": group_id}
    row = db_session.execute(_GROUP, params).first()
    if row is None:
        return None
    values = row._asdict()
    for around in _NAMED:
        values[around] = Named(values.pop(f"{around}_id"), values.pop(f"{around}_name"))
    return GroupFacts(
        **values,
        sessions=tuple(MeetingFacts(*r) for r in db_session.execute(_MEETINGS, params)),
        participants=tuple(ParticipantFacts(*r) for r in db_session.execute(_PARTICIPANTS, params)),
    )


def group_facts(db_session: DbSession, group_id: int) -> GroupFacts | None:
    """The facts of group ``group_id`` (None: there is none), kept until anything changes.

    Nothing in them depends on who asks: the caller checks her access against them."""
    return changes.cached(db_session, "group facts", group_id, lambda: _read(db_session, group_id))
