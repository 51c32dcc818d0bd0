"""Pure scheduling logic for "Een veilig thuis" conversation groups.

A group meets for twelve weekly sessions of 150 minutes, on a fixed weekday and
local (Europe/Amsterdam) start time. Sessions are never planned on:

* Dutch public holidays (Nieuwjaarsdag, Pasen, Koningsdag, Hemelvaart, Pinksteren, Kerst),
* optionally Goede vrijdag and Bevrijdingsdag (each governed by its own flag),
* the school holidays of the location's region (noord / midden / zuid),
* the organisation's own closure periods.

This module has no Flask or database dependencies: only the standard library and
the ``holidays`` package. All datetimes it returns are timezone-aware UTC; use
:func:`to_local` to display them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from veiligthuis.wording import day_nl

__all__ = [
    "REGIONS",
    "REGION_LABELS",
    "TZ",
    "SESSION_COUNT",
    "SESSION_MINUTES",
    "WEEKDAYS_NL",
    "MAX_SEARCH_DAYS",
    "SkipRules",
    "Closure",
    "Skipped",
    "PlannedSession",
    "blocked_reason",
    "next_free_days",
    "plan_series",
    "to_local",
    "ensure_aware_utc",
    "first_on_weekday",
    "school_holidays_known",
    "school_year_known",
]

#: Region code (lower case, as stored) -> subdivision name used by ``holidays.NL`` and shown
#: on screen. The one list of school-holiday regions.
REGION_LABELS = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}
REGIONS = tuple(REGION_LABELS)

TZ = ZoneInfo("Europe/Amsterdam")
SESSION_COUNT = 12
SESSION_MINUTES = 150

WEEKDAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]

#: Give up when no free date is found within this many days (about three years).
MAX_SEARCH_DAYS = 3 * 365 + 1

# Dutch names (language="nl") of the holidays that have their own flag.
_GOOD_FRIDAY = "Goede vrijdag"
_LIBERATION_DAY = "Bevrijdingsdag"


@dataclass(frozen=True)
class SkipRules:
    """Which kinds of days block a session."""

    #: NL public holidays: Nieuwjaarsdag, Pasen, Koningsdag, Hemelvaart, Pinksteren, Kerst.
    skip_public_holidays: bool = True
    #: "Goede vrijdag" (governed only by this flag, whatever category ``holidays`` puts it in).
    skip_good_friday: bool = False
    #: "Bevrijdingsdag", 5 May, every year (governed only by this flag, also in lustrum years).
    skip_liberation_day: bool = True
    #: School holidays of the location's region (``holidays`` knows them up to 2030).
    skip_school_holidays: bool = True


@dataclass(frozen=True)
class Closure:
    """A period (inclusive on both ends) in which the organisation is closed."""

    start_date: date
    end_date: date
    reason: str

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise ValueError("De einddatum van een sluitingsperiode ligt vóór de begindatum.")

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


@dataclass(frozen=True)
class Skipped:
    """A candidate date on which no session could be held, with a Dutch reason."""

    day: date
    reason: str


@dataclass(frozen=True)
class PlannedSession:
    """One planned session; ``start_dt`` and ``end_dt`` are aware UTC datetimes."""

    number: int
    day: date
    start_dt: datetime
    end_dt: datetime


# --------------------------------------------------------------------------- helpers


def ensure_aware_utc(dt: datetime) -> datetime:
    """Return ``dt`` as an aware UTC datetime; a naive ``dt`` is taken to be UTC.

    (SQLite hands back naive datetimes for values that were stored as UTC.)
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def to_local(dt: datetime) -> datetime:
    """Convert an aware UTC datetime (naive is taken as UTC) to Europe/Amsterdam time."""
    return ensure_aware_utc(dt).astimezone(TZ)


def today_local(now: datetime | None = None) -> date:
    """Today in Europe/Amsterdam: the one "today" of the app, whatever the server's zone."""
    return to_local(now or datetime.now(UTC)).date()


