"""The remembered date formatting gives what Babel gives, per time zone and language."""

import re
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

from flask import g
from flask_babel import format_datetime, refresh

WINTER = datetime(2026, 1, 15, 18, 30, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 18, 30, tzinfo=UTC)


def test_dates_and_times_are_dutch_in_amsterdam_time(app):
    date_nl, time_nl = app.jinja_env.filters["date_nl"], app.jinja_env.filters["time_nl"]
    with app.test_request_context():
        for _ in range(2):  # the second call is answered from memory
            assert date_nl(WINTER) == "donderdag 15 januari 2026"
            assert time_nl(WINTER) == "19:30" and time_nl(SUMMER) == "20:30"
            assert date_nl(SUMMER, "EEEE d MMMM, HH:mm") == "woensdag 15 juli, 20:30"
            assert date_nl(date(2026, 7, 15), "d MMM y") == "15 jul 2026"
            assert date_nl(None) == "—" and time_nl(None) == "—"
            # A group's start time is wall-clock: shown as it is, in winter and summer alike.
            assert time_nl(time(19, 0)) == "19:00"


def test_another_language_is_not_served_from_memory(app):
    date_nl = app.jinja_env.filters["date_nl"]
    with app.test_request_context():
        assert date_nl(WINTER) == "donderdag 15 januari 2026"
    with app.test_request_context():
        g.locale = "en"  # what a participant's page in another language sets
        refresh()
        assert date_nl(WINTER) == format_datetime(WINTER, "EEEE d MMMM y")
        assert date_nl(WINTER) == "Thursday 15 January 2026"


def test_a_language_chosen_during_the_request_counts_from_then_on(app):
    date_nl = app.jinja_env.filters["date_nl"]
    with app.test_request_context():
        assert date_nl(WINTER) == "donderdag 15 januari 2026"
        g.locale = "en"
        refresh()
        assert date_nl(WINTER) == "Thursday 15 January 2026"


def test_formatting_a_date_reads_the_request_choice_in_a_few_steps(app):
    """Pages show dozens of dates: each may not ask Babel for the language and zone anew
    (some 25 Python calls a date before; a page of groups spent a fifth of its work on it)."""
    time_nl = app.jinja_env.filters["time_nl"]
    with app.test_request_context():
        time_nl(WINTER)
        calls = []
        sys.setprofile(lambda _frame, event, _arg: calls.append(1) if event == "call" else None)
        try:
            time_nl(WINTER)
        finally:
            sys.setprofile(None)
    assert len(calls) <= 6


TEMPLATES = Path(__file__).resolve().parent.parent / "veiligthuis" / "templates"
# Formatting a date or time by hand in a template: every page goes through the shared filters
# (date_nl, short_date, time_nl), so staff read one format everywhere.
RAW_FORMATTING = re.compile(r"\.(strftime|isoformat)\(")


def test_templates_show_dates_only_through_the_shared_filters():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_FORMATTING.search(line)
    ]
    assert offenders == []
