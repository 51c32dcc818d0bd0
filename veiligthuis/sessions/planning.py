"""Planning helpers shared by the meeting operations: rules, closures, slots and numbering."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from veiligthuis.groups.models import Group
from veiligthuis.models import DbSession, DomainError
from veiligthuis.sessions.models import ClosurePeriod, GroupSession
from veiligthuis.sessions.schedule import (
    SESSION_COUNT,
    SESSION_MINUTES,
    TZ,
    Closure,
    PlannedSession,
    Skipped,
    SkipRules,
    plan_series,
)
from veiligthuis.settings import get_settings


def skip_rules(db_session: DbSession) -> SkipRules:
    """The organisation's holiday settings as scheduling rules."""
    values = get_settings(db_session)
    return SkipRules(
        skip_public_holidays=True,
        skip_good_friday=values["skip_good_friday"],
        skip_liberation_day=values["skip_liberation_day"],
        skip_school_holidays=values["skip_school_holidays"],
    )


def closures_for(db_session: DbSession, location_id: int | None) -> list[Closure]:
    """The organisation's closure periods plus those of one location."""
    query = sa.select(ClosurePeriod).order_by(ClosurePeriod.start_date)
    query = query.where(
        sa.or_(ClosurePeriod.location_id.is_(None), ClosurePeriod.location_id == location_id)
    )
    return [Closure(c.start_date, c.end_date, c.reason) for c in db_session.scalars(query)]


def plan_for(
    db_session: DbSession,
    *,
    first_date: date,
    weekday: int,
    start_time: time,
    region: str,
    location_id: int | None,
    count: int = SESSION_COUNT,
    minutes: int = SESSION_MINUTES,
) -> tuple[list[PlannedSession], list[Skipped]]:
    """The series for these settings, skipping holidays and closures (plain values in, out)."""
    try:
        return plan_series(
            first_date,
            weekday,
            start_time,
            region,
            skip_rules(db_session),
            closures_for(db_session, location_id),
            count=count,
            minutes=minutes,
        )
    except ValueError as error:
        raise DomainError(str(error)) from error


def create_sessions(group: Group, planned: list[PlannedSession]) -> None:
    """Attach the planned meetings to a new group."""
    group.sessions = [
        GroupSession(number=p.number, start_dt=p.start_dt, end_dt=p.end_dt) for p in planned
    ]
    for gs in group.sessions:
        gs.assign_people_and_room(group)


def renumber(group: Group) -> None:
    """Number the meetings that still take place 1..n in time order."""
    group.sessions.sort(key=lambda s: s.start_dt)
    number = 0
    for gs in group.sessions:
        if gs.is_cancelled:
            gs.number = None
        else:
            number += 1
            if gs.number != number:
                gs.number = number


def local_slot(
    day: date, start_time: time, minutes: int = SESSION_MINUTES
) -> tuple[datetime, datetime]:
    """Start and end (aware UTC) of a meeting of ``minutes`` on ``day`` at local ``start_time``."""
    start_local = datetime.combine(day, start_time, tzinfo=TZ)
    end_local = start_local + timedelta(minutes=minutes)
    if end_local.date() != day:
        raise DomainError("De bijeenkomst loopt door tot na middernacht.", "start_time")
    return start_local.astimezone(UTC), end_local.astimezone(UTC)


def aligned_weeks(count: int, anchors: dict[int, int], available: int) -> list[int]:
    """For meetings 1..count, the index of the aligned group's meeting whose week each takes:
    one on the same theme (``anchors``: ours -> theirs) takes its week, the others follow on."""
    weeks: list[int] = []
    for number in range(1, count + 1):
        week = anchors[number] - 1 if number in anchors else (weeks[-1] + 1 if weeks else 0)
        if weeks and week <= weeks[-1]:
            raise DomainError(
                f"Bijeenkomst {number} kan niet in dezelfde week als bijeenkomst {week + 1} "
                "van de andere groep: die week is al gebruikt. Pas de methodiek aan.",
                "aligned_with_id",
            )
        if week >= available:
            raise DomainError(
                f"De groep waarop u afstemt heeft te weinig bijeenkomsten voor bijeenkomst "
                f"{number} van deze groep. Kies een andere groep of plan zonder afstemming.",
                "aligned_with_id",
            )
        weeks.append(week)
    return weeks


def plan_aligned(
    db_session: DbSession,
    aligned: Group,
    *,
    weekday: int,
    start_time: time,
    location_id: int,
    region: str,
    count: int,
    minutes: int,
    anchors: dict[int, int] | None = None,
) -> list[PlannedSession]:
    """Meetings in the same weeks as ``aligned``'s, on ``weekday`` at ``start_time``: never at
    its place and time, so a parallel group meets near it but apart. ``anchors`` (our meeting
    -> theirs on the same theme, from the method book) put those two in one week."""
    from veiligthuis.sessions.schedule import blocked_reason, to_local
    from veiligthuis.wording import day_nl

    rules, closures = skip_rules(db_session), closures_for(db_session, location_id)
    theirs = aligned.active_sessions
    planned = []
    for number, week in enumerate(aligned_weeks(count, anchors or {}, len(theirs)), start=1):
        gs = theirs[week]
        local = to_local(gs.start_dt).date()
        day = local + timedelta(days=weekday - local.weekday())
        reason = blocked_reason(day, region, rules, closures)
        if reason:
            raise DomainError(f"Op {day_nl(day)} kan het niet: {reason}.", "weekday")
        start, end = local_slot(day, start_time, minutes)
        if location_id == aligned.location_id and start < gs.end_dt and end > gs.start_dt:
            raise DomainError(
                "Een parallelle groep komt op een andere tijd of plaats samen dan de groep "
                "waarmee hij is afgestemd. Kies een andere begintijd of locatie.",
                "start_time",
            )
        planned.append(PlannedSession(number, day, start, end))
    return planned
