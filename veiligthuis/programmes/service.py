"""Programmes and who works in which: plain functions, no Flask."""

import sqlalchemy as sa

from veiligthuis.models import DbSession, DomainError
from veiligthuis.programmes.models import DEFAULT_PROGRAMME, PROGRAMME_KINDS, Programme


def default_programme(db_session: DbSession) -> Programme:
    """The women's group programme; made with today's figures if the database has none yet."""
    programme = db_session.scalar(sa.select(Programme).where(Programme.is_default.is_(True)))
    if programme is None:
        programme = next(
            (o for o in db_session.new if isinstance(o, Programme) and o.is_default), None
        )
    if programme is None:
        programme = Programme(**DEFAULT_PROGRAMME, is_default=True)
        db_session.add(programme)
    return programme


def programme_or_default(db_session: DbSession, programme_id: int | None) -> Programme:
    """The programme chosen for a group; None means the women's group, as before."""
    if programme_id is None:
        return default_programme(db_session)
    programme = db_session.get(Programme, programme_id)
    if programme is None:
        raise DomainError("Kies een programma.", "programme_id")
    return programme


def programme_ids_of(user) -> set[int]:
    """The programmes she works in."""
    return {p.id for p in user.programmes}


def visible_programme_ids(user) -> list[int] | None:
    """The programmes whose data she may see; None for a coordinator (every one)."""
    if user.has_role("coordinator"):
        return None
    return sorted(programme_ids_of(user))


def participants_in_her_programmes(user) -> sa.ColumnElement[bool]:
    """A WHERE clause on participants: only those in groups of her programmes."""
    from veiligthuis.groups.models import Group, Participant

    ids = visible_programme_ids(user)
    if ids is None:
        return sa.true()
    return Participant.group_id.in_(sa.select(Group.id).where(Group.programme_id.in_(ids)))


def programmes_for(db_session: DbSession, user) -> list[Programme]:
    """The programmes she may plan in: every one for a coordinator, the default one first."""
    query = sa.select(Programme).order_by(Programme.is_default.desc(), Programme.name)
    ids = visible_programme_ids(user)
    if ids is not None:
        query = query.where(Programme.id.in_(ids))
    return list(db_session.scalars(query))


def save_programme(
    db_session: DbSession,
    actor,
    programme: Programme | None,
    *,
    name: str,
    kind: str,
    session_count: int,
    session_minutes: int,
    min_participants: int,
    max_participants: int,
) -> Programme:
    """Create or change a programme; its figures plan its groups."""
    from veiligthuis.auth.service import audit

    name = name.strip()
    if not name or len(name) > 120:
        raise DomainError("Vul een naam in van hoogstens 120 tekens.", "name")
    taken = db_session.scalar(sa.select(Programme.id).where(Programme.name == name))
    if taken is not None and (programme is None or taken != programme.id):
        raise DomainError("Er is al een programma met deze naam.", "name")
    if kind not in PROGRAMME_KINDS:
        raise DomainError("Kies voor wie het programma is.", "kind")
    if not 1 <= session_count <= 52:
        raise DomainError("Een programma heeft 1 tot 52 bijeenkomsten.", "session_count")
    if not 15 <= session_minutes <= 480:
        raise DomainError("Een bijeenkomst duurt 15 tot 480 minuten.", "session_minutes")
    if not 1 <= min_participants <= max_participants <= 50:
        raise DomainError(
            "Het minimum is minstens 1 en niet groter dan het maximum (hoogstens 50).",
            "min_participants",
        )
    if programme is None:
        programme = Programme(is_default=False)
        db_session.add(programme)
    programme.name, programme.kind = name, kind
    programme.session_count, programme.session_minutes = session_count, session_minutes
    programme.min_participants, programme.max_participants = min_participants, max_participants
    db_session.flush()
    audit(db_session, actor, "programme_save", programme, detail=name)
    return programme


def set_members(db_session: DbSession, actor, programme: Programme, users: list) -> None:
    """Who works in the programme: they see its groups, participants and method book."""
    from veiligthuis.auth.service import audit

    before = {u.id for u in programme.members}
    programme.members = list(users)
    after = {u.id for u in programme.members}
    db_session.flush()
    if before != after:
        detail = f"+{sorted(after - before)} -{sorted(before - after)}"
        audit(db_session, actor, "programme_members", programme, detail=detail)


def set_user_programmes(db_session: DbSession, actor, user, programmes: list[Programme]) -> None:
    """The programmes a staff member works in, chosen on her account (audited when changed)."""
    from veiligthuis.auth.service import audit

    if not programmes:
        raise DomainError("Kies minstens één programma.", "programmes")
    before = sorted(p.name for p in user.programmes)
    user.programmes = list(programmes)
    after = sorted(p.name for p in user.programmes)
    db_session.flush()
    if before != after:
        audit(
            db_session,
            actor,
            "staff_programmes",
            user,
            detail=f"{', '.join(before) or '-'} -> {', '.join(after)}",
        )


def groups_to_align_with(db_session: DbSession, user) -> list:
    """Groups a new parallel group may follow: only a coordinator, who sees every programme."""
    from veiligthuis.groups.models import Group

    if not user.has_role("coordinator"):
        return []
    return list(
        db_session.scalars(
            sa.select(Group)
            .where(Group.status.in_(("planned", "running")))
            .order_by(Group.first_date)
        )
    )
