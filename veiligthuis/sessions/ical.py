"""Calendars as iCalendar bytes: a group's meetings for staff or for participants, and a
staff member's personal subscription feed.

Pure builders: they read the objects they are given (with their relations loaded) and return
bytes. Each meeting keeps one UID for life and its SEQUENCE (raised by the scheduler on every
move, cancellation and substitution), so a calendar that imports the file again updates the
event instead of adding a second one. A cancelled meeting stays in, as STATUS:CANCELLED, so
calendars remove it from view instead of silently keeping the old date.

The participant calendar is written as if an abuser reads it: the group's neutral public title
only, no description, no organisation, no staff names, no link, the venue address only where a
facilitator released it, CLASS:PRIVATE, and UIDs that do not carry our host name.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar, Event
from icalendar.enums import CLASS, STATUS

from veiligthuis.groups.models import GroupStatus
from veiligthuis.models import utcnow
from veiligthuis.sessions.schedule import TZ, ensure_aware_utc, to_local

if TYPE_CHECKING:
    from veiligthuis.auth.models import User
    from veiligthuis.groups.models import Group
    from veiligthuis.sessions.models import GroupSession

AUDIENCES = ("staff", "participant")
PRODID_STAFF = "-//veiligthuis//Rooster//NL"
#: what a participant's calendar app may show as the file's origin: nothing that names us
PRODID_NEUTRAL = "-//Planning//Agenda//NL"
#: how often a subscribed client should look again (RFC 7986 REFRESH-INTERVAL)
FEED_REFRESH_HOURS = 1
#: the personal feed holds the meetings from this many days back up to FEED_DAYS_AHEAD ahead:
#: enough to look back on recent weeks and plan a year, without ten years of history per poll
FEED_DAYS_BACK = 56
FEED_DAYS_AHEAD = 366


def session_uid(gs: GroupSession, host: str) -> str:
    """The UID of a meeting in staff calendars: ``session-<id>@<host>``, stable for life."""
    return f"session-{gs.id}@{host}"


def participant_uid(kind: str, object_id: int, secret: str) -> str:
    """A UID for a participant's calendar: stable, but naming no host, and keyed with a server
    secret so nobody can test a file against our host name and meeting numbers."""
    digest = hmac.new(secret.encode(), f"participant-{kind}-{object_id}".encode(), "sha256")
    return str(uuid.UUID(bytes=digest.digest()[:16], version=4))


def preparation_url(gs: GroupSession, base_url: str) -> str:
    """The meeting's preparation page (the group page for a cancelled meeting)."""
    root = base_url.rstrip("/")
    if gs.number is None:
        return f"{root}/groepen/{gs.group_id}"
    return f"{root}/groepen/{gs.group_id}/bijeenkomsten/{gs.number}"


def _status(gs: GroupSession) -> STATUS:
    if gs.is_cancelled or gs.group.status == GroupStatus.CANCELLED:
        return STATUS.CANCELLED
    return STATUS.CONFIRMED


def _plan_title(gs: GroupSession) -> str:
    version = gs.methodiek_version
    if version is None or gs.number is None:
        return ""
    plan = version.session(gs.number)
    return plan.title if plan is not None else ""


def _staff_event(gs: GroupSession, *, host: str, base_url: str, stamp: datetime) -> Event:
    group = gs.group
    cancelled = _status(gs) == STATUS.CANCELLED
    title = _plan_title(gs)
    if gs.number is None:
        summary = f"Geannuleerd: {group.name}"
    else:
        summary = f"{group.name}: bijeenkomst {gs.number}" + (f" – {title}" if title else "")
        if cancelled:
            summary = f"Geannuleerd: {summary}"
    # The meeting's own room: a held meeting keeps the place it was held at.
    location = gs.room.location
    place = [location.name, gs.room.name]
    if location.address:
        place.append(location.address)
    url = preparation_url(gs, base_url)
    lines = [f"Begeleiding: {' en '.join(u.name for u in gs.facilitators())}"]
    if gs.substitute is not None and gs.substitute_for is not None:
        lines.append(f"Invaller: {gs.substitute.name} voor {gs.substitute_for.name}")
    if title:
        lines.append(f"Thema: {title}")
    if gs.is_cancelled and gs.cancel_reason:
        lines.append(f"Geannuleerd: {gs.cancel_reason}")
    lines.append(f"Voorbereiding: {url}")
    return Event.new(
        uid=session_uid(gs, host),
        summary=summary,
        start=to_local(gs.start_dt),
        end=to_local(gs.end_dt),
        location=", ".join(place),
        description="\n".join(lines),
        url=url,
        sequence=gs.sequence,
        status=_status(gs),
        stamp=stamp,
    )


