"""Answering: using up a code when she opens the form, and storing her answers when she sends.

The two happen in different requests, so in different commits, and share nothing a database
file could show: the code is marked used when she opens the questions; the answers come later
with a random nonce from her session cookie (kept as :class:`FormUse` so a form sends once).
Answers are inserted in a random order into a table kept in the order of random ids (SQLite,
no rowid); on PostgreSQL every submission rewrites its round's answers in a fresh random order,
so neither ctid nor xmin tells who answered what, or when.
"""

import hashlib
import random
import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.evaluations.codes import hash_code
from veiligthuis.evaluations.models import Answer, EvaluationCode, EvaluationRound, FormUse
from veiligthuis.methodiek.models import QuestionSet
from veiligthuis.models import DbSession, DomainError, rowcount

MAX_TEXT_LENGTH = 2000
#: the derived Pearlin Mastery total (7-28), stored as an answer of its own
PEARLIN_TOTAL_ID = "_pearlin_totaal"
PEARLIN_GROUP = "pearlin"


class CodeRejected(DomainError):
    """A code is unknown, used, or belongs to a closed round (one kind message for all)."""

    def __init__(self):
        super().__init__("Deze code werkt niet.")


class AlreadySent(DomainError):
    """This form session has sent its answers already."""

    def __init__(self):
        super().__init__("Deze antwoorden zijn al verstuurd.")


def _open_round_ids(today: date):
    return sa.select(EvaluationRound.id).where(
        EvaluationRound.closed_dt.is_(None), EvaluationRound.closes_date >= today
    )


def find_code(
    db_session: DbSession, code: str | None, secret: str, today: date
) -> tuple[EvaluationRound | None, bool]:
    """The open round of ``code`` and whether the code is used; (None, False) if unknown."""
    if not code:
        return None, False
    row = db_session.execute(
        sa.select(EvaluationCode.round_id, EvaluationCode.is_used).where(
            EvaluationCode.code_hash == hash_code(secret, code),
            EvaluationCode.round_id.in_(_open_round_ids(today)),
        )
    ).first()
    if row is None:
        return None, False
    round_ = db_session.scalar(
        sa.select(EvaluationRound)
        .where(EvaluationRound.id == row.round_id)
        .options(so.joinedload(EvaluationRound.question_set))
    )
    return round_, bool(row.is_used)


def find_round(
    db_session: DbSession, code: str | None, secret: str, today: date
) -> EvaluationRound | None:
    """The open round an unused ``code`` opens, or None (unknown, used or expired alike)."""
    round_, used = find_code(db_session, code, secret, today)
    return None if used else round_


def open_form(db_session: DbSession, code: str, *, secret: str, today: date) -> tuple[int, str]:
    """Use up ``code`` as she opens the questions; returns the round id and a fresh nonce.

    One conditional UPDATE that returns the round, so of two phones opening one code exactly
    one gets it, and the usual case (a fresh code) costs a single statement.
    """
    round_id = db_session.scalar(
        sa.update(EvaluationCode)
        .where(
            EvaluationCode.code_hash == hash_code(secret, code),
            EvaluationCode.round_id.in_(_open_round_ids(today)),
            EvaluationCode.is_used.is_(False),
        )
        .values(is_used=True)
        .returning(EvaluationCode.round_id)
        .execution_options(synchronize_session=False)
    )
    if round_id is None:
        raise CodeRejected()
    return round_id, secrets.token_urlsafe(24)


def nonce_hash(nonce: str) -> str:
    """What :class:`FormUse` keeps of a form session's nonce."""
    return hashlib.sha256(b"form:" + nonce.encode()).hexdigest()


def scale_values(question_set: QuestionSet, question: Mapping[str, Any]) -> list[int]:
    """The values a scale question takes, in order."""
    return [
        int(option["value"]) for option in question_set.scales.get(question.get("scale", ""), [])
    ]


def _clean_text(raw: str) -> str:
    # PostgreSQL refuses NUL in text; no one means one, so it goes (with other C0 controls
    # except line breaks and tabs) rather than losing the whole form.
    return "".join(ch for ch in raw if ch >= " " or ch in "\n\r\t").strip()


def parse_answers(
    question_set: QuestionSet, form: Mapping[str, str]
) -> tuple[dict[str, int | str], dict[str, str]]:
    """Her answers from a posted form (fields ``q-<id>``) and per question an error key.

    Error keys: ``error_choice`` (not one of the options), ``error_too_long``. Empty = skipped.
    """
    values: dict[str, int | str] = {}
    errors: dict[str, str] = {}
    for question in question_set.questions:
        qid = question["id"]
        raw = _clean_text(form.get(f"q-{qid}") or "")
        if not raw:
            continue
        if question.get("type") == "text":
            if len(raw) > MAX_TEXT_LENGTH:
                errors[qid] = "error_too_long"
            values[qid] = raw
            continue
        try:
            value = int(raw)
        except ValueError:
            errors[qid] = "error_choice"
            continue
        if value not in scale_values(question_set, question):
            errors[qid] = "error_choice"
            continue
        values[qid] = value
    return values, errors


