"""Everything the report reads from evaluations, in one place.

The report needs, per report column and question, how many answers there are and their sum:
never a single answer row. How answers are stored is the evaluations area's business; if that changes,
only ``value_sums`` needs to follow (and the rounds query, if rounds change).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from veiligthuis.evaluations.models import Answer, EvaluationRound
from veiligthuis.evaluations.service import OWN_GROUP, PEARLIN_TOTAL_ID, scored
from veiligthuis.groups.models import Group
from veiligthuis.methodiek.models import MethodiekVersion, QuestionSet
from veiligthuis.models import DbSession
from veiligthuis.programmes.models import Programme

if TYPE_CHECKING:
    from veiligthuis.reports.tables import Layout


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
    #: per (report column, whether the groups have both a before and an after measurement,
    #: programme): a programme's scores are never mixed with another's
    scores: dict[tuple[int, bool, int], GroupScores]
    #: per report column: how many groups have both measurements
    paired_per_column: dict[int, int]
    #: the method's own pre/post questions and the final evaluation's scale questions
    #: (programme id, question id, text)
    own_questions: list[tuple[int, str, str]]
    final_questions: list[tuple[int, str, str]]
    #: (id, name) of every programme with scores, the women's group first
    programmes: list[tuple[int, str]] = field(default_factory=list)


def _text_nl(question: dict) -> str:
    text = question.get("text")
    return text.get("nl", "") if isinstance(text, dict) else str(text or "")


def _question_lists(
    newest: dict[tuple[str, int], int], sets: dict[int, QuestionSet], programme_of: dict[int, int]
) -> tuple[list, list]:
    """The method's own pre/post questions and the final ones, per programme, in the newest
    set's order. ``newest`` maps (round kind, question set) to the newest round using it."""
    own: dict[tuple[int, str], str] = {}
    final: dict[tuple[int, str], str] = {}
    for kind, set_id in sorted(newest, key=newest.__getitem__, reverse=True):
        programme = programme_of[set_id]
        for question in sets[set_id].questions:
            if question.get("type", "scale") != "scale":
                continue
            key = (programme, question["id"])
            if kind != "afsluiting" and question.get("group") == OWN_GROUP:
                own.setdefault(key, _text_nl(question))
            elif kind == "afsluiting":
                final.setdefault(key, _text_nl(question))
    return [(*k, text) for k, text in own.items()], [(*k, text) for k, text in final.items()]


def value_sums(db_session: DbSession, wanted: tuple, *keys) -> list[sa.Row]:
    """(``keys``..., round kind, question set, question id, how many answers, their sum) for
    the closed answers of the rounds ``wanted`` selects, grouped by ``keys`` (expressions over
    the round and its group, such as the report column of the group)."""
    answers = (
        sa.select(
            *(key.label(f"key{i}") for i, key in enumerate(keys)),
            EvaluationRound.kind,
            EvaluationRound.question_set_id,
            Answer.question_id,
            Answer.value_int,
        )
        .join(EvaluationRound, EvaluationRound.id == Answer.round_id)
        .join(Group, Group.id == EvaluationRound.group_id)
        .where(*wanted, Answer.value_int.is_not(None))
        .subquery()
    )
    # Grouped outside: PostgreSQL matches a GROUP BY term to the selected one only by column,
    # not by an expression with bound values such as the column CASE.
    group_by = [c for c in answers.c if c.name != "value_int"]
    return list(
        db_session.execute(
            sa.select(*group_by, sa.func.count(), sa.func.sum(answers.c.value_int)).group_by(
                *group_by
            )
        )
    )


def _paired(db_session: DbSession, wanted: tuple) -> set[int]:
    """The groups with a Pearlin total both before and after."""
    kinds: defaultdict[int, set[str]] = defaultdict(set)
    for group_id, kind in db_session.execute(
        sa.select(EvaluationRound.group_id, EvaluationRound.kind)
        .join(Answer, Answer.round_id == EvaluationRound.id)
        .where(
            *wanted,
            EvaluationRound.kind.in_(("voor", "na")),
            Answer.question_id == PEARLIN_TOTAL_ID,
            Answer.value_int.is_not(None),
        )
        .group_by(EvaluationRound.group_id, EvaluationRound.kind)
    ):
        kinds[group_id].add(kind)
    return {group_id for group_id, found in kinds.items() if len(found) == 2}


