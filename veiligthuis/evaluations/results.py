"""The results a team may see: distributions, means, trends and before/after comparisons.

Nothing here can tie answers of one person together: answers carry no code or person, so the
Pearlin total is stored as an answer of its own when she sends (see ``answering``).
"""

import math
import random
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from veiligthuis.evaluations.answering import PEARLIN_TOTAL_ID, scored
from veiligthuis.evaluations.models import Answer, EvaluationRound
from veiligthuis.evaluations.rounds import (
    close_expired_rounds,
    code_counts,
    default_code_count,
    group_rounds,
    response_counts,
    rounds_for_session,
)
from veiligthuis.groups.models import Group
from veiligthuis.models import DbSession
from veiligthuis.sessions.models import GroupSession
from veiligthuis.sessions.schedule import today_local

#: a team sees a round's results (and a question's) from this many answers
MIN_RESPONSES = 3
OWN_GROUP = "eigen"


@dataclass
class Stat:
    """Number, mean and spread of a list of numbers."""

    n: int
    mean: float | None
    sd: float | None

    @classmethod
    def of(cls, values: list[float]) -> "Stat":
        """The statistics of ``values`` (sd, the sample's, needs two values).

        In floating point: ``statistics.stdev`` works in exact fractions, and on a results page
        with a dozen comparisons that cost more than loading the answers. Answers are small
        whole numbers, so the two agree far beyond the one decimal shown."""
        n = len(values)
        if not n:
            return cls(0, None, None)
        mean = math.fsum(values) / n
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1)) if n >= 2 else None
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


#: an answer as results and the CSV read it (round_id, question_id, value_int, value_text,
#: answered_date, is_staff_entered), by name
AnswerValues = sa.Row


def load_answers(db_session: DbSession, round_ids: Iterable[int]) -> dict[int, list[AnswerValues]]:
    """Answers per round, in one query, as plain rows (a group's rounds hold thousands)."""
    ids = list(round_ids)
    by_round: dict[int, list[AnswerValues]] = {i: [] for i in ids}
    if ids:
        rows = db_session.execute(
            sa.select(
                Answer.round_id,
                Answer.question_id,
                Answer.value_int,
                Answer.value_text,
                Answer.answered_date,
                Answer.is_staff_entered,
            ).where(Answer.round_id.in_(ids))
        )
        for row in rows:
            by_round[row.round_id].append(row)
    return by_round


def build_round_result(
    round_: EvaluationRound,
    answers: list[AnswerValues],
    responses: int,
    rng: random.Random | None = None,
) -> RoundResult:
    """Distributions, means and shuffled open answers of a round (empty below the threshold)."""
    if responses < MIN_RESPONSES:
        return RoundResult(round_, responses, [])
    rng = rng or random.SystemRandom()
    question_set = round_.question_set
    per_question: dict[str, list[AnswerValues]] = defaultdict(list)
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
                for o in question_set.scales.get(result.scale or "", [])
            ]
        results.append(result)
    return RoundResult(round_, responses, results)


def round_result(db_session: DbSession, round_: EvaluationRound) -> RoundResult:
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
    answers: dict[int, list[AnswerValues]] = field(default_factory=dict)
    #: rounds found past their last day and marked closed while loading (the view commits)
    closed_now: int = 0

    def round_result(self, round_: EvaluationRound) -> RoundResult:
        """One of its rounds' results."""
        return build_round_result(
            round_, self.answers.get(round_.id, []), self.responses[round_.id]
        )


def _mirrors(round_: EvaluationRound, cache: dict) -> dict[str, int | None]:
    """Per scale question of the round's set: min + max of its scale if reverse-coded, else None.

    Built once per question set, not read from its scales again for every answer.
    """
    key = round_.question_set_id
    if key not in cache:
        question_set = round_.question_set
        mirrors: dict[str, int | None] = {}
        for question in question_set.questions:
            if question.get("type") == "text":
                continue
            # scored(v) is v, or min + max - v for a reverse-coded item
            mirrors[question["id"]] = (
                scored(question_set, question, 0) if question.get("reverse") else None
            )
        cache[key] = mirrors
    return cache[key]


