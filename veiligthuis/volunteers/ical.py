"""A volunteer's own calendar feed: her shifts only, written as if someone else reads it.

Titles are the task ("Kinderopvang"), never the group, its participants or what it is about;
no organisation, no link, CLASS:PRIVATE, and UIDs keyed with the server secret (no host name).
Any location or room name that gives the group away is left out (``wording``).
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from icalendar.enums import CLASS, STATUS

from veiligthuis.groups.models import GroupStatus
from veiligthuis.models import utcnow
from veiligthuis.partners.models import CHILD_AGE_BANDS
from veiligthuis.sessions.ical import PRODID_NEUTRAL, participant_uid
from veiligthuis.sessions.schedule import to_local
from veiligthuis.volunteers.models import TASKS, Shift, Task
from veiligthuis.wording import find_sensitive_words

FEED_REFRESH_HOURS = 1


def neutral(text: str) -> str:
    """``text`` when it gives nothing away, else an empty string."""
    return "" if find_sensitive_words(text) else text.strip()


def children_text(children: dict[str, int]) -> str:
    """``3 kinderen: 1 × 2–3 jaar, 2 × 4–7 jaar`` (counts only)."""
    total = sum(children.values())
    if not total:
        return "Nog geen kinderen aangemeld"
    parts = [f"{children[b]} × {label}" for b, label in CHILD_AGE_BANDS.items() if children.get(b)]
    return f"{total} kind{'eren' if total != 1 else ''}: " + ", ".join(parts)


def shift_location(shift: Shift) -> str:
    """Location name and address and room, leaving out any part that is not neutral."""
    # The meeting's own room: a held meeting keeps the place it was held at.
    meeting_room = shift.group_session.room
    parts = [neutral(meeting_room.location.name), neutral(meeting_room.location.address)]
    room = neutral(meeting_room.name)
    if room:
        parts.append(f"ruimte {room}")
    return ", ".join(p for p in parts if p)


def _event(shift: Shift, children: dict[str, int], *, secret: str, stamp: datetime) -> Event:
    gs = shift.group_session
    cancelled = gs.is_cancelled or gs.group.status == GroupStatus.CANCELLED
    description = children_text(children) if shift.task == Task.CHILDCARE else None
    return Event.new(
        uid=participant_uid("shift", shift.id, secret),
        summary=TASKS[shift.task].capitalize(),
        start=to_local(gs.start_dt),
        end=to_local(gs.end_dt),
        location=shift_location(shift) or None,
        description=description,
        sequence=gs.sequence,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        classification=CLASS.PRIVATE,
        stamp=stamp,
    )


def shifts_to_ical(
    shifts: Iterable[Shift],
    children_by_group: dict[int, dict[str, int]],
    *,
    secret: str,
    volunteer_id: int,
    now: datetime | None = None,
) -> bytes:
    """Her shifts as a subscription feed (bytes)."""
    stamp = now or utcnow()
    shifts = sorted(shifts, key=lambda s: s.group_session.start_dt)
    calendar = Calendar.new(
        prodid=PRODID_NEUTRAL,
        method="PUBLISH",
        name="Mijn diensten",
        uid=participant_uid("volunteer-feed", volunteer_id, secret),
    )
    calendar.add(
        "REFRESH-INTERVAL", timedelta(hours=FEED_REFRESH_HOURS), parameters={"VALUE": "DURATION"}
    )
    calendar.add("X-PUBLISHED-TTL", f"PT{FEED_REFRESH_HOURS}H")
    for shift in shifts:
        children = children_by_group.get(shift.group_session.group_id, {})
        calendar.add_component(_event(shift, children, secret=secret, stamp=stamp))
    if shifts:
        years = [to_local(s.group_session.start_dt).year for s in shifts]
        calendar.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 1, 12, 31)
        )
    return calendar.to_ical()
