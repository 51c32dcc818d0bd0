"""Everything the report reads from evaluations, in one place.

The report needs, per round and question, how many answers there are and their sum: never a
single answer row. How answers are stored is the evaluations area's business; if that changes,
only ``value_sums`` needs to follow (and the rounds query, if rounds change).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from veiligthuis.evaluations.models import Answer, EvaluationRound
from veiligthuis.evaluations.service import OWN_GROUP, PEARLIN_TOTAL_ID, scored
from veiligthuis.methodiek.models import QuestionSet
from veiligthuis.models import DbSession


@dataclass
class Sums:
    """Running n and sum of scored values."""

    n: int = 0
    total: float = 0.0

    def add(self, value: float, count: int) -> None:
        self.n += count
        self.total += value * count

    def add_sum(self, total: float, count: int) -> None:
        self.n += count
        self.total += total


@dataclass
class GroupScores:
    """Per round kind ("voor", "na", "afsluiting") and question id: the scored sums."""

    sums: dict[str, dict[str, Sums]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Sums))
    )


@dataclass
class EvaluationFacts:
    scores: dict[int, GroupScores]
    #: the method's own pre/post questions and the final evaluation's scale questions (id, text)
    own_questions: list[tuple[str, str]]
    final_questions: list[tuple[str, str]]


def _text_nl(question: dict) -> str:
    text = question.get("text")
    return text.get("nl", "") if isinstance(text, dict) else str(text or "")


def _question_lists(rounds: list, sets: dict[int, QuestionSet]) -> tuple[list, list]:
    """The method's own pre/post questions and the final ones, in the newest set's order."""
    newest: dict[tuple[str, int], int] = {}
    for round_ in rounds:
        kind = "afsluiting" if round_.kind == "afsluiting" else "voor-na"
        key = (kind, round_.question_set_id)
        newest[key] = max(newest.get(key, 0), round_.id)
    own: dict[str, str] = {}
    final: dict[str, str] = {}
    for kind, set_id in sorted(newest, key=newest.__getitem__, reverse=True):
        for question in sets[set_id].questions:
            if question.get("type", "scale") != "scale":
                continue
            if kind == "voor-na" and question.get("group") == OWN_GROUP:
                own.setdefault(question["id"], _text_nl(question))
            elif kind == "afsluiting":
                final.setdefault(question["id"], _text_nl(question))
    return list(own.items()), list(final.items())


def value_sums(db_session: DbSession, rounds: sa.Select) -> list[tuple[int, str, int, int]]:
    """(round id, question id, how many answers, their sum) for the closed answers of rounds."""
    return list(
        db_session.execute(
            sa.select(
                Answer.round_id, Answer.question_id, sa.func.count(), sa.func.sum(Answer.value_int)
            )
            .where(Answer.round_id.in_(rounds), Answer.value_int.is_not(None))
            .group_by(Answer.round_id, Answer.question_id)
        )
    )


def evaluation_facts(db_session: DbSession, group_ids: Iterable[int]) -> EvaluationFacts:
    """Scored sums per group of the pre/post and final rounds, in three queries."""
    ids = list(group_ids)
    if not ids:
        return EvaluationFacts({}, [], [])
    wanted = (
        EvaluationRound.group_id.in_(ids),
        EvaluationRound.kind.in_(("voor", "na", "afsluiting")),
    )
    rounds = list(
        db_session.execute(
            sa.select(
                EvaluationRound.id,
                EvaluationRound.group_id,
                EvaluationRound.kind,
                EvaluationRound.question_set_id,
            ).where(*wanted)
        )
    )
    # Few distinct question sets serve many rounds: load each once.
    sets = {
        qs.id: qs
        for qs in db_session.scalars(
            sa.select(QuestionSet).where(QuestionSet.id.in_({r.question_set_id for r in rounds}))
        )
    }
    questions = {qid: {q["id"]: q for q in qs.questions} for qid, qs in sets.items()}
    by_id = {r.id: r for r in rounds}
    scores: dict[int, GroupScores] = defaultdict(GroupScores)
    for round_id, question_id, n, total in value_sums(
        db_session, sa.select(EvaluationRound.id).where(*wanted)
    ):
        round_ = by_id[round_id]
        if question_id != PEARLIN_TOTAL_ID:  # the total is stored already scored
            question = questions[round_.question_set_id].get(question_id)
            if question is None or question.get("type", "scale") != "scale":
                continue
            # Scoring (reverse coding) is affine, so a sum is scored as n * f(0) + slope * sum,
            # with f the evaluations' own rule.
            question_set = sets[round_.question_set_id]
            offset = scored(question_set, question, 0)
            total = n * offset + (scored(question_set, question, 1) - offset) * total
        scores[round_.group_id].sums[round_.kind][question_id].add_sum(total, n)
    own, final = _question_lists(rounds, sets)
    return EvaluationFacts(dict(scores), own, final)