def prepost_values(
    rounds: Iterable[EvaluationRound], answers: Mapping[int, list[AnswerValues]]
) -> dict[str, dict[str, list[float]]]:
    """Scored values per question id for "voor" and "na" (Pearlin total under PEARLIN_TOTAL_ID)."""
    collected: dict[str, dict[str, list[float]]] = {
        "voor": defaultdict(list),
        "na": defaultdict(list),
    }
    cache: dict[int, dict[str, int | None]] = {}
    for round_ in rounds:
        if round_.kind not in collected:
            continue
        mirrors = _mirrors(round_, cache)
        values = collected[round_.kind]
        for answer in answers.get(round_.id, []):
            if answer.value_int is None:
                continue
            if answer.question_id == PEARLIN_TOTAL_ID:
                values[PEARLIN_TOTAL_ID].append(answer.value_int)
                continue
            if answer.question_id not in mirrors:
                continue
            mirror = mirrors[answer.question_id]
            values[answer.question_id].append(
                answer.value_int if mirror is None else mirror - answer.value_int
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


def _session_rounds_by_number(rounds: list[EvaluationRound]) -> dict[int, list[EvaluationRound]]:
    by_number: dict[int, list[EvaluationRound]] = defaultdict(list)
    for round_ in rounds:
        if round_.kind == "sessie" and round_.group_session and round_.group_session.number:
            by_number[round_.group_session.number].append(round_)
    return by_number


def _trend(
    rounds: list[EvaluationRound], responses: dict[int, int], answers: dict[int, list[AnswerValues]]
) -> tuple[dict[str, str], list[TrendPoint]]:
    """Per meeting number the pooled means of the scale questions, with their Dutch texts."""
    trend_questions: dict[str, str] = {}
    trend: list[TrendPoint] = []
    by_number = _session_rounds_by_number(rounds)
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
    return trend_questions, trend


def _final_result(
    rounds: list[EvaluationRound], responses: dict[int, int], answers: dict[int, list[AnswerValues]]
) -> RoundResult | None:
    finals = [r for r in rounds if r.kind == "afsluiting"]
    if not finals:
        return None
    last = finals[-1]
    return build_round_result(last, answers[last.id], responses[last.id])


def _prepost(
    rounds: list[EvaluationRound], answers: dict[int, list[AnswerValues]], has_responses: bool
) -> tuple[Comparison | None, list[Comparison]]:
    """Pearlin mastery and the method's own questions, before against after."""
    if not has_responses:
        return None, []
    values = prepost_values(rounds, answers)
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
    return mastery, own


def group_results(db_session: DbSession, group: Group, today: date) -> GroupResults:
    """Everything the team sees about a group's evaluations, in a fixed number of queries."""
    rounds = group_rounds(db_session, group)
    closed_now = close_expired_rounds(db_session, rounds, today)
    responses = response_counts(db_session, rounds)
    codes = code_counts(db_session, rounds)
    answers = load_answers(db_session, [r.id for r in rounds])
    trend_questions, trend = _trend(rounds, responses, answers)
    pre_responses = sum(responses[r.id] for r in rounds if r.kind == "voor")
    post_responses = sum(responses[r.id] for r in rounds if r.kind == "na")
    mastery, own = _prepost(rounds, answers, bool(pre_responses or post_responses))
    return GroupResults(
        rounds=rounds,
        responses=responses,
        codes=codes,
        trend_questions=list(trend_questions.items()),
        trend=trend,
        final=_final_result(rounds, responses, answers),
        mastery=mastery,
        own=own,
        pre_responses=pre_responses,
        post_responses=post_responses,
        answers=answers,
        closed_now=closed_now,
    )


def previous_summary(db_session: DbSession, group_session: GroupSession | None) -> dict | None:
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


def meeting_panel(db_session: DbSession, group: Group, group_session: GroupSession) -> dict:
    """This meeting's rounds (with responses and whether open) and a default number of codes."""
    rounds = rounds_for_session(db_session, group_session)
    responses = response_counts(db_session, rounds)
    today = today_local()
    return {
        "rounds": [(r, responses[r.id], r.is_open(today)) for r in rounds],
        "has_open": any(r.is_open(today) for r in rounds),
        "default_count": default_code_count(db_session, group, group_session),
    }