def _region_label(region: str) -> str:
    code = region.strip().lower() if isinstance(region, str) else None
    if code not in REGION_LABELS:
        raise ValueError(f"Onbekende regio {region!r}; kies uit: {', '.join(REGIONS)}.")
    return REGION_LABELS[code]


def _check_weekday(weekday: int) -> None:
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise ValueError(
            f"Ongeldige weekdag {weekday!r}; gebruik 0 (maandag) tot en met 6 (zondag)."
        )


def first_on_weekday(after_or_on: date, weekday: int) -> date:
    """The first date >= ``after_or_on`` that falls on ``weekday`` (0 = maandag)."""
    _check_weekday(weekday)
    return after_or_on + timedelta(days=(weekday - after_or_on.weekday()) % 7)


@lru_cache(maxsize=512)
def _blocked_days(
    year: int, subdiv: str, rules: SkipRules
) -> tuple[dict[date, str], dict[date, str]]:
    """Holiday reasons for one year, region and rule set.

    Returns ``(holiday_reasons, school_reasons)``; cached, so repeated lookups are
    plain dictionary hits.
    """
    holiday_names: dict[date, list[str]] = {}

    def add(day: date, name: str) -> None:
        if day.year != year:
            return
        names = holiday_names.setdefault(day, [])
        if name not in names:
            names.append(name)

    if rules.skip_public_holidays or rules.skip_good_friday or rules.skip_liberation_day:
        public = holidays.NL(years=year, categories=("public",), language="nl")
        optional = holidays.NL(years=year, categories=("optional",), language="nl")
        for source, is_public in ((public, True), (optional, False)):
            for day in sorted(source):
                for name in source.get_list(day):
                    if name == _GOOD_FRIDAY:
                        wanted = rules.skip_good_friday
                    elif name == _LIBERATION_DAY:
                        wanted = rules.skip_liberation_day
                    else:
                        # Other optional days (none today) never block a session.
                        wanted = is_public and rules.skip_public_holidays
                    if wanted:
                        add(day, name)

    school_reasons: dict[date, str] = {}
    if rules.skip_school_holidays:
        school = holidays.NL(years=year, categories=("school",), subdiv=subdiv, language="nl")
        for day in school:
            if day.year == year:
                names = " / ".join(school.get_list(day))
                school_reasons[day] = f"{names} (regio {subdiv})"

    holiday_reasons = {day: " / ".join(names) for day, names in holiday_names.items()}
    return holiday_reasons, school_reasons


@lru_cache(maxsize=64)
def school_holidays_known(year: int, region: str = "midden") -> bool:
    """Whether the ``holidays`` package has school-holiday data for ``year``.

    Useful to warn planners: for later years school holidays cannot be skipped.
    """
    subdiv = _region_label(region)
    return bool(holidays.NL(years=year, categories=("school",), subdiv=subdiv))


@lru_cache(maxsize=64)
def _school_year_known(start_year: int, subdiv: str) -> bool:
    autumn = holidays.NL(years=start_year, categories=("school",), subdiv=subdiv)
    summer = holidays.NL(years=start_year + 1, categories=("school",), subdiv=subdiv)
    has_autumn = any(day.month >= 9 for day in autumn)
    has_summer = any(day.month in (7, 8) for day in summer)
    return has_autumn and has_summer


def school_year_known(day: date, region: str) -> bool:
    """Whether the school holidays of the school year around ``day`` (August to July) are known.

    A calendar year can be half known (the package ends with a summer holiday), so the test is
    per school year: its autumn holiday and its summer holiday must both be in the data.
    """
    start_year = day.year if day.month >= 8 else day.year - 1
    return _school_year_known(start_year, _region_label(region))


# --------------------------------------------------------------------------- public API


def blocked_reason(
    day: date, region: str, rules: SkipRules, closures: Sequence[Closure]
) -> str | None:
    """Why no session can be held on ``day`` (Dutch), or ``None`` if the day is free.

    Precedence when several apply: holiday name, then closure reason, then school holiday.
    """
    subdiv = _region_label(region)
    holiday_reasons, school_reasons = _blocked_days(day.year, subdiv, rules)
    reason = holiday_reasons.get(day)
    if reason:
        return reason
    for closure in closures:
        if closure.start_date <= day <= closure.end_date:
            return closure.reason
    return school_reasons.get(day)


