"""Evaluation rounds, one-time codes, anonymous answers and the results a team may see.

Plain codes exist only in memory: ``open_round`` and ``add_codes`` return them so the page that
answers the facilitator's POST can show them and offer the slips; the database keeps a keyed
hash. A code that is lost is replaced by making new codes for the round, never recovered.
"""

import hashlib
import hmac
import random
import re
import secrets
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.auth.models import User
from veiligthuis.auth.service import audit
from veiligthuis.evaluations.models import (
    QUESTION_SET_KIND,
    ROUND_KINDS,
    Answer,
    CodeFailure,
    EvaluationCode,
    EvaluationRound,
)
from veiligthuis.groups.models import Group
from veiligthuis.methodiek.models import QuestionSet
from veiligthuis.models import DomainError, utcnow
from veiligthuis.sessions.models import Attendance, GroupSession
from veiligthuis.sessions.schedule import today_local
from veiligthuis.settings import get_setting

#: 31 symbols without look-alikes (no 0/O, no 1/I/L); ten of them give 49.5 bits
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MIN_CODES, MAX_CODES = 1, 30
#: a team sees a round's results (and a question's) from this many answers
MIN_RESPONSES = 3
MAX_FAILED_CODES = 10
FAILED_CODE_WINDOW = timedelta(minutes=15)
MAX_TEXT_LENGTH = 2000
#: the derived Pearlin Mastery total (7-28), stored as an answer of its own
PEARLIN_TOTAL_ID = "_pearlin_totaal"
PEARLIN_GROUP = "pearlin"
OWN_GROUP = "eigen"

_NOT_CODE = re.compile(r"[\s\-‐‑–—_.]+")


class CodeRejected(DomainError):
    """A code is unknown, used, or belongs to a closed round (one kind message for all)."""

    def __init__(self):
        super().__init__("Deze code werkt niet.")


# --- codes -----------------------------------------------------------------------------------


def generate_code() -> str:
    """A fresh random code (unformatted)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``ABCDE23456`` as ``ABCDE-23456``."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(raw: str | None) -> str | None:
    """The code as stored, from what she typed (case, spaces, dashes ignored); None if no code."""
    code = _NOT_CODE.sub("", (raw or "")[:40]).upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def hash_code(secret: str, code: str) -> str:
    """The keyed hash kept instead of the code."""
    return hmac.new(secret.encode(), b"code:" + code.encode(), hashlib.sha256).hexdigest()


def client_key(secret: str, address: str | None) -> str:
    """A keyed hash of a client's address, for counting wrong codes without keeping the address."""
    return hmac.new(
        secret.encode(), b"client:" + (address or "-").encode(), hashlib.sha256
    ).hexdigest()


def _make_codes(
    db_session: so.Session, round_: EvaluationRound, count: int, secret: str
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
    db_session: so.Session, group: Group, group_session: GroupSession | None
) -> int:
    """As many codes as women were present at the meeting, else as many as are active."""
    count = 0
    if group_session is not None:
        count = db_session.scalar(
            sa.select(sa.func.count())
            .select_from(Attendance)
            .where(Attendance.group_session_id == group_session.id, Attendance.status == "present")
        )
    if not count:
        count = sum(1 for p in group.participants if p.status == "active")
    return min(max(count, MIN_CODES), MAX_CODES) if count else 8


def open_round(
    db_session: so.Session,
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
    db_session: so.Session,
    actor: User,
    round_: EvaluationRound,
    count: int,
    *,
    secret: str,
    today: date,
    replace_unused: bool,
) -> list[str]:
    """New codes for an open round (lost slips, latecomers); unused old ones may be voided."""
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
    db_session: so.Session, round_: EvaluationRound, codes: Iterable[str], secret: str
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


def _seal_codes(db_session: so.Session, round_id: int) -> None:
    # Rewrite every code row of the round in one statement. On PostgreSQL this gives all of them
    # the same transaction stamp (xmin), so the system columns no longer tell which code was used
    # in the transaction that stored which answers.
    db_session.execute(
        sa.update(EvaluationCode)
        .where(EvaluationCode.round_id == round_id)
        .values(is_used=EvaluationCode.is_used)
        .execution_options(synchronize_session=False)
    )


