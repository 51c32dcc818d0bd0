"""Evaluation rounds and their one-time codes: opening, more codes, closing, counting.

Plain codes exist only in memory: ``open_round`` and ``add_codes`` return them so the page that
answers the facilitator's POST can show them and offer the slips; the database keeps a keyed
hash. A code that is lost is replaced by making new codes for the round, never recovered.
"""

from collections.abc import Iterable
from datetime import date, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.evaluations.codes import generate_code, hash_code, normalise_code
from veiligthuis.evaluations.models import (
    QUESTION_SET_KIND,
    ROUND_KINDS,
    EvaluationCode,
    EvaluationRound,
    FormUse,
)
from veiligthuis.groups.models import Group
from veiligthuis.methodiek.models import QuestionSet
from veiligthuis.models import DbSession, DomainError, utcnow
from veiligthuis.sessions.models import Attendance, GroupSession
from veiligthuis.settings import get_setting

MIN_CODES, MAX_CODES = 1, 30


def _make_codes(
    db_session: DbSession, round_: EvaluationRound, count: int, secret: str
) -> list[str]:
    codes: dict[str, str] = {}
    while len(codes) < count:
        for _ in range(count - len(codes)):
            code = generate_code()
            codes[hash_code(secret, code)] = code
        # a collision with another round's code is astronomically unlikely; still, never reuse one
        taken = set(
            db_session.scalars(
                sa.select(EvaluationCode.code_hash).where(EvaluationCode.code_hash.in_(codes))
            )
        )
        for digest in taken:
            del codes[digest]
    db_session.execute(
        sa.insert(EvaluationCode),
        [{"round_id": round_.id, "code_hash": digest, "is_used": False} for digest in codes],
    )
    return sorted(codes.values())


def _check_count(count: int | None) -> int:
    if count is None or not MIN_CODES <= count <= MAX_CODES:
        raise DomainError(f"Kies een aantal codes van {MIN_CODES} tot {MAX_CODES}.", "count")
    return count


# --- rounds ----------------------------------------------------------------------------------


def question_set_for(
    group: Group, kind: str, group_session: GroupSession | None
) -> QuestionSet | None:
    """The questions a round of ``kind`` asks: from the meeting's or the group's pinned version."""
    version = None
    if group_session is not None:
        version = group_session.methodiek_version
    elif kind in ("na", "afsluiting"):
        held = [s for s in group.active_sessions if s.methodiek_version is not None]
        version = held[-1].methodiek_version if held else None
    version = version or group.methodiek_version
    return version.question_set(QUESTION_SET_KIND[kind]) if version else None


def default_code_count(
    db_session: DbSession, group: Group, group_session: GroupSession | None
) -> int:
    """As many codes as women were present at the meeting, else as many as are active."""
    count = 0
    if group_session is not None:
        count = db_session.scalars(
            sa.select(sa.func.count())
            .select_from(Attendance)
            .where(Attendance.group_session_id == group_session.id, Attendance.status == "present")
        ).one()
    if not count:
        count = sum(1 for p in group.participants if p.status == "active")
    return min(max(count, MIN_CODES), MAX_CODES) if count else 8


def open_round(
    db_session: DbSession,
    actor: User,
    group: Group,
    kind: str,
    *,
    group_session: GroupSession | None,
    count: int,
    secret: str,
    today: date,
) -> tuple[EvaluationRound, list[str]]:
    """Open a round with ``count`` one-time codes; returns it and the plain codes (shown once)."""
    if kind not in ROUND_KINDS:
        raise DomainError("Kies wat u wilt evalueren.", "kind")
    if kind == "sessie":
        if group_session is None or group_session.group_id != group.id:
            raise DomainError("Kies een bijeenkomst van deze groep.", "number")
        if group_session.is_cancelled:
            raise DomainError("Deze bijeenkomst is geannuleerd.", "number")
    else:
        group_session = None
    _check_count(count)
    question_set = question_set_for(group, kind, group_session)
    if question_set is None:
        raise DomainError(
            "De methodiekversie van deze groep heeft geen vragenlijst voor "
            f"de {ROUND_KINDS[kind]}. Importeer of publiceer eerst de methodiek."
        )
    same_meeting = (
        EvaluationRound.group_session_id == group_session.id
        if group_session is not None
        else EvaluationRound.group_session_id.is_(None)
    )
    existing = db_session.scalars(
        sa.select(EvaluationRound).where(
            EvaluationRound.group_id == group.id,
            EvaluationRound.kind == kind,
            same_meeting,
            EvaluationRound.closed_dt.is_(None),
            EvaluationRound.closes_date >= today,
        )
    ).first()
    if existing is not None:
        raise DomainError(
            "Hiervoor staat al een ronde open. Maak daar zo nodig nieuwe codes bij, of sluit hem eerst."
        )
    days = max(int(get_setting(db_session, "evaluation_days")), 1)
    round_ = EvaluationRound(
        group_id=group.id,
        kind=kind,
        group_session_id=group_session.id if group_session else None,
        question_set_id=question_set.id,
        closes_date=today + timedelta(days=days - 1),
        opened_by_id=actor.id,
        paper_count=0,
    )
    db_session.add(round_)
    db_session.flush()
    codes = _make_codes(db_session, round_, count, secret)
    audit(db_session, actor, "evaluation_open", round_, detail=f"{kind}, {count} codes")
    db_session.flush()
    return round_, codes


