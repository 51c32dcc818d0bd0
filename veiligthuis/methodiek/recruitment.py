"""Recruitment material filled in for a coordinator: the press release and the referrer list.

The press release in the method holds placeholders (``{{ organisatie }}``, ``{{ startdatum }}``,
...). They are filled from the organisation's name in the settings and from the next planned
group: its first and last date and its neutral title. The weekday and the hour are not offered,
and ``{{ locatie }}`` is never the venue, released or not: the method promises the press only the
town or region (methodiek/README.md), which the app does not know.
What the app does not know stays as a visible gap (``[naam woordvoerder]``) to fill in by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
import yaml
from babel.dates import format_date

from veiligthuis.groups.models import Group
from veiligthuis.models import DbSession
from veiligthuis.sessions.schedule import ensure_aware_utc, to_local, today_local
from veiligthuis.settings import get_settings

PRESS_RELEASE = "werving/persbericht.md"
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
#: what a gap asks for, where the placeholder's own name would not say it
GAP_LABELS = {"locatie": "gemeente of regio"}
#: characters that would turn a filled-in value into Markdown layout or a link
_MARKDOWN = re.compile(r"([\\`*_\[\]])")


def next_planned_group(db_session: DbSession, now: datetime) -> Group | None:
    """The planned group whose first meeting comes soonest after ``now``."""
    groups = db_session.scalars(
        sa.select(Group).where(Group.status == "planned").options(so.selectinload(Group.sessions))
    )
    upcoming = [
        (ensure_aware_utc(group.active_sessions[0].start_dt), group.id, group)
        for group in groups
        if group.active_sessions and ensure_aware_utc(group.active_sessions[0].start_dt) > now
    ]
    return min(upcoming, key=lambda item: item[:2])[2] if upcoming else None


def _long_date(dt: datetime) -> str:
    return format_date(to_local(dt).date(), "EEEE d MMMM y", locale="nl")


def press_values(db_session: DbSession, now: datetime) -> dict[str, str]:
    """The placeholders the app can fill: the organisation, today, and the next planned group."""
    settings = get_settings(db_session)
    values = {
        "organisatie": settings["organisation_name"],
        "titel": settings["public_title"],
        "datum": format_date(today_local(now), "d MMMM y", locale="nl"),
    }
    group = next_planned_group(db_session, now)
    if group is None:
        return values
    # Dates only: the weekday and hour in a newspaper would tell an abuser when she is away.
    first, last = group.active_sessions[0], group.active_sessions[-1]
    values |= {
        "titel": group.public_title,
        "startdatum": _long_date(first.start_dt),
        "einddatum": _long_date(last.start_dt),
    }
    return values


def _gap(key: str) -> str:
    return GAP_LABELS.get(key, key.replace("_", " "))


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{{ name }}`` replaced by its value, or by a gap such as ``[contact]``."""

    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key in values:
            return _MARKDOWN.sub(r"\\\1", values[key])
        return f"[{_gap(key)}]"

    return _PLACEHOLDER.sub(replace, text)


def gaps(text: str, values: dict[str, str]) -> list[str]:
    """What is still to be filled in by hand, in the order the text asks for it."""
    missing = (_gap(m.group(1)) for m in _PLACEHOLDER.finditer(text) if m.group(1) not in values)
    return list(dict.fromkeys(missing))


@dataclass
class ReferrerList:
    """The referrer list as a coordinator reads it: the file's opening note and its rows."""

    intro: str
    #: [{"kind", "label", "why"}] in the order of the file
    rows: list[dict[str, str]]


def referrer_list(text: str) -> ReferrerList | None:
    """The referrers in ``werving/verwijzers.yaml``, or None when the text cannot be read so."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    items = data.get("referrers") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return None
    intro = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        intro.append(line.lstrip("#").strip())
    rows = [{key: str(i.get(key) or "") for key in ("kind", "label", "why")} for i in items]
    return ReferrerList(intro=" ".join(intro).strip(), rows=rows)
