"""Planning a parallel group aligned with a women's group: the same weeks, apart in time or
place, and meetings on a shared theme (as its method book says) in one week."""

from veiligthuis.groups.models import Group, Location, Room
from veiligthuis.methodiek.service import latest_published_version
from veiligthuis.models import DbSession, DomainError
from veiligthuis.sessions import service as sessions


def preview_aligned(db_session: DbSession, data, location: Location, room: Room, programme):
    """The meetings of a group following ``data.aligned_with_id``'s weeks, and their conflicts."""
    from veiligthuis.groups.service import Preview

    aligned = db_session.get(Group, data.aligned_with_id)
    if aligned is None or aligned.programme_id == programme.id:
        raise DomainError(
            "Kies een groep van een ander programma om op af te stemmen.", "aligned_with_id"
        )
    version = latest_published_version(db_session, programme.id)
    anchors = {
        plan.number: plan.aligned_with
        for plan in (version.sessions if version is not None else [])
        if plan.aligned_with is not None
    }
    planned = sessions.plan_aligned(
        db_session,
        aligned,
        weekday=data.weekday,
        start_time=data.start_time,
        location_id=location.id,
        region=location.region,
        count=programme.session_count,
        minutes=programme.session_minutes,
        anchors=anchors,
    )
    conflicts = sessions.find_conflicts(
        db_session,
        [(p.number, p.start_dt, p.end_dt) for p in planned],
        facilitator_ids={data.facilitator_a_id, data.facilitator_b_id},
        room_id=room.id,
    )
    return Preview(planned, [], conflicts, [], shared_themes=anchors)
