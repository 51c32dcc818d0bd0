"""Changing a saved group after the fact: its people, place, day or time (the meetings still to
come are planned again with the same preview, skipped weeks and conflict report as a new group),
and reopening a group that was finished too soon."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from veiligthuis.auth.models import AuditEntry, User
from veiligthuis.auth.service import audit
from veiligthuis.groups.models import Group, GroupStatus, ParticipantStatus
from veiligthuis.groups.service import GroupData, Preview, check_group_data, unknown_school_years
from veiligthuis.models import DbSession, DomainError
from veiligthuis.sessions import service as sessions
from veiligthuis.sessions.models import GroupSession
from veiligthuis.sessions.schedule import ensure_aware_utc, plan_series, to_local, today_local


def held_and_coming(group: Group, now: datetime) -> tuple[list[GroupSession], list[GroupSession]]:
    """The meetings that have started (never re-planned) and those still to come."""
    held = [s for s in group.active_sessions if ensure_aware_utc(s.start_dt) <= now]
    coming = [s for s in group.active_sessions if ensure_aware_utc(s.start_dt) > now]
    return held, coming


def data_of(group: Group, now: datetime) -> GroupData:
    """The group's current settings; the date is where a new planning would start."""
    held, coming = held_and_coming(group, now)
    start = to_local(coming[0].start_dt).date() if coming else today_local(now)
    return GroupData(
        name=group.name,
        public_title=group.public_title,
        location_id=group.location_id,
        room_id=group.room_id,
        weekday=group.weekday,
        start_time=group.start_time,
        first_date=start,
        facilitator_a_id=group.facilitator_a_id,
        facilitator_b_id=group.facilitator_b_id,
        programme_id=group.programme_id,
    )


def _check_allowed(actor: User, group: Group, data: GroupData) -> None:
    if group.status in (GroupStatus.COMPLETED, GroupStatus.CANCELLED):
        raise DomainError("Een afgeronde of geannuleerde groep wordt niet opnieuw gepland.")
    new_people = {data.facilitator_a_id, data.facilitator_b_id}
    if not actor.has_role("coordinator") and actor.id in group.facilitator_ids - new_people:
        raise DomainError(
            "Alleen een coördinator kan u als begeleider van deze groep vervangen.",
            "facilitator_a_id",
        )


def _first_day(data: GroupData, held: list[GroupSession], now: datetime) -> date:
    first = max(data.first_date, today_local(now))
    if held:
        # The next meeting keeps a week's rhythm from the last one held (six days at least).
        first = max(first, to_local(held[-1].start_dt).date() + timedelta(days=6))
    return first


def preview_replan(
    db_session: DbSession, actor: User, group: Group, data: GroupData, *, now: datetime
) -> Preview:
    """The meetings still to come as ``data`` would plan them, and their conflicts."""
    _check_allowed(actor, group, data)
    location, room = check_group_data(db_session, data)
    held, coming = held_and_coming(group, now)
    if not coming:
        return Preview([], [], [], [])
    try:
        planned, skipped = plan_series(
            _first_day(data, held, now),
            data.weekday,
            data.start_time,
            location.region,
            sessions.skip_rules(db_session),
            sessions.closures_for(db_session, location.id),
            count=len(coming),
            minutes=group.programme.session_minutes,
            start_number=len(held) + 1,
        )
    except ValueError as error:
        raise DomainError(str(error), "first_date") from error
    if ensure_aware_utc(planned[0].start_dt) <= now:
        raise DomainError(
            "De nieuwe planning begint in het verleden. Kies een latere datum.", "first_date"
        )
    conflicts = sessions.find_conflicts(
        db_session,
        [(p.number, p.start_dt, p.end_dt) for p in planned],
        facilitator_ids={data.facilitator_a_id, data.facilitator_b_id},
        room_id=room.id,
        exclude_group_id=group.id,
    )
    unknown = unknown_school_years(db_session, [p.day for p in planned], location)
    return Preview(planned, skipped, conflicts, unknown)


def _describe(group: Group, data: GroupData) -> str:
    fields = (
        "location_id",
        "room_id",
        "weekday",
        "start_time",
        "facilitator_a_id",
        "facilitator_b_id",
    )
    return ", ".join(
        f"{name}: {getattr(group, name)} -> {getattr(data, name)}"
        for name in fields
        if getattr(group, name) != getattr(data, name)
    )


def replan_group(
    db_session: DbSession,
    actor: User,
    group: Group,
    data: GroupData,
    *,
    now: datetime,
    accept_conflicts: bool = False,
) -> Preview:
    """Apply ``data`` to a saved group: held meetings stay as they were, the ones to come move.

    Every meeting to come gets a higher SEQUENCE (same UID), so calendars follow. A substitute
    who replaced someone no longer in the group, or who now leads it herself, is removed.
    """
    preview = preview_replan(db_session, actor, group, data, now=now)
    if preview.conflicts and not accept_conflicts:
        raise DomainError(
            "Er zijn conflicten in de planning. Los ze op of bevestig dat u toch wilt opslaan."
        )
    detail = _describe(group, data)
    people = {data.facilitator_a_id, data.facilitator_b_id}
    group.location_id, group.room_id = data.location_id, data.room_id
    group.weekday, group.start_time = data.weekday, data.start_time
    group.facilitator_a_id, group.facilitator_b_id = data.facilitator_a_id, data.facilitator_b_id
    held, coming = held_and_coming(group, now)
    for gs, planned in zip(coming, preview.sessions, strict=True):
        gs.start_dt, gs.end_dt = planned.start_dt, planned.end_dt
        # Only the meetings to come get the new people and room; held ones keep theirs.
        gs.assign_people_and_room(group)
        if gs.substitute_for_id not in people or gs.substitute_id in people:
            gs.substitute_id = gs.substitute_for_id = None
        gs.sequence += 1
    if not held:
        group.first_date = preview.sessions[0].day if preview.sessions else group.first_date
    sessions.renumber(group)
    audit(db_session, actor, "replan_group", group, detail=detail or "zelfde gegevens")
    db_session.flush()
    db_session.expire(group, ["location", "room", "facilitator_a", "facilitator_b"])
    for gs in coming:
        db_session.expire(gs, ["room", "facilitator_a", "facilitator_b"])
    return preview


def reopen_group(db_session: DbSession, actor: User, group: Group) -> None:
    """Undo "Groep afsluiten": running again, and who it made completed is active again."""
    if group.status != GroupStatus.COMPLETED:
        raise DomainError("Alleen een afgesloten groep kan weer worden geopend.")
    finished = db_session.scalar(
        sa.select(AuditEntry)
        .where(
            AuditEntry.action == "finish_group",
            AuditEntry.object_type == "Group",
            AuditEntry.object_id == group.id,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    codes = set((finished.detail or "").split()) if finished is not None else set()
    for participant in group.participants:
        if participant.status == ParticipantStatus.COMPLETED and participant.code in codes:
            participant.status = ParticipantStatus.ACTIVE
    group.status = GroupStatus.RUNNING
    audit(db_session, actor, "reopen_group", group)
    db_session.flush()