def scored(question_set: QuestionSet, question: Mapping[str, Any], value: int) -> int:
    """The value as scored: reverse-coded items are mirrored on their scale (1-4: 5 - value)."""
    if not question.get("reverse"):
        return value
    options = scale_values(question_set, question)
    return min(options) + max(options) - value


def pearlin_score(question_set: QuestionSet, values: Mapping[str, Any]) -> int | None:
    """The Pearlin Mastery total (7-28, higher = more mastery), or None if an item is missing."""
    items = [q for q in question_set.questions if q.get("group") == PEARLIN_GROUP]
    if not items or any(not isinstance(values.get(q["id"]), int) for q in items):
        return None
    return sum(scored(question_set, q, values[q["id"]]) for q in items)


def _answer_rows(
    round_: EvaluationRound, values: Mapping[str, int | str], today: date, staff: bool
) -> list[dict]:
    answers = [
        (question["id"], values.get(question["id"])) for question in round_.question_set.questions
    ]
    answers.append((PEARLIN_TOTAL_ID, pearlin_score(round_.question_set, values)))
    return [
        {
            "id": secrets.token_hex(16),
            "round_id": round_.id,
            "question_id": qid,
            "value_int": value if isinstance(value, int) else None,
            "value_text": value if isinstance(value, str) else None,
            "answered_date": today,
            "is_staff_entered": staff,
        }
        for qid, value in answers
        if value is not None and value != ""
    ]


def _store(db_session: DbSession, round_: EvaluationRound, rows: list[dict]) -> None:
    """Insert ``rows`` in a random order; on PostgreSQL rewrite the whole round that way.

    SQLite keeps the table in the order of its random ids (no rowid), so shuffling the new rows
    is enough. PostgreSQL's heap keeps arrival order (ctid) and each row's transaction (xmin),
    so there the round's rows are all written again, shuffled, in this one transaction.
    """
    table = cast(sa.Table, Answer.__table__)
    if db_session.get_bind().dialect.name != "sqlite":
        old = db_session.execute(sa.select(table).where(table.c.round_id == round_.id))
        rows = [dict(row) for row in old.mappings()] + rows
        db_session.execute(sa.delete(table).where(table.c.round_id == round_.id))
    random.SystemRandom().shuffle(rows)
    db_session.execute(sa.insert(table), rows)


def _lock_round(db_session: DbSession, round_id: int, *, open_on: date | None = None) -> bool:
    """Lock the round; with ``open_on``, only if it is still open then. Whether it was locked.

    A write first: it makes an SQLite transaction a writer from its first statement (so it
    waits for a concurrent writer instead of failing) and locks the round's row on PostgreSQL,
    so two submissions rewrite the round's answers one after the other.
    """
    query = sa.update(EvaluationRound).where(EvaluationRound.id == round_id)
    if open_on is not None:
        query = query.where(EvaluationRound.id.in_(_open_round_ids(open_on)))
    result = db_session.execute(
        query.values(paper_count=EvaluationRound.paper_count).execution_options(
            synchronize_session=False
        )
    )
    return rowcount(result) == 1


def submit_answers(
    db_session: DbSession,
    round_: EvaluationRound,
    nonce: str,
    values: Mapping[str, int | str],
    *,
    today: date,
) -> None:
    """Store her answers for the form session ``nonce`` (its code was used when she opened it).

    Refused with :class:`AlreadySent` if this form session sent before, with
    :class:`CodeRejected` if the round closed meanwhile.
    """
    if not values:
        raise DomainError("Er is niets ingevuld.")
    # locked only while it is open: a round closed meanwhile refuses the answers
    if not _lock_round(db_session, round_.id, open_on=today):
        raise CodeRejected()
    digest = nonce_hash(nonce)
    if db_session.get(FormUse, digest) is not None:
        raise AlreadySent()
    db_session.add(FormUse(nonce_hash=digest, round_id=round_.id))
    db_session.flush()
    _store(db_session, round_, _answer_rows(round_, values, today, staff=False))


def enter_paper_answers(
    db_session: DbSession,
    actor: User,
    round_: EvaluationRound,
    values: Mapping[str, int | str],
    *,
    today: date,
) -> None:
    """Store a paper form's answers, typed in by staff; it counts as a response of the round."""
    if not values:
        raise DomainError("Vul minstens één antwoord in.")
    _lock_round(db_session, round_.id)
    _store(db_session, round_, _answer_rows(round_, values, today, staff=True))
    db_session.execute(
        sa.update(EvaluationRound)
        .where(EvaluationRound.id == round_.id)
        .values(paper_count=EvaluationRound.paper_count + 1)
        .execution_options(synchronize_session=False)
    )
    audit(db_session, actor, "evaluation_paper", round_)
    db_session.flush()
    db_session.expire(round_, ["paper_count"])
