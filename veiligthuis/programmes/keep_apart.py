"""Keep apart: two participants whose groups must never meet at one place near the same time.

Only a coordinator sees or changes a link; every look and change is audited. The scheduler
refuses a meeting that breaks one with a message that tells the facilitator nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from veiligthuis.models import DbSession, DomainError
from veiligthuis.programmes.models import KeepApart

#: what a planner reads: nothing about who, which group or why
KEEP_APART_MESSAGE = "Conflict met een scheidingsafspraak: vraag de coördinator."

if TYPE_CHECKING:
    from veiligthuis.groups.models import Participant


def _audit(db_session: DbSession, actor, action: str, obj, codes: list[str]) -> None:
    from veiligthuis.auth.service import audit

    for code in codes:
        audit(db_session, actor, action, obj, participant_code=code)


def list_links(db_session: DbSession, actor) -> list[tuple[KeepApart, Participant, Participant]]:
    """Every link with its two participants (audited: one entry per participant shown)."""
    from veiligthuis.groups.models import Participant

    links = list(db_session.scalars(sa.select(KeepApart).order_by(KeepApart.id)))
    ids = {i for k in links for i in (k.participant_a_id, k.participant_b_id)}
    people = {
        p.id: p for p in db_session.scalars(sa.select(Participant).where(Participant.id.in_(ids)))
    }
    rows = [(k, people[k.participant_a_id], people[k.participant_b_id]) for k in links]
    _audit(db_session, actor, "keep_apart_view", None, sorted({p.code for p in people.values()}))
    return rows


def create_link(db_session: DbSession, actor, first, second) -> KeepApart:
    """Link two participants of groups in different programmes."""
    if first.id == second.id:
        raise DomainError("Kies twee verschillende deelnemers.", "participant_b")
    if first.group.programme_id == second.group.programme_id:
        raise DomainError(
            "Een scheidingsafspraak geldt voor deelnemers van verschillende programma's.",
            "participant_b",
        )
    a, b = sorted((first.id, second.id))
    existing = db_session.scalar(
        sa.select(KeepApart).where(KeepApart.participant_a_id == a, KeepApart.participant_b_id == b)
    )
    if existing is not None:
        raise DomainError("Deze scheidingsafspraak bestaat al.", "participant_b")
    link = KeepApart(participant_a_id=a, participant_b_id=b)
    db_session.add(link)
    db_session.flush()
    _audit(db_session, actor, "keep_apart_create", link, [first.code, second.code])
    return link


def is_broken_now(db_session: DbSession, first: Participant, margin_minutes: int) -> bool:
    """Whether her group's planned meetings already meet a linked partner's group within the
    margin (a link recorded after both were planned): the coordinator must move them."""
    group = first.group
    slots = [(gs.start_dt, gs.end_dt) for gs in group.active_sessions]
    try:
        check_keep_apart(db_session, group.id, group.location_id, slots, margin_minutes)
    except DomainError:
        return True
    return False


def delete_link(db_session: DbSession, actor, link: KeepApart, codes: list[str]) -> None:
    """Remove a link (audited with both codes)."""
    _audit(db_session, actor, "keep_apart_delete", link, codes)
    db_session.delete(link)
    db_session.flush()


def remove_links_of(db_session: DbSession, participant_ids: list[int]) -> None:
    """The retention purge: links go with the records they join."""
    if participant_ids:
        db_session.execute(
            sa.delete(KeepApart).where(
                sa.or_(
                    KeepApart.participant_a_id.in_(participant_ids),
                    KeepApart.participant_b_id.in_(participant_ids),
                )
            )
        )


def check_keep_apart(
    db_session: DbSession,
    group_id: int,
    location_id: int,
    slots: list[tuple[datetime, datetime]],
    margin_minutes: int,
) -> None:
    """Refuse meetings of the group at a location where a kept-apart partner's group meets
    within the margin; no confirmation overrides it."""
    from veiligthuis.groups.models import Group, GroupStatus, Participant
    from veiligthuis.sessions.models import GroupSession, SessionStatus

    if not slots:
        return
    mine = sa.select(Participant.id).where(Participant.group_id == group_id)
    partners = sa.union(
        sa.select(KeepApart.participant_b_id).where(KeepApart.participant_a_id.in_(mine)),
        sa.select(KeepApart.participant_a_id).where(KeepApart.participant_b_id.in_(mine)),
    )
    partner_groups = sa.select(Participant.group_id).where(
        Participant.id.in_(partners), Participant.group_id != group_id
    )
    margin = timedelta(minutes=margin_minutes)
    meetings = db_session.execute(
        sa.select(GroupSession.start_dt, GroupSession.end_dt)
        .join(Group, GroupSession.group_id == Group.id)
        .where(
            Group.id.in_(partner_groups),
            Group.location_id == location_id,
            Group.status != GroupStatus.CANCELLED,
            GroupSession.status != SessionStatus.CANCELLED,
            GroupSession.start_dt < max(end for _s, end in slots) + margin,
            GroupSession.end_dt > min(start for start, _e in slots) - margin,
        )
    ).all()
    for start, end in slots:
        for other_start, other_end in meetings:
            if other_start < end + margin and other_end > start - margin:
                raise DomainError(KEEP_APART_MESSAGE)