def add_codes(
    db_session: DbSession,
    actor: User,
    round_: EvaluationRound,
    count: int,
    *,
    secret: str,
    today: date,
    replace_unused: bool = False,
) -> list[str]:
    """New codes for an open round (lost slips, latecomers); old ones are voided only on request."""
    if not round_.is_open(today):
        raise DomainError("Deze ronde is gesloten; open een nieuwe ronde.")
    _check_count(count)
    if replace_unused:
        db_session.execute(
            sa.delete(EvaluationCode).where(
                EvaluationCode.round_id == round_.id, EvaluationCode.is_used.is_(False)
            )
        )
    codes = _make_codes(db_session, round_, count, secret)
    audit(
        db_session,
        actor,
        "evaluation_codes",
        round_,
        detail=f"{count} codes" + (", oude vervallen" if replace_unused else ""),
    )
    db_session.flush()
    return codes


def codes_of_round(
    db_session: DbSession, round_: EvaluationRound, codes: Iterable[str], secret: str
) -> list[str]:
    """The given plain codes that really belong to ``round_`` and are unused (for reprinting)."""
    wanted = {}
    for raw in codes:
        code = normalise_code(raw)
        if code:
            wanted[hash_code(secret, code)] = code
    if not wanted:
        return []
    known = set(
        db_session.scalars(
            sa.select(EvaluationCode.code_hash).where(
                EvaluationCode.round_id == round_.id,
                EvaluationCode.is_used.is_(False),
                EvaluationCode.code_hash.in_(wanted),
            )
        )
    )
    return sorted(code for digest, code in wanted.items() if digest in known)


def _seal_codes(db_session: DbSession, round_id: int) -> None:
    # Rewrite every code row of the round in one statement. On PostgreSQL this gives all of them
    # the same transaction stamp (xmin), so the system columns no longer tell which code was used
    # in the transaction that stored which answers.
    db_session.execute(
        sa.update(EvaluationCode)
        .where(EvaluationCode.round_id == round_id)
        .values(is_used=EvaluationCode.is_used)
        .execution_options(synchronize_session=False)
    )


def close_round(db_session: DbSession, actor: User | None, round_: EvaluationRound) -> None:
    """Close a round by hand: its codes stop working at once."""
    if round_.closed_dt is not None:
        raise DomainError("Deze ronde is al gesloten.")
    round_.closed_dt = utcnow()
    _seal_codes(db_session, round_.id)
    if actor is not None:
        audit(db_session, actor, "evaluation_close", round_)
    db_session.flush()


def close_expired_rounds(
    db_session: DbSession, rounds: Iterable[EvaluationRound], today: date
) -> int:
    """Mark rounds past their last day as closed (codes already stopped working); how many."""
    closed = 0
    for round_ in rounds:
        if round_.closed_dt is None and today > round_.closes_date:
            round_.closed_dt = utcnow()
            _seal_codes(db_session, round_.id)
            closed += 1
    if closed:
        db_session.flush()
    return closed


def group_rounds(db_session: DbSession, group: Group) -> list[EvaluationRound]:
    """A group's rounds, oldest first, with their meeting and question set loaded."""
    return list(
        db_session.scalars(
            sa.select(EvaluationRound)
            .where(EvaluationRound.group_id == group.id)
            .options(
                so.joinedload(EvaluationRound.group_session),
                so.joinedload(EvaluationRound.question_set),
            )
            .order_by(EvaluationRound.opened_dt, EvaluationRound.id)
        )
    )


def response_counts(db_session: DbSession, rounds: Iterable[EvaluationRound]) -> dict[int, int]:
    """Responses per round: forms sent plus paper forms typed in (an opened code is not one)."""
    rounds = list(rounds)
    counts = {r.id: r.paper_count for r in rounds}
    if not rounds:
        return counts
    used = db_session.execute(
        sa.select(FormUse.round_id, sa.func.count())
        .where(FormUse.round_id.in_(counts))
        .group_by(FormUse.round_id)
    )
    for round_id, n in used:
        counts[round_id] += n
    return counts


def code_counts(db_session: DbSession, rounds: Iterable[EvaluationRound]) -> dict[int, int]:
    """Codes made (and not voided) per round."""
    ids = [r.id for r in rounds]
    counts = dict.fromkeys(ids, 0)
    if ids:
        for round_id, n in db_session.execute(
            sa.select(EvaluationCode.round_id, sa.func.count())
            .where(EvaluationCode.round_id.in_(ids))
            .group_by(EvaluationCode.round_id)
        ):
            counts[round_id] = n
    return counts


def rounds_for_session(db_session: DbSession, group_session: GroupSession) -> list[EvaluationRound]:
    """The rounds opened for one meeting."""
    return list(
        db_session.scalars(
            sa.select(EvaluationRound)
            .where(EvaluationRound.group_session_id == group_session.id)
            .order_by(EvaluationRound.id)
        )
    )