def _scored_total(question_set: QuestionSet, question: dict, n: int, total: float) -> float:
    # Scoring (reverse coding) is affine, so a sum is scored as n * f(0) + slope * sum, with f
    # the evaluations' own rule.
    offset = scored(question_set, question, 0)
    return n * offset + (scored(question_set, question, 1) - offset) * total


def _question_sets(db_session: DbSession, wanted: tuple) -> tuple[dict, dict, dict[int, int]]:
    """The newest round per (kind, question set), those sets (loaded once each), and the
    programme of each set."""
    newest = {
        (kind, set_id): round_id
        for kind, set_id, round_id in db_session.execute(
            sa.select(
                EvaluationRound.kind,
                EvaluationRound.question_set_id,
                sa.func.max(EvaluationRound.id),
            )
            .where(*wanted)
            .group_by(EvaluationRound.kind, EvaluationRound.question_set_id)
        )
    }
    ids = {set_id for _kind, set_id in newest}
    sets = {
        qs.id: qs
        for qs in db_session.scalars(sa.select(QuestionSet).where(QuestionSet.id.in_(ids)))
    }
    programme_of = dict(
        db_session.execute(
            sa.select(QuestionSet.id, MethodiekVersion.programme_id)
            .join(MethodiekVersion, MethodiekVersion.id == QuestionSet.version_id)
            .where(QuestionSet.id.in_(ids))
        ).all()
    )
    return newest, sets, programme_of


def evaluation_facts(db_session: DbSession, layout: "Layout") -> EvaluationFacts:
    """Scored sums per report column and programme of the pre/post and final rounds.

    The sums are added up in the database per column (and per paired or not), so the rows
    read do not grow with the number of groups."""
    ids = list(layout.column_of)
    if not ids:
        return EvaluationFacts({}, {}, [], [])
    wanted = (
        EvaluationRound.group_id.in_(ids),
        EvaluationRound.kind.in_(("voor", "na", "afsluiting")),
    )
    newest, sets, programme_of = _question_sets(db_session, wanted)
    questions = {qid: {q["id"]: q for q in qs.questions} for qid, qs in sets.items()}
    paired = _paired(db_session, wanted)
    # Constants cannot be grouped by: a key that is the same for every group is left out.
    keys: list = [Group.programme_id]
    if layout.column_key is not None:
        keys.append(layout.column_key)
    if paired:
        keys.append(EvaluationRound.group_id.in_(paired))
    scores: dict[tuple[int, bool, int], GroupScores] = defaultdict(GroupScores)
    for row in value_sums(db_session, wanted, *keys):
        programme, *key, kind, set_id, question_id, n, total = row
        column = layout.column_at(key.pop(0) if layout.column_key is not None else None)
        in_pair = bool(key.pop(0)) if paired else False
        if question_id != PEARLIN_TOTAL_ID:  # the total is stored already scored
            question = questions[set_id].get(question_id)
            if question is None or question.get("type", "scale") != "scale":
                continue
            total = _scored_total(sets[set_id], question, n, total)
        scores[column, in_pair, programme].sums[kind][question_id].add_sum(total, n)
    own, final = _question_lists(newest, sets, programme_of)
    per_column: defaultdict[int, int] = defaultdict(int)
    for group_id in paired:
        per_column[layout.column_of[group_id]] += 1
    names = dict(
        db_session.execute(
            sa.select(Programme.id, Programme.name)
            .where(Programme.id.in_({key[2] for key in scores}))
            .order_by(Programme.is_default.desc(), Programme.name)
        ).all()
    )
    return EvaluationFacts(dict(scores), dict(per_column), own, final, list(names.items()))
