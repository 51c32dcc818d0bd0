"""What every area's views share: the request lifecycle, load-or-404 helpers, refusals on forms.

The lifecycle follows Indico's request handler: a view never commits. A request that ends
normally is committed once, after the view returned; one that ends in an error page (an
``abort``, a failed commit, an exception) is rolled back. Work that must only happen once the
data is safely stored (mail) is queued with :func:`after_commit` and runs after the commit.
"""

import enum
import functools
from collections.abc import Callable, Hashable
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, abort, flash, g, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from veiligthuis import changes, permissions, undo
from veiligthuis.auth.models import User
from veiligthuis.extensions import db
from veiligthuis.groups.facts import GroupFacts, group_facts
from veiligthuis.groups.models import Group, Participant, Room
from veiligthuis.models import DomainError
from veiligthuis.sessions.models import GroupSession


def init_app(app: Flask) -> None:
    """Commit at the end of every request that did not fail; roll back the others."""
    app.before_request(undo.forget_expired)
    app.after_request(_commit_or_roll_back)
    app.teardown_request(_discard_on_error)


def _commit_or_roll_back(response):
    if response.status_code >= 500 or g.pop("_vt_failed", False):
        db.session.rollback()
        g.pop("_vt_after_commit", None)
        return response
    db.session.commit()
    for callback in g.pop("_vt_after_commit", ()):
        callback()
    return response


def _discard_on_error(error: BaseException | None) -> None:
    if error is not None:
        db.session.rollback()
        g.pop("_vt_after_commit", None)


def mark_failed() -> None:
    """Roll this request back at its end (error pages call this)."""
    g._vt_failed = True


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once this request's changes are committed; never if they are not."""
    g.setdefault("_vt_after_commit", []).append(callback)


def apply_domain_error(form, error: DomainError) -> None:
    """Undo what the refused operation had flushed, and show the refusal at its field.

    Without a field of that name the message goes to the top of the page. The page re-rendered
    after this may still record what it shows (audit entries): those are committed as usual.
    """
    db.session.rollback()
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        if not isinstance(target.errors, list):
            target.errors = list(target.errors)
        target.errors.append(error.message)
    else:
        flash(error.message, "error")


def link_maker(endpoint: str, *keys: str) -> Callable[..., str]:
    """A function from ids (one per key, in order) to the address of ``endpoint``, built with
    one ``url_for``: a list links to dozens of groups or clients, and each ``url_for`` costs
    more than a query. Every id goes in as a whole number."""
    markers = [f"{9876543210 + index}" for index in range(len(keys))]
    values: dict[str, Any] = {key: int(m) for key, m in zip(keys, markers, strict=True)}
    address = url_for(endpoint, **values)
    pattern = address.replace("{", "{{").replace("}", "}}")
    for index, marker in enumerate(markers):
        pattern = pattern.replace(marker, f"{{{index}}}")
    return lambda *ids: pattern.format(*map(int, ids))


class Around(enum.Enum):
    """Which of the people and rooms around a group load with it; the rest load if touched."""

    #: a meeting's page: facilitators, substitutes, rooms, case workers
    EVERYONE = "everyone"
    #: the group page: its facilitators and place; the meetings' people and rooms only when its
    #: table of meetings is worked out (:func:`attach_meeting_people`); no case workers
    MEETINGS = "meetings"
    #: the participant list: each woman's case worker, nothing of the meetings
    CASE_WORKERS = "case workers"
    #: results and attendance grid, which name nobody around the group, nor its place
    NOBODY = "nobody"


@functools.cache
def _group_query(around: Around) -> sa.Select:
    """The statement :func:`load_group` runs, built once per process for each ``around``.

    Built once and reused, SQLAlchemy works out its cache key (a walk over every loader
    option) a single time instead of on every request; the group's id is a bound parameter.
    Its meetings and women follow in :func:`_attach_collections`.
    """
    options = []
    if around is not Around.NOBODY:
        options += [
            so.joinedload(Group.location),
            so.joinedload(Group.room),
            so.joinedload(Group.programme),
        ]
    if around in (Around.EVERYONE, Around.MEETINGS):
        # each meeting's people and room follow in attach_meeting_people
        options += [
            so.joinedload(Group.facilitator_a).options(_NO_ROLES),
            so.joinedload(Group.facilitator_b).options(_NO_ROLES),
        ]
    return sa.select(Group).where(Group.id == sa.bindparam("group_id")).options(*options)


_SESSIONS = (
    sa.select(GroupSession)
    .where(GroupSession.group_id == sa.bindparam("group_id"))
    .order_by(GroupSession.start_dt)
)


_WITH_CASE_WORKERS = frozenset({Around.EVERYONE, Around.CASE_WORKERS})


@functools.cache
def _participants_query(with_case_workers: bool) -> sa.Select:
    query = sa.select(Participant).where(Participant.group_id == sa.bindparam("group_id"))
    if with_case_workers:
        query = query.options(so.joinedload(Participant.case_worker).options(_NO_ROLES))
    return query.order_by(Participant.id)


