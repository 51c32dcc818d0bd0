"""Everything the report reads from evaluations, in one place.

The report needs, per group, round kind and question, how often each value was given: never a
single answer row. How answers are stored is the evaluations area's business; if that changes,
only ``value_counts`` needs to follow.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.evaluations.models import Answer, EvaluationRound
from veiligthuis.evaluations.service import (
    OWN_GROUP,
    PEARLIN_TOTAL_ID,
    scored,
)


@dataclass
class Sums:
    """Running n and sum of scored values."""

    n: int = 0
    total: float = 0.0

    def add(self, value: float, count: int) -> None:
        self.n += count
        self.total += value * count


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


def _question_lists(rounds: list[EvaluationRound]) -> tuple[list, list]:
    own: dict[str, str] = {}
    final: dict[str, str] = {}
    for round_ in sorted(rounds, key=lambda r: r.id, reverse=True):
        for question in round_.question_set.questions:
            if question.get("type", "scale") != "scale":
                continue
            if round_.kind in ("voor", "na") and question.get("group") == OWN_GROUP:
                own.setdefault(question["id"], _text_nl(question))
            elif round_.kind == "afsluiting":
                final.setdefault(question["id"], _text_nl(question))
    return list(own.items()), list(final.items())


def value_counts(db_session: so.Session, round_ids: list[int]) -> list[tuple[int, str, int, int]]:
    """(round id, question id, value, how often) for the closed answers of these rounds."""
    if not round_ids:
        return []
    return list(
        db_session.execute(
            sa.select(Answer.round_id, Answer.question_id, Answer.value_int, sa.func.count())
            .where(Answer.round_id.in_(round_ids), Answer.value_int.is_not(None))
            .group_by(Answer.round_id, Answer.question_id, Answer.value_int)
        )
    )


def evaluation_facts(db_session: so.Session, group_ids: Iterable[int]) -> EvaluationFacts:
    """Scored sums per group of the pre/post and final rounds, in two queries."""
    ids = list(group_ids)
    rounds = (
        list(
            db_session.scalars(
                sa.select(EvaluationRound)
                .where(
                    EvaluationRound.group_id.in_(ids),
                    EvaluationRound.kind.in_(("voor", "na", "afsluiting")),
                )
                .options(so.joinedload(EvaluationRound.question_set))
            )
        )
        if ids
        else []
    )
    by_id = {r.id: r for r in rounds}
    scores: dict[int, GroupScores] = defaultdict(GroupScores)
    questions = {r.id: {q["id"]: q for q in r.question_set.questions} for r in rounds}
    for round_id, question_id, value, count in value_counts(db_session, list(by_id)):
        round_ = by_id[round_id]
        if question_id == PEARLIN_TOTAL_ID:
            number = value  # stored already scored
        else:
            question = questions[round_id].get(question_id)
            if question is None or question.get("type", "scale") != "scale":
                continue
            number = scored(round_.question_set, question, value)
        scores[round_.group_id].sums[round_.kind][question_id].add(number, count)
    own, final = _question_lists(rounds)
    return EvaluationFacts(dict(scores), own, final)
