"""Anonymous outcomes over all groups: the pre/post measurement, the final and the short
evaluations, pooled. Beyond the group every count under five is suppressed."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.evaluations.models import EvaluationRound
from veiligthuis.evaluations.service import (
    PEARLIN_TOTAL_ID,
    Comparison,
    Stat,
    load_answers,
    own_questions,
    prepost_values,
    response_counts,
)
from veiligthuis.groups.models import Group

#: beyond a single group, smaller counts are not shown
MIN_COUNT = 5
MASTERY_LABEL = "Regie over het eigen leven (Pearlin Mastery, 7–28)"


def is_shown(n: int) -> bool:
    """Whether a count may be shown beyond the group."""
    return n >= MIN_COUNT


@dataclass
class GroupOutcome:
    group: Group
    mastery: Comparison


@dataclass
class QuestionMean:
    id: str
    text: str
    stat: Stat


@dataclass
class OutcomeReport:
    years: list[int]
    group_count: int
    responses: dict[str, int]
    mastery: Comparison
    own: list[Comparison]
    groups: list[GroupOutcome]
    final: list[QuestionMean]
    trend_questions: list[tuple[str, str]]
    trend: dict[int, dict[str, Stat]] = field(default_factory=dict)


def _text_nl(question: dict) -> str:
    text = question.get("text")
    return text.get("nl", "") if isinstance(text, dict) else str(text or "")


def report_years(db_session: so.Session) -> list[int]:
    """The years in which groups with evaluation rounds started, newest first."""
    firsts = db_session.scalars(
        sa.select(Group.first_date).where(Group.id.in_(sa.select(EvaluationRound.group_id)))
    )
    return sorted({d.year for d in firsts}, reverse=True)


def outcome_report(db_session: so.Session, year: int | None = None) -> OutcomeReport:
    """Outcomes of all groups (that started in ``year``, if given), in a fixed number of queries."""
    query = (
        sa.select(EvaluationRound)
        .join(Group, Group.id == EvaluationRound.group_id)
        .options(
            so.contains_eager(EvaluationRound.group),
            so.joinedload(EvaluationRound.question_set),
            so.joinedload(EvaluationRound.group_session),
        )
        .order_by(Group.first_date, Group.id, EvaluationRound.id)
    )
    if year is not None:
        query = query.where(Group.first_date.between(date(year, 1, 1), date(year, 12, 31)))
    rounds = list(db_session.scalars(query).unique())
    responses = response_counts(db_session, rounds)
    answers = load_answers(db_session, [r.id for r in rounds])

    by_group: dict[int, list[EvaluationRound]] = defaultdict(list)
    for round_ in rounds:
        by_group[round_.group_id].append(round_)

    pooled = {"voor": defaultdict(list), "na": defaultdict(list)}
    groups = []
    for group_rounds in by_group.values():
        values = prepost_values(group_rounds, answers)
        for kind in pooled:
            for qid, numbers in values[kind].items():
                pooled[kind][qid].extend(numbers)
        if any(r.kind in ("voor", "na") for r in group_rounds):
            groups.append(
                GroupOutcome(
                    group_rounds[0].group,
                    Comparison(
                        PEARLIN_TOTAL_ID,
                        MASTERY_LABEL,
                        Stat.of(values["voor"][PEARLIN_TOTAL_ID]),
                        Stat.of(values["na"][PEARLIN_TOTAL_ID]),
                    ),
                )
            )

    mastery = Comparison(
        PEARLIN_TOTAL_ID,
        MASTERY_LABEL,
        Stat.of(pooled["voor"][PEARLIN_TOTAL_ID]),
        Stat.of(pooled["na"][PEARLIN_TOTAL_ID]),
    )
    own = [
        Comparison(qid, text, Stat.of(pooled["voor"][qid]), Stat.of(pooled["na"][qid]))
        for qid, text in own_questions(rounds)
    ]

    final_values: dict[str, list[int]] = defaultdict(list)
    final_texts: dict[str, str] = {}
    trend_values: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    trend_texts: dict[str, str] = {}
    for round_ in rounds:
        if round_.kind not in ("afsluiting", "sessie"):
            continue
        scale_questions = {
            q["id"]: q for q in round_.question_set.questions if q.get("type", "scale") == "scale"
        }
        number = round_.group_session.number if round_.group_session else None
        for qid, question in scale_questions.items():
            (final_texts if round_.kind == "afsluiting" else trend_texts).setdefault(
                qid, _text_nl(question)
            )
        for answer in answers[round_.id]:
            if answer.question_id not in scale_questions or answer.value_int is None:
                continue
            if round_.kind == "afsluiting":
                final_values[answer.question_id].append(answer.value_int)
            elif number:
                trend_values[number][answer.question_id].append(answer.value_int)

    kinds = defaultdict(int)
    for round_ in rounds:
        kinds[round_.kind] += responses[round_.id]

    return OutcomeReport(
        years=report_years(db_session),
        group_count=len(by_group),
        responses=dict(kinds),
        mastery=mastery,
        own=own,
        groups=groups,
        final=[
            QuestionMean(qid, text, Stat.of(final_values[qid])) for qid, text in final_texts.items()
        ],
        trend_questions=list(trend_texts.items()),
        trend={
            number: {qid: Stat.of(v) for qid, v in per_question.items()}
            for number, per_question in sorted(trend_values.items())
        },
    )


def mean_of(stat: Stat) -> float | None:
    """The mean if the count may be shown, else None."""
    return stat.mean if is_shown(stat.n) else None