def _participant_event(gs: GroupSession, *, secret: str, stamp: datetime) -> Event:
    group = gs.group
    address = gs.room.location.address.strip() if group.is_venue_released else ""
    return Event.new(
        uid=participant_uid("session", gs.id, secret),
        summary=group.public_title,
        start=to_local(gs.start_dt),
        end=to_local(gs.end_dt),
        location=address or None,
        sequence=gs.sequence,
        status=_status(gs),
        classification=CLASS.PRIVATE,
        stamp=stamp,
    )


def _finish(calendar: Calendar, sessions: list[GroupSession]) -> bytes:
    """Add the VTIMEZONE the events need (covering only their years: a short file)."""
    if sessions:
        years = [to_local(gs.start_dt).year for gs in sessions]
        calendar.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 1, 12, 31)
        )
    return calendar.to_ical()


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def group_to_ical(
    group: Group,
    audience: str,
    *,
    host: str,
    base_url: str,
    secret: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """All meetings of ``group`` (cancelled ones as CANCELLED) for ``staff`` or ``participant``.

    ``secret`` (the app's SECRET_KEY) keys the participant calendar's UIDs; it is required there.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    stamp = _now(now)
    sessions = list(group.sessions)
    if audience == "participant":
        if not secret:
            raise ValueError("a participant calendar needs the secret for its UIDs")
        calendar = Calendar.new(
            prodid=PRODID_NEUTRAL,
            method="PUBLISH",
            name=group.public_title,
            uid=participant_uid("group", group.id, secret),
        )
        for gs in sessions:
            calendar.add_component(_participant_event(gs, secret=secret, stamp=stamp))
        return _finish(calendar, sessions)
    calendar = Calendar.new(
        prodid=PRODID_STAFF,
        method="PUBLISH",
        name=f"{group.name} (rooster)",
        uid=f"group-{group.id}@{host}",
        url=f"{base_url.rstrip('/')}/groepen/{group.id}",
    )
    for gs in sessions:
        calendar.add_component(_staff_event(gs, host=host, base_url=base_url, stamp=stamp))
    return _finish(calendar, sessions)


def leads_session(user: User, gs: GroupSession) -> bool:
    """Whether ``user`` leads this meeting: as facilitator (not replaced) or as substitute."""
    if gs.substitute_id == user.id:
        return True
    if gs.substitute_id is not None and gs.substitute_for_id == user.id:
        return False
    return user.id in gs.facilitator_ids


def feed_window(today: date) -> tuple[datetime, datetime]:
    """The (start, end) instants of the personal feed for ``today`` (local midnights, in UTC)."""

    def midnight(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), TZ).astimezone(UTC)

    return midnight(today - timedelta(days=FEED_DAYS_BACK)), midnight(
        today + timedelta(days=FEED_DAYS_AHEAD)
    )


def feed_last_modified(user: User, sessions: Iterable[GroupSession]) -> datetime:
    """The latest change to the feed's meetings, their groups and the people it names.

    It is the feed's DTSTAMP and Last-Modified, so an unchanged feed is the same bytes (and
    ETag) on every poll. A renamed venue has no timestamp of its own: it changes the bytes, so
    the ETag (which clients send and which wins over If-Modified-Since) still tells."""
    stamps = [user.updated_dt]
    for gs in sessions:
        people = (gs.facilitator_a, gs.facilitator_b, gs.substitute, gs.substitute_for)
        stamps += [gs.updated_dt, gs.group.updated_dt]
        stamps += [person.updated_dt for person in people if person is not None]
    return max(ensure_aware_utc(stamp) for stamp in stamps if stamp is not None).replace(
        microsecond=0
    )


def staff_feed_to_ical(
    user: User,
    sessions: Iterable[GroupSession],
    *,
    host: str,
    base_url: str,
    now: datetime | None = None,
) -> bytes:
    """Her personal feed: every meeting she leads, across groups; others are left out."""
    stamp = _now(now)
    mine = sorted((gs for gs in sessions if leads_session(user, gs)), key=lambda s: s.start_dt)
    calendar = Calendar.new(
        prodid=PRODID_STAFF,
        method="PUBLISH",
        name=f"Bijeenkomsten {user.name}",
        uid=f"feed-{user.id}@{host}",
    )
    # RFC 7986 wants VALUE=DURATION here; Outlook reads the older X-PUBLISHED-TTL.
    refresh = timedelta(hours=FEED_REFRESH_HOURS)
    calendar.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", f"PT{FEED_REFRESH_HOURS}H")
    for gs in mine:
        calendar.add_component(_staff_event(gs, host=host, base_url=base_url, stamp=stamp))
    return _finish(calendar, mine)
