"""Tests for veiligthuis.sessions.schedule (pure scheduling logic)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veiligthuis.sessions.schedule import (
    REGIONS,
    SESSION_COUNT,
    SESSION_MINUTES,
    TZ,
    WEEKDAYS_NL,
    Closure,
    Skipped,
    SkipRules,
    blocked_reason,
    ensure_aware_utc,
    next_free_days,
    plan_series,
    school_holidays_known,
    to_local,
)

DEFAULT = SkipRules()
EVENING = time(19, 0)


def days_of(planned):
    return [p.day for p in planned]


# --------------------------------------------------------------------------- independent oracle


def easter_sunday(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher), independent of `holidays`."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


@cache
def _public_nl() -> holidays.HolidayBase:
    return holidays.NL(years=range(2024, 2033), language="nl")


@cache
def _school_nl(region: str) -> holidays.HolidayBase:
    return holidays.NL(
        years=range(2024, 2033), categories=("school",), subdiv=region.capitalize(), language="nl"
    )


def oracle_blocked(day: date, region: str, rules: SkipRules, closures) -> bool:
    good_friday = easter_sunday(day.year) - timedelta(days=2)
    liberation_day = date(day.year, 5, 5)
    if rules.skip_good_friday and day == good_friday:
        return True
    if rules.skip_liberation_day and day == liberation_day:
        return True
    is_flagged_day = day in (good_friday, liberation_day)
    if rules.skip_public_holidays and not is_flagged_day and day in _public_nl():
        return True
    if rules.skip_school_holidays and day in _school_nl(region):
        return True
    return any(c.start_date <= day <= c.end_date for c in closures)


# --------------------------------------------------------------------------- property tests

START_MIN = date(2025, 1, 1)
START_MAX = date(2030, 6, 30)

rules_st = st.builds(
    SkipRules,
    skip_public_holidays=st.booleans(),
    skip_good_friday=st.booleans(),
    skip_liberation_day=st.booleans(),
    skip_school_holidays=st.booleans(),
)
start_time_st = st.times(min_value=time(8, 0), max_value=time(21, 0))


@st.composite
def closures_near(draw, first: date):
    closures = []
    for _ in range(draw(st.integers(0, 3))):
        start = first + timedelta(days=draw(st.integers(-30, 200)))
        length = draw(st.integers(0, 45))
        reason = draw(st.sampled_from(["Verbouwing", "Zomersluiting", "Studiedag team"]))
        closures.append(Closure(start, start + timedelta(days=length), reason))
    return closures


@st.composite
def scenarios(draw):
    first = draw(st.dates(min_value=START_MIN, max_value=START_MAX))
    return (
        first,
        draw(st.integers(0, 6)),
        draw(start_time_st),
        draw(st.sampled_from(REGIONS)),
        draw(rules_st),
        draw(closures_near(first)),
    )


PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(scenarios())
def test_plan_series_properties(scenario):
    first, weekday, start_time, region, rules, closures = scenario
    planned, skipped = plan_series(first, weekday, start_time, region, rules, closures)

    assert len(planned) == SESSION_COUNT
    assert [p.number for p in planned] == list(range(1, SESSION_COUNT + 1))
    days = days_of(planned)
    assert all(a < b for a, b in zip(days, days[1:], strict=False))
    assert all(d.weekday() == weekday for d in days)
    assert all(not oracle_blocked(d, region, rules, closures) for d in days)

    for p in planned:
        assert p.start_dt.utcoffset() == timedelta(0)
        assert p.end_dt.utcoffset() == timedelta(0)
        assert p.end_dt - p.start_dt == timedelta(minutes=SESSION_MINUTES)
        local_start = to_local(p.start_dt)
        assert local_start.date() == p.day
        assert local_start.time() == start_time
        local_end = to_local(p.end_dt)
        assert local_end.replace(tzinfo=None) - local_start.replace(tzinfo=None) == timedelta(
            minutes=SESSION_MINUTES
        )

    first_candidate = first + timedelta(days=(weekday - first.weekday()) % 7)
    assert first_candidate.weekday() == weekday and 0 <= (first_candidate - first).days < 7
    for s in skipped:
        assert first_candidate <= s.day < days[-1]
        assert s.day.weekday() == weekday
        assert s.reason and s.reason.strip()
        assert oracle_blocked(s.day, region, rules, closures)

    # Every weekly candidate up to the last session is either held or skipped.
    expected = []
    day = first_candidate
    while day <= days[-1]:
        expected.append(day)
        day += timedelta(weeks=1)
    assert sorted(days + [s.day for s in skipped]) == expected
    assert len({s.day for s in skipped}) == len(skipped)


@PROPERTY_SETTINGS
@given(
    day=st.dates(min_value=START_MIN, max_value=date(2030, 12, 31)),
    region=st.sampled_from(REGIONS),
    rules=rules_st,
)
def test_blocked_reason_agrees_with_oracle(day, region, rules):
    reason = blocked_reason(day, region, rules, [])
    assert (reason is not None) == oracle_blocked(day, region, rules, [])


@PROPERTY_SETTINGS
@given(
    first=st.dates(min_value=START_MIN, max_value=START_MAX),
    weekday=st.integers(0, 6),
    count=st.integers(0, 15),
    weeks_between=st.integers(1, 3),
    region=st.sampled_from(REGIONS),
    rules=rules_st,
)
def test_next_free_days_steps(first, weekday, count, weeks_between, region, rules):
    free, skipped = next_free_days(
        first, weekday, count, region, rules, [], weeks_between=weeks_between
    )
    assert len(free) == count
    candidates = sorted(free + [s.day for s in skipped])
    if candidates:
        assert candidates[0] >= first and (candidates[0] - first).days < 7
        assert all(
            (b - a).days == 7 * weeks_between
            for a, b in zip(candidates, candidates[1:], strict=False)
        )
        assert all(d.weekday() == weekday for d in candidates)


# --------------------------------------------------------------------------- known cases


@pytest.mark.parametrize("region", REGIONS)
def test_koningsdag_skipped(region):
    planned, skipped = plan_series(date(2026, 4, 20), 0, EVENING, region, DEFAULT, [])
    assert planned[0].day == date(2026, 4, 20)
    assert date(2026, 4, 27) not in days_of(planned)
    assert Skipped(date(2026, 4, 27), "Koningsdag") in skipped
    assert blocked_reason(date(2026, 4, 27), region, DEFAULT, []) == "Koningsdag"


def test_koningsdag_skipped_without_school_holidays():
    rules = SkipRules(skip_school_holidays=False)
    planned, skipped = plan_series(date(2026, 4, 20), 0, EVENING, "noord", rules, [])
    assert days_of(planned)[:2] == [date(2026, 4, 20), date(2026, 5, 4)]
    assert skipped[0] == Skipped(date(2026, 4, 27), "Koningsdag")


@pytest.mark.parametrize("region", REGIONS)
def test_liberation_day_flag(region):
    liberation = date(2026, 5, 5)  # a Tuesday, just after the May holiday
    assert liberation.weekday() == 1
    planned, skipped = plan_series(liberation, 1, EVENING, region, SkipRules(), [])
    assert planned[0].day == date(2026, 5, 12)
    assert skipped[0] == Skipped(liberation, "Bevrijdingsdag")

    rules = SkipRules(skip_liberation_day=False)
    planned, skipped = plan_series(liberation, 1, EVENING, region, rules, [])
    assert planned[0].day == liberation
    assert liberation not in [s.day for s in skipped]
    assert blocked_reason(liberation, region, rules, []) is None


def test_liberation_day_flag_also_governs_lustrum_years():
    # In lustrum years (2025, 2030) `holidays` lists Bevrijdingsdag as a *public* holiday.
    # (5 May 2030 also falls in the May school holiday, so school holidays are off here.)
    held = SkipRules(skip_liberation_day=False, skip_school_holidays=False)
    for day in (date(2025, 5, 5), date(2030, 5, 5)):
        assert blocked_reason(day, "midden", held, []) is None
        assert blocked_reason(day, "midden", SkipRules(), []) == "Bevrijdingsdag"
    assert blocked_reason(date(2028, 5, 5), "zuid", SkipRules(), []) == "Bevrijdingsdag"


def test_summer_holiday_midden():
    planned, skipped = plan_series(date(2026, 7, 6), 0, EVENING, "midden", DEFAULT, [])
    assert days_of(planned)[:3] == [date(2026, 7, 6), date(2026, 7, 13), date(2026, 8, 31)]
    summer_mondays = [date(2026, 7, 20) + timedelta(weeks=i) for i in range(6)]
    assert summer_mondays[-1] == date(2026, 8, 24)
    assert [s for s in skipped if s.day < date(2026, 8, 31)] == [
        Skipped(d, "Zomervakantie (regio Midden)") for d in summer_mondays
    ]


def test_summer_holiday_differs_per_region():
    # Noord has its 2026 summer holiday 4 July - 16 August.
    assert blocked_reason(date(2026, 7, 6), "noord", DEFAULT, []) == "Zomervakantie (regio Noord)"
    assert blocked_reason(date(2026, 7, 6), "midden", DEFAULT, []) is None
    assert blocked_reason(date(2026, 8, 24), "noord", DEFAULT, []) is None


def test_school_holidays_can_be_disabled():
    rules = SkipRules(skip_school_holidays=False)
    planned, skipped = plan_series(date(2026, 7, 6), 0, EVENING, "midden", rules, [])
    assert days_of(planned)[:3] == [date(2026, 7, 6), date(2026, 7, 13), date(2026, 7, 20)]
    assert not any("vakantie" in s.reason for s in skipped)


def test_good_friday_only_skipped_when_set():
    good_friday = date(2026, 4, 3)
    planned, skipped = plan_series(date(2026, 3, 27), 4, EVENING, "zuid", DEFAULT, [])
    assert good_friday in days_of(planned)
    assert blocked_reason(good_friday, "zuid", DEFAULT, []) is None

    rules = SkipRules(skip_good_friday=True)
    planned, skipped = plan_series(date(2026, 3, 27), 4, EVENING, "zuid", rules, [])
    assert good_friday not in days_of(planned)
    assert Skipped(good_friday, "Goede vrijdag") in skipped


def test_good_friday_skipped_even_without_other_public_holidays():
    rules = SkipRules(skip_public_holidays=False, skip_good_friday=True)
    assert blocked_reason(date(2026, 4, 3), "zuid", rules, []) == "Goede vrijdag"
    assert blocked_reason(date(2026, 4, 27), "zuid", rules, []) != "Koningsdag"


def test_public_holidays_can_be_disabled():
    rules = SkipRules(skip_public_holidays=False, skip_school_holidays=False)
    assert blocked_reason(date(2026, 4, 27), "noord", rules, []) is None
    assert blocked_reason(date(2026, 12, 25), "noord", rules, []) is None
    assert blocked_reason(date(2026, 12, 25), "noord", DEFAULT, []) == "Eerste kerstdag"
    assert blocked_reason(date(2026, 4, 6), "noord", DEFAULT, []) == "Tweede paasdag"


def test_closure_reason_in_skipped():
    closure = Closure(date(2026, 9, 1), date(2026, 9, 20), "Verbouwing")
    planned, skipped = plan_series(date(2026, 9, 1), 2, EVENING, "noord", DEFAULT, [closure])
    assert planned[0].day == date(2026, 9, 23)
    assert skipped[:3] == [
        Skipped(date(2026, 9, 2), "Verbouwing"),
        Skipped(date(2026, 9, 9), "Verbouwing"),
        Skipped(date(2026, 9, 16), "Verbouwing"),
    ]


def test_closure_is_inclusive_and_holiday_name_takes_precedence():
    closure = Closure(date(2026, 4, 27), date(2026, 4, 27), "Teamdag")
    assert blocked_reason(date(2026, 4, 27), "noord", DEFAULT, [closure]) == "Koningsdag"
    rules = SkipRules(skip_public_holidays=False)
    assert blocked_reason(date(2026, 4, 27), "noord", rules, [closure]) == "Teamdag"
    assert blocked_reason(date(2026, 4, 28), "noord", rules, [closure]) != "Teamdag"


def test_closure_end_before_start_rejected():
    with pytest.raises(ValueError, match="einddatum"):
        Closure(date(2026, 5, 2), date(2026, 5, 1), "Fout")


def test_dst_spring_forward():
    planned, _ = plan_series(date(2026, 3, 17), 1, EVENING, "midden", DEFAULT, [])
    assert planned[0].day == date(2026, 3, 17)
    for p in planned:
        expected_hour = 18 if p.day < date(2026, 3, 29) else 17
        assert p.start_dt == datetime.combine(p.day, time(expected_hour), tzinfo=UTC)
        assert p.end_dt - p.start_dt == timedelta(minutes=150)
        assert to_local(p.start_dt).time() == EVENING
        assert to_local(p.end_dt).time() == time(21, 30)
    assert [p.start_dt.hour for p in planned[:3]] == [18, 18, 17]


def test_dst_fall_back():
    # DST ends on 25 October 2026.
    rules = SkipRules(skip_school_holidays=False)
    planned, _ = plan_series(date(2026, 10, 13), 1, EVENING, "midden", rules, [])
    assert [p.start_dt.hour for p in planned[:4]] == [17, 17, 18, 18]
    assert all(to_local(p.start_dt).time() == EVENING for p in planned)


def test_session_crossing_midnight_rejected():
    with pytest.raises(ValueError, match=r"^De bijeenkomst loopt door tot na middernacht\.$"):
        plan_series(date(2026, 3, 17), 1, time(22, 0), "midden", DEFAULT, [])


def test_session_ending_exactly_at_midnight_allowed():
    planned, _ = plan_series(date(2026, 3, 17), 1, time(21, 30), "midden", DEFAULT, [])
    assert to_local(planned[0].end_dt) == datetime(2026, 3, 18, 0, 0, tzinfo=TZ)


def test_multi_year_closure_raises():
    closure = Closure(date(2026, 1, 1), date(2030, 1, 1), "Sluiting")
    with pytest.raises(ValueError, match="drie jaar"):
        plan_series(date(2026, 1, 5), 0, EVENING, "noord", DEFAULT, [closure])
    with pytest.raises(ValueError, match="drie jaar"):
        next_free_days(date(2026, 1, 5), 0, 1, "noord", DEFAULT, [closure])


def test_closure_just_under_three_years_is_fine():
    closure = Closure(date(2026, 1, 1), date(2028, 10, 31), "Sluiting")
    rules = SkipRules(skip_school_holidays=False)
    free, skipped = next_free_days(date(2026, 1, 1), 3, 2, "zuid", rules, [closure])
    assert free[0] > date(2028, 10, 31)
    assert len(free) == 2 and len(skipped) > 140


@pytest.mark.parametrize("weekday", [-1, 7, 1.0, True])
def test_invalid_weekday(weekday):
    with pytest.raises(ValueError, match="weekdag"):
        plan_series(date(2026, 3, 17), weekday, EVENING, "midden", DEFAULT, [])


@pytest.mark.parametrize("region", ["oost", "", "Noord-Holland"])
def test_unknown_region(region):
    with pytest.raises(ValueError, match="Onbekende regio"):
        plan_series(date(2026, 3, 17), 1, EVENING, region, DEFAULT, [])
    with pytest.raises(ValueError, match="Onbekende regio"):
        blocked_reason(date(2026, 3, 17), region, DEFAULT, [])


def test_region_is_case_insensitive():
    assert blocked_reason(date(2026, 7, 20), "Midden", DEFAULT, []) == (
        "Zomervakantie (regio Midden)"
    )


def test_start_number_count_and_minutes():
    planned, _ = plan_series(
        date(2026, 9, 7), 0, time(10), "zuid", DEFAULT, [], count=3, minutes=90, start_number=5
    )
    assert [p.number for p in planned] == [5, 6, 7]
    assert all(p.end_dt - p.start_dt == timedelta(minutes=90) for p in planned)


def test_first_candidate_moves_to_weekday():
    # 2026-09-02 is a Wednesday; the first Monday on or after it is 2026-09-07.
    free, skipped = next_free_days(date(2026, 9, 2), 0, 1, "noord", DEFAULT, [])
    assert free == [date(2026, 9, 7)] and skipped == []


def test_time_helpers():
    naive = datetime(2026, 7, 1, 17, 0)
    aware = ensure_aware_utc(naive)
    assert aware == datetime(2026, 7, 1, 17, 0, tzinfo=UTC)
    assert aware.utcoffset() == timedelta(0)
    assert ensure_aware_utc(datetime(2026, 7, 1, 19, 0, tzinfo=TZ)) == aware
    assert ensure_aware_utc(datetime(2026, 7, 1, 19, 0, tzinfo=TZ)).tzinfo is UTC
    local = to_local(aware)
    assert local.tzinfo is TZ and local.hour == 19
    assert to_local(naive) == local
    assert to_local(datetime(2026, 1, 1, 18, 0, tzinfo=UTC)).hour == 19


def test_constants():
    assert WEEKDAYS_NL == [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ]
    assert REGIONS == ("noord", "midden", "zuid")
    assert (SESSION_COUNT, SESSION_MINUTES) == (12, 150)


def test_school_holiday_data_horizon():
    assert school_holidays_known(2030, "noord")
    assert not school_holidays_known(2031, "noord")


def test_repeated_lookups_are_fast():
    start = datetime.now()
    for i in range(20000):
        blocked_reason(date(2026, 1, 1) + timedelta(days=i % 365), "midden", DEFAULT, [])
    assert datetime.now() - start < timedelta(seconds=2)