def _attach_collections(group: Group, around: Around) -> None:
    """Load the group's meetings and women, each with one plain statement, as its collections.

    What ``selectinload`` does, without its per-request work of building the loading statement
    for the path (a fifth of what loading a group cost). A collection this session already
    holds, perhaps with changes not yet flushed, is left as it is."""
    unloaded = sa.inspect(group).unloaded
    params = {"group_id": group.id}
    set_value = so.attributes.set_committed_value
    wanted = [("participants", _participants_query(around in _WITH_CASE_WORKERS))]
    if around is not Around.CASE_WORKERS:
        # the participant list shows nothing of the meetings: they load only if touched
        wanted.append(("sessions", _SESSIONS))
    for name, query in wanted:
        if name not in unloaded:
            continue
        items = list(db.session.scalars(query, params))
        set_value(group, name, items)
        for item in items:
            set_value(item, "group", group)


# The people around a group are shown by name: their roles load only if asked for.
_NO_ROLES = so.lazyload(User.role_rows)
_USERS = sa.select(User).where(User.id.in_(sa.bindparam("ids", expanding=True))).options(_NO_ROLES)
_ROOMS = (
    sa.select(Room)
    .where(Room.id.in_(sa.bindparam("ids", expanding=True)))
    .options(so.joinedload(Room.location))
)
_MEETING_PEOPLE = ("facilitator_a", "facilitator_b", "substitute", "substitute_for")


def attach_meeting_people(group: Group) -> None:
    """Give every meeting its facilitators, substitute and room without joining them into each
    meeting's row: nearly every meeting has the group's own two and room, which the group
    already holds. Only people and rooms it does not hold are read, one statement each."""
    users = {u.id: u for u in (group.facilitator_a, group.facilitator_b) if u is not None}
    rooms = {group.room_id: group.room}
    meetings = group.sessions
    wanted = {getattr(m, f"{name}_id") for m in meetings for name in _MEETING_PEOPLE}
    wanted -= {None, *users}
    if wanted:
        users.update((u.id, u) for u in db.session.scalars(_USERS, {"ids": sorted(wanted)}))
    wanted_rooms = {m.room_id for m in meetings} - {None, *rooms}
    if wanted_rooms:
        rooms.update((r.id, r) for r in db.session.scalars(_ROOMS, {"ids": sorted(wanted_rooms)}))
    for meeting in meetings:
        for name in _MEETING_PEOPLE:
            so.attributes.set_committed_value(
                meeting, name, users.get(getattr(meeting, f"{name}_id"))
            )
        so.attributes.set_committed_value(meeting, "room", rooms.get(meeting.room_id))


def load_group(group_id: int, *, edit: bool = False, around: Around = Around.EVERYONE) -> Group:
    """The group with its people and meetings, or 404 when she may not see it (403 to edit).

    Pages that name fewer of the people around the group load fewer (``around``): joining
    facilitators, substitutes, case workers and rooms into every meeting's and every woman's
    row is most of what this load costs.
    """
    group = db.session.scalar(_group_query(around), {"group_id": group_id})
    if group is None:
        abort(404)
    # Held until the request ends: the session holds it only weakly, and a part of the page
    # that loads it again must find its collections loaded whenever the collector ran.
    g.setdefault("groups_held", []).append(group)
    _attach_collections(group, around)
    if not permissions.can_view_group(current_user, group):
        abort(404)
    if around is Around.EVERYONE:
        attach_meeting_people(group)
    if edit and not permissions.can_edit_group(current_user, group):
        abort(403)
    return group


def load_group_facts(group_id: int) -> GroupFacts:
    """What a page around kept parts needs of the group (:mod:`veiligthuis.groups.facts`), or
    404 when she may not see it, with the same rule :func:`load_group` applies. Its kept parts
    load the group itself only when they are rendered."""
    facts = group_facts(db.session, group_id)
    if facts is None or not permissions.can_view_group(current_user, facts):
        abort(404)
    return facts


def group_of(group: Group | GroupFacts, around: Around) -> Group:
    """The group itself, loaded (as :func:`load_group` does) when only its facts are at hand:
    a kept part that is rendered after all needs it.

    Loaded once per request: a second part takes the group the first loaded, without the
    statements of loading it again."""
    if isinstance(group, Group):
        return group
    loaded = g.setdefault("loaded_groups", {})
    if (group.id, around) not in loaded:
        loaded[group.id, around] = load_group(group.id, around=around)
    return loaded[group.id, around]


def load_session(group_id: int, number: int, *, edit: bool = False) -> tuple[Group, GroupSession]:
    """The group and its meeting number ``number`` (1..12), or 404."""
    group = load_group(group_id, edit=edit)
    for gs in group.sessions:
        if gs.number == number:
            return group, gs
    abort(404)


#: stands in a kept fragment for her CSRF token, which is hers alone and put in on every view
_CSRF_MARK = "\x00csrf\x00"


def kept_fragment(name: str, key: Hashable, render: Callable[[str], str]) -> Markup:
    """A part of a page rendered by ``render(csrf)`` once, then kept per app server until
    anything in the database changes (:func:`veiligthuis.changes.cached`), under ``key``.

    Its forms may carry ``csrf``: a mark that every view replaces by the viewer's own token.
    Only for parts that follow from the data and ``key`` alone, after the view checked that
    she may see them."""
    kept = changes.cached(db.session, name, key, lambda: render(_CSRF_MARK))
    return Markup(kept.replace(_CSRF_MARK, generate_csrf()))