def next_free_days(
    after_or_on: date,
    weekday: int,
    count: int,
    region: str,
    rules: SkipRules,
    closures: Sequence[Closure],
    *,
    weeks_between: int = 1,
) -> tuple[list[date], list[Skipped]]:
    """Find ``count`` free dates on ``weekday``, starting on or after ``after_or_on``.

    The first candidate is the first date >= ``after_or_on`` on ``weekday``; then every
    ``weeks_between`` weeks. Blocked candidates are returned as :class:`Skipped`.
    Raises ``ValueError`` when no free date turns up within about three years.
    """
    _check_weekday(weekday)
    _region_label(region)
    if count < 0:
        raise ValueError("Het aantal bijeenkomsten mag niet negatief zijn.")
    if weeks_between < 1:
        raise ValueError("Het aantal weken tussen bijeenkomsten moet minstens 1 zijn.")

    closures = tuple(closures)
    step = timedelta(weeks=weeks_between)
    candidate = first_on_weekday(after_or_on, weekday)
    anchor = candidate  # last free date found (or the first candidate)
    free: list[date] = []
    skipped: list[Skipped] = []
    while len(free) < count:
        if (candidate - anchor).days > MAX_SEARCH_DAYS:
            raise ValueError(
                f"Na {day_nl(anchor)} is er binnen drie jaar geen vrije "
                f"{WEEKDAYS_NL[weekday]} te vinden: alle data vallen in een feestdag, "
                "schoolvakantie of sluitingsperiode."
            )
        reason = blocked_reason(candidate, region, rules, closures)
        if reason is None:
            free.append(candidate)
            anchor = candidate
        else:
            skipped.append(Skipped(candidate, reason))
        candidate += step
    return free, skipped


def plan_series(
    first_date: date,
    weekday: int,
    start_time: time,
    region: str,
    rules: SkipRules,
    closures: Sequence[Closure],
    *,
    count: int = SESSION_COUNT,
    minutes: int = SESSION_MINUTES,
    start_number: int = 1,
) -> tuple[list[PlannedSession], list[Skipped]]:
    """Plan ``count`` weekly sessions of ``minutes`` minutes from ``first_date`` on.

    Start and end are computed in Amsterdam wall-clock time (so every session starts at
    ``start_time`` locally, also across DST changes) and returned as aware UTC datetimes.
    Session numbers run from ``start_number``.
    """
    _check_weekday(weekday)
    _region_label(region)
    if minutes <= 0:
        raise ValueError("De duur van een bijeenkomst moet positief zijn.")
    if count < 1:
        raise ValueError("Plan minstens één bijeenkomst.")

    wall_start = start_time.replace(tzinfo=None)
    length = timedelta(minutes=minutes)
    probe = datetime.combine(first_date, wall_start)
    if probe + length > datetime.combine(first_date + timedelta(days=1), time(0)):
        raise ValueError("De bijeenkomst loopt door tot na middernacht.")

    days, skipped = next_free_days(first_date, weekday, count, region, rules, closures)
    planned: list[PlannedSession] = []
    for offset, day in enumerate(days):
        naive_start = datetime.combine(day, wall_start)
        start_utc = naive_start.replace(tzinfo=TZ).astimezone(UTC)
        end_utc = (naive_start + length).replace(tzinfo=TZ).astimezone(UTC)
        if (
            start_utc.astimezone(TZ).replace(tzinfo=None) != naive_start
            or end_utc - start_utc != length
        ):
            raise ValueError(
                f"De bijeenkomst op {day_nl(day)} "
                "valt in de omschakeling tussen zomer- en wintertijd; kies een ander "
                "begintijdstip."
            )
        planned.append(PlannedSession(start_number + offset, day, start_utc, end_utc))
    return planned, skipped
