"""The cross-group outcome report: pooled pre/post, suppression of small counts, year filter."""

import math
from datetime import date

import pytest

from tests.evaluations.conftest import pearlin_values
from veiligthuis.extensions import db
from veiligthuis.reports import service

# pearlin_values(s) answers every item s; with five items reverse-coded the totals are:
TOTAL = {1: 22, 2: 19, 3: 16, 4: 13}


@pytest.fixture
def two_groups(eval_group, open_round, answer):
    """Group A: 5 before, 5 after. Group B: 4 before, 3 after (both under five)."""
    a = eval_group(name="Groep A", first_date=date(2026, 9, 7))
    b = eval_group(name="Groep B", first_date=date(2026, 9, 8))
    plan = {a: ([3, 3, 3, 2, 2], [1, 1, 2, 2, 1]), b: ([4, 4, 3, 3], [2, 2, 1])}
    for group, (before, after) in plan.items():
        for kind, scores in (("voor", before), ("na", after)):
            round_, codes = open_round(group, kind, count=len(scores))
            for code, score in zip(codes, scores, strict=True):
                answer(round_, code, pearlin_values(score))
    return a, b


def test_pooled_pre_post_over_all_groups(two_groups):
    report = service.outcome_report(db.session)
    assert report.group_count == 2
    mastery = report.mastery
    # before: 16,16,16,19,19 and 13,13,16,16 -> 144 / 9; after: 22,22,19,19,22 and 19,19,22 -> 164 / 8
    assert mastery.before.n == 9 and mastery.before.mean == pytest.approx(16.0)
    assert mastery.after.n == 8 and mastery.after.mean == pytest.approx(20.5)
    assert mastery.change == pytest.approx(4.5)
    assert mastery.before.sd == pytest.approx(math.sqrt(36 / 8))  # four deviations of 3
    assert mastery.after.sd == pytest.approx(math.sqrt(18 / 7))  # eight deviations of 1.5
    by_name = {o.group.name: o.mastery for o in report.groups}
    assert by_name["Groep A"].before.mean == pytest.approx(17.2)
    assert by_name["Groep A"].after.mean == pytest.approx(20.8)
    assert by_name["Groep B"].after.n == 3
    assert not service.is_shown(by_name["Groep B"].after.n) and service.is_shown(5)
    assert service.mean_of(by_name["Groep B"].after) is None
    own = {c.id: c for c in report.own}
    assert own["eigen1"].before.n == 9 and own["eigen1"].before.mean == pytest.approx(27 / 9)
    assert report.responses == {"voor": 9, "na": 8}


def test_year_filter_takes_groups_that_started_that_year(
    two_groups, eval_group, open_round, answer
):
    old = eval_group(name="Groep Oud", first_date=date(2025, 3, 3))
    round_, codes = open_round(old, "voor", count=5)
    for code in codes:
        answer(round_, code, pearlin_values(1))
    assert service.report_years(db.session) == [2026, 2025]
    assert service.outcome_report(db.session).mastery.before.n == 14
    only_2026 = service.outcome_report(db.session, 2026)
    assert only_2026.mastery.before.n == 9 and only_2026.group_count == 2
    only_2025 = service.outcome_report(db.session, 2025)
    assert only_2025.mastery.before.mean == TOTAL[1] and only_2025.group_count == 1


def test_short_evaluations_pool_per_meeting_number(eval_group, open_round, answer):
    first, second = eval_group(), eval_group()
    for group, scores in ((first, [4, 4, 5]), (second, [2, 5])):
        round_, codes = open_round(group, "sessie", number=1, count=len(scores))
        for code, score in zip(codes, scores, strict=True):
            answer(round_, code, {"veilig_in_groep": score})
    report = service.outcome_report(db.session)
    stat = report.trend[1]["veilig_in_groep"]
    assert stat.n == 5 and stat.mean == pytest.approx(4.0)