def close_round(db_session: so.Session, actor: User | None, round_: EvaluationRound) -> None:
    """Close a round by hand: its codes stop working at once."""
    if round_.closed_dt is not None:
        raise DomainError("Deze ronde is al gesloten.")
    round_.closed_dt = utcnow()
    _seal_codes(db_session, round_.id)
    if actor is not None:
        audit(db_session, actor, "evaluation_close", round_)
    db_session.flush()


def close_expired_rounds(
    db_session: so.Session, rounds: Iterable[EvaluationRound], today: date
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


def group_rounds(db_session: so.Session, group: Group) -> list[EvaluationRound]:
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


def response_counts(db_session: so.Session, rounds: Iterable[EvaluationRound]) -> dict[int, int]:
    """Responses per round: codes used plus paper forms typed in."""
    rounds = list(rounds)
    counts = {r.id: r.paper_count for r in rounds}
    if not rounds:
        return counts
    used = db_session.execute(
        sa.select(EvaluationCode.round_id, sa.func.count())
        .where(EvaluationCode.round_id.in_(counts), EvaluationCode.is_used.is_(True))
        .group_by(EvaluationCode.round_id)
    )
    for round_id, n in used:
        counts[round_id] += n
    return counts


def code_counts(db_session: so.Session, rounds: Iterable[EvaluationRound]) -> dict[int, int]:
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


# --- guessing --------------------------------------------------------------------------------


def is_guessing(db_session: so.Session, key: str, now: datetime | None = None) -> bool:
    """Whether this client tried too many wrong codes lately."""
    since = (now or utcnow()) - FAILED_CODE_WINDOW
    failures = db_session.scalar(
        sa.select(sa.func.count())
        .select_from(CodeFailure)
        .where(CodeFailure.client_key == key, CodeFailure.created_dt >= since)
    )
    return failures >= MAX_FAILED_CODES


def record_failed_code(db_session: so.Session, key: str, now: datetime | None = None) -> None:
    """Count a wrong code for this client; old counts are forgotten on the way."""
    now = now or utcnow()
    db_session.execute(
        sa.delete(CodeFailure).where(CodeFailure.created_dt < now - FAILED_CODE_WINDOW)
    )
    db_session.add(CodeFailure(client_key=key, created_dt=now))
    db_session.flush()


# --- answering -------------------------------------------------------------------------------


def find_round(
    db_session: so.Session, code: str | None, secret: str, today: date
) -> EvaluationRound | None:
    """The open round an unused ``code`` opens, or None (unknown, used or expired alike)."""
    if not code:
        return None
    return db_session.scalar(
        sa.select(EvaluationRound)
        .join(EvaluationCode, EvaluationCode.round_id == EvaluationRound.id)
        .where(
            EvaluationCode.code_hash == hash_code(secret, code),
            EvaluationCode.is_used.is_(False),
            EvaluationRound.closed_dt.is_(None),
            EvaluationRound.closes_date >= today,
        )
        .options(so.joinedload(EvaluationRound.question_set))
    )


def scale_values(question_set: QuestionSet, question: Mapping[str, Any]) -> list[int]:
    """The values a scale question takes, in order."""
    return [int(option["value"]) for option in question_set.scales.get(question.get("scale"), [])]


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
        raw = (form.get(f"q-{qid}") or "").strip()
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
    rows = []
    for question in round_.question_set.questions:
        value = values.get(question["id"])
        if value is None or value == "":
            continue
        rows.append(
            {
                "id": secrets.token_hex(16),
                "round_id": round_.id,
                "question_id": question["id"],
                "value_int": value if isinstance(value, int) else None,
                "value_text": value if isinstance(value, str) else None,
                "answered_date": today,
                "is_staff_entered": staff,
            }
        )
    total = pearlin_score(round_.question_set, values)
    if total is not None:
        rows.append(
            {
                "id": secrets.token_hex(16),
                "round_id": round_.id,
                "question_id": PEARLIN_TOTAL_ID,
                "value_int": total,
                "value_text": None,
                "answered_date": today,
                "is_staff_entered": staff,
            }
        )
    return rows


def submit_answers(
    db_session: so.Session,
    round_: EvaluationRound,
    code: str,
    values: Mapping[str, int | str],
    *,
    secret: str,
    today: date,
) -> None:
    """Use up ``code`` and store her answers, both or neither (the view commits).

    The code is claimed with one conditional UPDATE first, so of two phones sending the same
    code at once exactly one gets rowcount 1; the other stores nothing. Claiming first also
    makes this transaction a writer from its first statement, which SQLite needs to wait for
    (rather than fail on) a concurrent writer.
    """
    if not values:
        raise DomainError("Er is niets ingevuld.")
    open_rounds = sa.select(EvaluationRound.id).where(
        EvaluationRound.id == round_.id,
        EvaluationRound.closed_dt.is_(None),
        EvaluationRound.closes_date >= today,
    )
    result = db_session.execute(
        sa.update(EvaluationCode)
        .where(
            EvaluationCode.code_hash == hash_code(secret, code),
            EvaluationCode.round_id.in_(open_rounds),
            EvaluationCode.is_used.is_(False),
        )
        .values(is_used=True)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise CodeRejected()
    db_session.execute(sa.insert(Answer), _answer_rows(round_, values, today, staff=False))


def enter_paper_answers(
    db_session: so.Session,
    actor: User,
    round_: EvaluationRound,
    values: Mapping[str, int | str],
    *,
    today: date,
) -> None:
    """Store a paper form's answers, typed in by staff; it counts as a response of the round."""
    if not values:
        raise DomainError("Vul minstens één antwoord in.")
    db_session.execute(sa.insert(Answer), _answer_rows(round_, values, today, staff=True))
    db_session.execute(
        sa.update(EvaluationRound)
        .where(EvaluationRound.id == round_.id)
        .values(paper_count=EvaluationRound.paper_count + 1)
        .execution_options(synchronize_session=False)
    )
    audit(db_session, actor, "evaluation_paper", round_)
    db_session.flush()
    db_session.expire(round_, ["paper_count"])


# --- results ---------------------------------------------------------------------------------


@dataclass
class Stat:
    """Number, mean and spread of a list of numbers."""

    n: int
    mean: float | None
    sd: float | None

    @classmethod
    def of(cls, values: list[float]) -> "Stat":
        """The statistics of ``values`` (sd needs two values)."""
        n = len(values)
        mean = statistics.fmean(values) if n else None
        sd = statistics.stdev(values) if n >= 2 else None
        return cls(n, mean, sd)


@dataclass
class Option:
    value: int
    label: str
    face: str
    count: int


@dataclass
class QuestionResult:
    id: str
    text: str
    type: str
    scale: str | None = None
    n: int = 0
    mean: float | None = None
    options: list[Option] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def is_visible(self) -> bool:
        return self.n >= MIN_RESPONSES


@dataclass
class RoundResult:
    round: EvaluationRound
    responses: int
    questions: list[QuestionResult]

    @property
    def is_visible(self) -> bool:
        return self.responses >= MIN_RESPONSES

    @property
    def scale_questions(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.type == "scale"]

    @property
    def text_questions(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.type == "text"]

    @property
    def scale_groups(self) -> list[tuple[list[str], list[QuestionResult]]]:
        """Scale questions grouped by their answer scale: (option labels, questions)."""
        groups: dict[str | None, list[QuestionResult]] = {}
        for question in self.scale_questions:
            groups.setdefault(question.scale, []).append(question)
        return [([o.label for o in qs[0].options], qs) for qs in groups.values()]


def _text_nl(versions: Any) -> str:
    if isinstance(versions, dict):
        return versions.get("nl") or next(iter(versions.values()), "")
    return str(versions or "")


def load_answers(db_session: so.Session, round_ids: Iterable[int]) -> dict[int, list[Answer]]:
    """Answers per round, in one query."""
    ids = list(round_ids)
    by_round: dict[int, list[Answer]] = {i: [] for i in ids}
    if ids:
        for answer in db_session.scalars(sa.select(Answer).where(Answer.round_id.in_(ids))):
            by_round[answer.round_id].append(answer)
    return by_round


def build_round_result(
    round_: EvaluationRound, answers: list[Answer], responses: int, rng: random.Random | None = None
) -> RoundResult:
    """Distributions, means and shuffled open answers of a round (empty below the threshold)."""
    if responses < MIN_RESPONSES:
        return RoundResult(round_, responses, [])
    rng = rng or random.SystemRandom()
    question_set = round_.question_set
    per_question: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        per_question[answer.question_id].append(answer)
    results = []
    for question in question_set.questions:
        given = per_question.get(question["id"], [])
        result = QuestionResult(
            id=question["id"],
            text=_text_nl(question.get("text")),
            type=question.get("type", "scale"),
        )
        if result.type == "text":
            result.texts = [a.value_text for a in given if a.value_text]
            rng.shuffle(result.texts)  # the order of sending must not show
            result.n = len(result.texts)
        else:
            result.scale = question.get("scale")
            numbers = [a.value_int for a in given if a.value_int is not None]
            result.n = len(numbers)
            result.mean = statistics.fmean(numbers) if numbers else None
            result.options = [
                Option(
                    int(o["value"]),
                    _text_nl(o),
                    o.get("face", ""),
                    sum(1 for v in numbers if v == int(o["value"])),
                )
                for o in question_set.scales.get(result.scale, [])
            ]
        results.append(result)
    return RoundResult(round_, responses, results)


def round_result(db_session: so.Session, round_: EvaluationRound) -> RoundResult:
    """The results of one round."""
    responses = response_counts(db_session, [round_])[round_.id]
    answers = load_answers(db_session, [round_.id])[round_.id]
    return build_round_result(round_, answers, responses)


@dataclass
class Comparison:
    """Before and after, compared as group means (answers are anonymous, so not paired)."""

    id: str
    text: str
    before: Stat
    after: Stat

    @property
    def change(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean


@dataclass
class TrendPoint:
    number: int
    responses: int
    means: dict[str, float | None]


@dataclass
class GroupResults:
    rounds: list[EvaluationRound]
    responses: dict[int, int]
    codes: dict[int, int]
    trend_questions: list[tuple[str, str]]
    trend: list[TrendPoint]
    final: RoundResult | None
    mastery: Comparison | None
    own: list[Comparison]
    pre_responses: int
    post_responses: int
    answers: dict[int, list[Answer]] = field(default_factory=dict)
    #: rounds found past their last day and marked closed while loading (the view commits)
    closed_now: int = 0

    def round_result(self, round_: EvaluationRound) -> RoundResult:
        """One of its rounds' results."""
        return build_round_result(
            round_, self.answers.get(round_.id, []), self.responses[round_.id]
        )


def prepost_values(
    rounds: Iterable[EvaluationRound], answers: Mapping[int, list[Answer]]
) -> dict[str, dict[str, list[float]]]:
    """Scored values per question id for "voor" and "na" (Pearlin total under PEARLIN_TOTAL_ID)."""
    collected: dict[str, dict[str, list[float]]] = {
        "voor": defaultdict(list),
        "na": defaultdict(list),
    }
    for round_ in rounds:
        if round_.kind not in collected:
            continue
        questions = {q["id"]: q for q in round_.question_set.questions}
        for answer in answers.get(round_.id, []):
            if answer.value_int is None:
                continue
            if answer.question_id == PEARLIN_TOTAL_ID:
                collected[round_.kind][PEARLIN_TOTAL_ID].append(answer.value_int)
                continue
            question = questions.get(answer.question_id)
            if question is None or question.get("type") == "text":
                continue
            collected[round_.kind][answer.question_id].append(
                scored(round_.question_set, question, answer.value_int)
            )
    return collected


def own_questions(rounds: Iterable[EvaluationRound]) -> list[tuple[str, str]]:
    """The method's own pre/post questions (id, Dutch text), in the order of the newest set."""
    seen: dict[str, str] = {}
    for round_ in sorted(rounds, key=lambda r: r.id, reverse=True):
        if round_.kind not in ("voor", "na"):
            continue
        for question in round_.question_set.questions:
            if question.get("group") == OWN_GROUP and question.get("type", "scale") == "scale":
                seen.setdefault(question["id"], _text_nl(question.get("text")))
    return list(seen.items())


def group_results(db_session: so.Session, group: Group, today: date) -> GroupResults:
    """Everything the team sees about a group's evaluations, in a fixed number of queries."""
    rounds = group_rounds(db_session, group)
    closed_now = close_expired_rounds(db_session, rounds, today)
    responses = response_counts(db_session, rounds)
    codes = code_counts(db_session, rounds)
    answers = load_answers(db_session, [r.id for r in rounds])

    trend_questions: dict[str, str] = {}
    trend: list[TrendPoint] = []
    by_number: dict[int, list[EvaluationRound]] = defaultdict(list)
    for round_ in rounds:
        if round_.kind == "sessie" and round_.group_session and round_.group_session.number:
            by_number[round_.group_session.number].append(round_)
    for number in sorted(by_number):
        pooled: dict[str, list[int]] = defaultdict(list)
        count = 0
        for round_ in by_number[number]:
            count += responses[round_.id]
            scale_ids = {
                q["id"]: q
                for q in round_.question_set.questions
                if q.get("type", "scale") == "scale"
            }
            for qid, question in scale_ids.items():
                trend_questions.setdefault(qid, _text_nl(question.get("text")))
            for answer in answers[round_.id]:
                if answer.question_id in scale_ids and answer.value_int is not None:
                    pooled[answer.question_id].append(answer.value_int)
        if count >= MIN_RESPONSES:
            means = {
                qid: statistics.fmean(v) if len(v) >= MIN_RESPONSES else None
                for qid, v in pooled.items()
            }
            trend.append(TrendPoint(number, count, means))

    final = None
    finals = [r for r in rounds if r.kind == "afsluiting"]
    if finals:
        last = finals[-1]
        final = build_round_result(last, answers[last.id], responses[last.id])

    values = prepost_values(rounds, answers)
    pre_responses = sum(responses[r.id] for r in rounds if r.kind == "voor")
    post_responses = sum(responses[r.id] for r in rounds if r.kind == "na")
    mastery = None
    own: list[Comparison] = []
    if pre_responses or post_responses:
        mastery = Comparison(
            PEARLIN_TOTAL_ID,
            "Regie over het eigen leven (Pearlin Mastery, 7–28)",
            Stat.of(values["voor"][PEARLIN_TOTAL_ID]),
            Stat.of(values["na"][PEARLIN_TOTAL_ID]),
        )
        own = [
            Comparison(qid, text, Stat.of(values["voor"][qid]), Stat.of(values["na"][qid]))
            for qid, text in own_questions(rounds)
        ]
    return GroupResults(
        rounds=rounds,
        responses=responses,
        codes=codes,
        trend_questions=list(trend_questions.items()),
        trend=trend,
        final=final,
        mastery=mastery,
        own=own,
        pre_responses=pre_responses,
        post_responses=post_responses,
        answers=answers,
        closed_now=closed_now,
    )


def previous_summary(db_session: so.Session, group_session: GroupSession | None) -> dict | None:
    """A short summary of the evaluation of ``group_session`` for the next meeting's page."""
    if group_session is None:
        return None
    rounds = list(
        db_session.scalars(
            sa.select(EvaluationRound)
            .where(
                EvaluationRound.group_session_id == group_session.id,
                EvaluationRound.kind == "sessie",
            )
            .options(so.joinedload(EvaluationRound.question_set))
            .order_by(EvaluationRound.id)
        )
    )
    if not rounds:
        return None
    responses = response_counts(db_session, rounds)
    round_ = rounds[-1]
    result = build_round_result(
        round_, load_answers(db_session, [round_.id])[round_.id], responses[round_.id]
    )
    return {"round": round_, "result": result, "responses": result.responses}


def rounds_for_session(
    db_session: so.Session, group_session: GroupSession
) -> list[EvaluationRound]:
    """The rounds opened for one meeting."""
    return list(
        db_session.scalars(
            sa.select(EvaluationRound)
            .where(EvaluationRound.group_session_id == group_session.id)
            .order_by(EvaluationRound.id)
        )
    )


def meeting_panel(db_session: so.Session, group: Group, group_session: GroupSession) -> dict:
    """This meeting's rounds (with responses and whether open) and a default number of codes."""
    rounds = rounds_for_session(db_session, group_session)
    responses = response_counts(db_session, rounds)
    today = today_local()
    return {
        "rounds": [(r, responses[r.id], r.is_open(today)) for r in rounds],
        "has_open": any(r.is_open(today) for r in rounds),
        "default_count": default_code_count(db_session, group, group_session),
    }
