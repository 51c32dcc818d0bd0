"""A group's meetings and the method: which version they are prepared from, moving them to a
newer one, and the plan of one meeting with its clock times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis import changes
from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.groups.models import GroupStatus
from veiligthuis.methodiek.content import is_break
from veiligthuis.methodiek.diff import PartDiff, plan_diff
from veiligthuis.methodiek.models import Handout, MethodiekVersion, SessionPlan
from veiligthuis.methodiek.service import latest_published_version, newest_published
from veiligthuis.models import DbSession, DomainError, utcnow
from veiligthuis.sessions.models import SessionStatus


@dataclass
class VersionNotice:
    """A newer version than the one a group's coming meetings are prepared from."""

    latest: MethodiekVersion
    #: the versions the coming meetings use now (older than ``latest``)
    current: list[MethodiekVersion]
    #: the meetings not yet held that can move
    movable: list[Any]
    #: per meeting number: the differences in its session plan (empty: unchanged)
    diffs: dict[int, PartDiff]


def movable_sessions(group, version_id: int, now: datetime) -> list:
    """The group's meetings not yet held (future, not cancelled) on another version."""
    return [
        gs
        for gs in group.sessions
        if gs.status != SessionStatus.CANCELLED
        and gs.number is not None
        and gs.start_dt > now
        and gs.methodiek_version_id != version_id
    ]


#: the newest version's id, built once: the group page asks on every view
_LATEST_ID = newest_published(
    sa.select(MethodiekVersion.id), sa.bindparam("programme_id", type_=sa.Integer)
)


def version_notice(
    db_session: DbSession, group, now: datetime | None = None
) -> VersionNotice | None:
    """What the group page says when a newer version exists than its coming meetings use."""
    if group.status in (GroupStatus.COMPLETED, GroupStatus.CANCELLED):
        return None
    now = now or utcnow()
    # nearly always its coming meetings use the newest version already: its id tells (kept
    # until anything changes, as publishing a version does)
    latest_id = changes.cached(
        db_session,
        "newest version",
        group.programme_id,
        lambda: db_session.scalar(_LATEST_ID, {"programme_id": group.programme_id}),
    )
    if latest_id is None:
        return None
    movable = movable_sessions(group, latest_id, now)
    if not movable:
        return None
    ids = {gs.methodiek_version_id for gs in movable if gs.methodiek_version_id is not None}
    versions = {
        v.id: v
        for v in db_session.scalars(
            sa.select(MethodiekVersion)
            .where(MethodiekVersion.id.in_(ids | {latest_id}))
            .options(so.selectinload(MethodiekVersion.sessions))
        )
    }
    latest = versions[latest_id]
    older = _older_versions(versions, ids, latest, now)
    older_ids = {v.id for v in older}
    movable = [
        gs
        for gs in movable
        if gs.methodiek_version_id is None or gs.methodiek_version_id in older_ids
    ]
    if not movable:
        return None
    diffs = _plan_diffs(movable, versions, latest)
    return VersionNotice(
        latest=latest,
        current=sorted(older, key=lambda v: v.id),
        movable=sorted(movable, key=lambda gs: gs.start_dt),
        diffs=diffs,
    )


def _plan_diffs(
    movable: list, versions: dict[int, MethodiekVersion], latest: MethodiekVersion
) -> dict[int, PartDiff]:
    """Per meeting number: how its plan in ``latest`` differs from the one it uses now."""
    diffs: dict[int, PartDiff] = {}
    for gs in movable:
        old_version = versions.get(gs.methodiek_version_id)
        old_plan = old_version.session(gs.number) if old_version else None
        found = plan_diff(gs.number, old_plan, latest.session(gs.number))
        if found is not None:
            diffs[gs.number] = found
    return diffs


def _older_versions(
    versions: dict[int, MethodiekVersion], ids: set, latest: MethodiekVersion, now: datetime
) -> list[MethodiekVersion]:
    """The published versions among ``ids`` that are not newer than ``latest``."""
    return [
        v
        for vid, v in versions.items()
        if vid in ids and v.is_published and (v.published_dt or now) <= (latest.published_dt or now)
    ]


def move_group_to_version(
    db_session: DbSession,
    actor: User,
    group,
    version: MethodiekVersion,
    now: datetime | None = None,
) -> int:
    """Move the group's meetings not yet held to ``version``; held ones keep theirs."""
    now = now or utcnow()
    if not version.is_published:
        raise DomainError("Alleen een gepubliceerde versie kan worden gebruikt.")
    if version.programme_id != group.programme_id:
        raise DomainError("Deze versie hoort bij een ander programma.")
    latest = latest_published_version(db_session, group.programme_id)
    if latest is None or latest.id != version.id:
        raise DomainError(
            "Er is intussen een nog nieuwere versie gepubliceerd. Laad de pagina opnieuw."
        )
    movable = movable_sessions(group, version.id, now)
    if not movable:
        raise DomainError("Er zijn geen bijeenkomsten meer die nog niet geweest zijn.")
    for gs in movable:
        gs.methodiek_version_id = version.id
    if all(gs.start_dt > now for gs in group.sessions):
        group.methodiek_version_id = version.id  # nothing held yet: the group starts with it
    audit(
        db_session,
        actor,
        "methodiek_move",
        group,
        detail=f"bijeenkomst {', '.join(str(gs.number) for gs in movable)} naar versie {version.label}",
    )
    db_session.flush()
    return len(movable)


@dataclass
class TimedActivity:
    """A work form with its clock times on the day."""

    start: datetime
    end: datetime
    title: str
    minutes: int
    description: str
    is_break: bool


@dataclass
class Preparation:
    """What a facilitator prepares a meeting from."""

    version: MethodiekVersion
    plan: SessionPlan | None
    timeline: list[TimedActivity]
    handouts: list[Handout]
    total_minutes: int
    #: set when the plan's minutes do not end when the meeting does
    end_mismatch: bool


def session_preparation(db_session: DbSession, gs) -> Preparation | None:
    """The plan of meeting ``gs`` from its own methodiek version, with clock times."""
    from veiligthuis.sessions.schedule import to_local

    if gs.methodiek_version_id is None or gs.number is None:
        return None
    plan = db_session.scalar(
        sa.select(SessionPlan)
        .where(SessionPlan.version_id == gs.methodiek_version_id, SessionPlan.number == gs.number)
        .options(so.joinedload(SessionPlan.version), so.selectinload(SessionPlan.attachments))
    )
    if plan is None:
        version = db_session.get(MethodiekVersion, gs.methodiek_version_id)
        return Preparation(version, None, [], [], 0, False) if version else None
    handouts = []
    if plan.handout_files:
        found = {
            h.filename: h
            for h in db_session.scalars(
                sa.select(Handout).where(
                    Handout.version_id == plan.version_id, Handout.filename.in_(plan.handout_files)
                )
            )
        }
        handouts = [found[name] for name in plan.handout_files if name in found]
    clock = to_local(gs.start_dt)
    timeline = []
    for activity in plan.activities:
        minutes = int(activity.get("minutes") or 0)
        end = clock + timedelta(minutes=minutes)
        timeline.append(
            TimedActivity(
                start=clock,
                end=end,
                title=activity.get("title", ""),
                minutes=minutes,
                description=activity.get("description", ""),
                is_break=is_break(activity),
            )
        )
        clock = end
    total = sum(a.minutes for a in timeline)
    return Preparation(
        version=plan.version,
        plan=plan,
        timeline=timeline,
        handouts=handouts,
        total_minutes=total,
        end_mismatch=clock != to_local(gs.end_dt),
    )
