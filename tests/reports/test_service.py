"""The yearly report: paired before/after, small cells hidden everywhere, reach and support."""

import re
from datetime import date

import pytest

from tests.conftest import count_queries
from tests.evaluations.conftest import pearlin_values
from tests.reports.conftest import csv_files, report_for
from tests.reports.test_suppression import recover
from veiligthuis.extensions import db
from veiligthuis.groups import service as groups_service
from veiligthuis.reports.suppression import format_mean
from veiligthuis.sessions import service as sessions_service

# pearlin_values(2) totals 19; pm4 and pm6 are not reverse-coded, so lowering them lowers the total
P19, P18, P17 = pearlin_values(2), pearlin_values(2, pm4=1), pearlin_values(2, pm4=1, pm6=1)


def _table(report, key):
    return next(t for t in report.tables if t.key == key)


@pytest.fixture
def issue_example(measured, make_location):
    """All groups n=11 mean 18.4; group A n=8 mean 18.8; the small group B: 17.3."""
    a_values = [P19] * 6 + [P18] * 2  # 150 / 8 = 18.75
    b_values = [P17, P17, P18]  # 52 / 3 = 17.33
    a = measured(a_values, a_values, location=make_location("Noord"), first_date=date(2026, 3, 2))
    b = measured(b_values, b_values, location=make_location("Zuid"), first_date=date(2026, 9, 7))
    return a, b


def test_a_hidden_small_group_cannot_be_recovered_by_subtraction(issue_example):
    report = report_for(compare="locatie")
    pearlin = _table(report, "pearlin")
    before = pearlin.rows[0].cells
    assert pearlin.columns == ["Noord", "Zuid", "totaal"]
    assert (before[2].n, format_mean(before[2])) == (11, "18,4")  # the total stays shown
    assert before[1].is_hidden  # the small group
    assert before[0].is_hidden  # and the one it could be subtracted from
    assert not recover(report.tables) & {id(before[0]), id(before[1])}
    files = csv_files(report)
    assert "18,8" not in files["pearlin.csv"] and "17,3" not in files["pearlin.csv"]
    row = next(line for line in files["pearlin.csv"].splitlines() if line.startswith("voormeting"))
    assert row.split(";") == ["voormeting", "x", "x", "x", "x", "11", "18,4"]


def test_before_and_after_compare_only_groups_that_have_both(measured, make_location):
    # Group A: before 5 x 16, after 5 x 19 (+3). Group B only before, 5 x 13.
    measured([pearlin_values(3)] * 5, [P19] * 5)
    measured([pearlin_values(4)] * 5, None)
    pearlin = _table(report_for(), "pearlin")
    before, after = (row.cells[0] for row in pearlin.rows)
    assert (before.n, before.mean, after.n, after.mean) == (5, 16, 5, 19)
    assert pearlin.change((0, 1), 0) == pytest.approx(3.0)
    assert "Groepen met voor- én nameting: totaal 1" in pearlin.notes


def _person(group, **fields):
    data = groups_service.ParticipantData(alias="Anna", **fields)
    return groups_service.add_participant(db.session, group.facilitator_a, group, data)


def test_reach_counts_not_asked_apart_from_not_given(make_group):
    group = make_group(first_date=date(2026, 2, 2))
    for _ in range(6):
        _person(group, status="active", age_band="25_34", referral_source="huisarts")
    for _ in range(5):
        _person(group, status="waiting", age_band="declined")
    for _ in range(5):
        _person(group, status="intake")
    db.session.commit()
    report = report_for()
    ages = {r.label: r.cells[0].shown_n for r in _table(report, "age_band").rows}
    assert ages["25–34"] == 6
    assert ages["niet opgegeven (zegt ze liever niet)"] == 5
    assert ages["niet gevraagd of niet ingevuld"] == 5
    assert ages["jonger dan 25"] == 0  # a zero describes nobody
    overview = {r.label: r.cells[0].shown_n for r in _table(report, "bereik").rows}
    assert overview["Aanmeldingen"] == 16 and overview["Gestart in de groep"] == 6
    assert overview["Op de wachtlijst"] == 5


def test_nothing_personal_leaves_the_report(make_group):
    group = make_group(first_date=date(2026, 2, 2), name="Groep Fatima")
    people = [_person(group, status="active", language="Tigrinya") for _ in range(3)]
    people += [_person(group, status="active", language="Arabisch") for _ in range(6)]
    db.session.commit()
    text = "\n".join(csv_files(report_for()).values())
    assert "Arabisch" in text and "Tigrinya" not in text  # a rare language is not named
    assert "Groep Fatima" not in text and "Anna" not in text
    assert not any(p.code in text for p in people)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no day, only months


def test_query_count_does_not_grow_with_the_groups(measured, make_location):
    def count() -> int:
        with count_queries(db.engine) as n:
            report_for(compare="locatie")
        return n()

    measured([P19] * 5, [P18] * 5)
    few = count()
    for _ in range(4):
        measured([P19] * 5, [P18] * 5, location=make_location())
    assert count() == few


def test_every_table_says_how_it_is_computed(issue_example):
    report = report_for(compare="jaar")
    keys = [t.key for t in report.tables]
    assert len(keys) == len(set(keys)) >= 15
    assert all(len(t.how) > 40 for t in report.tables)
    assert [title for title, _ in report.sections] == [
        "Bereik",
        "Deelname",
        "Uitkomsten",
        "Naast de groep",
        "Werving en partners",
    ]


def test_figures_close_to_a_hidden_one_are_hidden_with_it(make_group, make_location):
    big = make_group(location=make_location("Noord"), first_date=date(2026, 2, 2))
    small = make_group(location=make_location("Zuid"), first_date=date(2026, 2, 9))
    for group, count in ((big, 9), (small, 3)):
        women = [
            _person(group, status="active", intake_date=date(2026, 1, 5)) for _ in range(count)
        ]
        marks = {(p.id, s.id): "present" for p in women for s in group.active_sessions}
        sessions_service.record_attendance(db.session, group.facilitator_a, group, marks)
    db.session.commit()
    report = report_for(compare="locatie")
    rows = {r.label: [c.shown_n for c in r.cells] for r in _table(report, "bereik").rows}
    # Zuid is small; Noord must go too, or 12 - 9 gives Zuid away; and so must everything
    # in Noord that equals its referrals: intakes, starts, attendance, the waiting time's n.
    assert rows["Aanmeldingen"] == [None, None, 12]
    assert rows["Intakegesprek gehad"] == rows["Gestart in de groep"] == [None, None, 12]
    first = _table(report, "aanwezigheid").rows[0].cells
    assert [c.shown_n for c in first] == [None, None, 12]
    assert [c.shown_n for c in _table(report, "wachttijd").rows[0].cells] == [None, None, 12]
    hidden = {id(c) for t in report.tables for r in t.all_rows for c in r.cells if c.is_hidden}
    assert not recover(report.tables) & hidden
