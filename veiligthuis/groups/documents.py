"""Printed documents as PDF bytes: the draaiboek of a group, the sheet of one meeting, the
attendance list to sign and the certificate of participation.

Builders: they take loaded objects (the view loads them with a fixed number of queries),
render an HTML template from ``templates/pdf/`` and hand it to ``veiligthuis.pdf.render_pdf``.
Each meeting is prepared from its own methodiek version (``GroupSession.methodiek_version``), so
a group that moved to a newer version part way prints the plan it really follows.

What a participant may receive (the certificate) carries the group's neutral public title and
the neutral sender only; the builder refuses to print it with a sensitive word in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import Response, render_template
from markupsafe import Markup

from veiligthuis.methodiek.render import render_markdown
from veiligthuis.models import DomainError, utcnow
from veiligthuis.pdf import render_pdf
from veiligthuis.sessions.schedule import SESSION_MINUTES, to_local
from veiligthuis.wording import find_sensitive_words

if TYPE_CHECKING:
    from veiligthuis.groups.models import Group, Participant
    from veiligthuis.methodiek.models import Handout, MethodiekVersion, SessionPlan
    from veiligthuis.sessions.models import GroupSession
    from veiligthuis.sessions.service import AttendanceSummary

#: how an attendance list names the women: by generated code (default) or by alias
ATTENDANCE_VIEWS = {"code": "codes", "alias": "voornamen of aliassen"}
#: empty rows at the bottom of an attendance list, for someone who joins late
BLANK_ROWS = 2

# Pictographs no shipped font has a glyph for; printed they would be empty boxes.
_PICTOGRAPHS = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff]"
)


_BULLET_LIST = re.compile(r"<ul>(.*?)</ul>", re.S)


def printable_markdown(text: str) -> Markup:
    """Markdown (raw HTML escaped) as HTML for print, without pictographs the fonts lack.

    Bullet items get a literal bullet instead of a list marker: WeasyPrint lays out a marker
    as a box of its own, and the draaiboek has hundreds of them.
    """
    html = str(render_markdown(_PICTOGRAPHS.sub("", text or "")))
    html = _BULLET_LIST.sub(
        lambda m: '<ul class="plain">' + m.group(1).replace("<li>", "<li>• ") + "</ul>", html
    )
    return Markup(html)


def handout_html(handout: Handout) -> Markup:
    """A handout's text for print, without its own title line (the appendix heading has it)."""
    lines = (handout.body or "").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return printable_markdown("\n".join(lines))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class TimedActivity:
    """A work form with its clock times on the day of the meeting."""

    title: str
    minutes: int
    start: datetime
    end: datetime
    #: plain text (work-form descriptions are prose, not Markdown)
    description: str
    is_break: bool


@dataclass
class MeetingPlan:
    """One meeting with the plan it is prepared from (None when no methodiek is linked)."""

    gs: GroupSession
    plan: SessionPlan | None
    version: MethodiekVersion | None
    activities: list[TimedActivity] = field(default_factory=list)
    handouts: list[tuple[str, Handout | None]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"bijeenkomst-{self.gs.number}"

    @property
    def total_minutes(self) -> int:
        return sum(a.minutes for a in self.activities)

    @property
    def is_over_time(self) -> bool:
        minutes = (self.gs.end_dt - self.gs.start_dt).total_seconds() / 60
        return self.total_minutes > (minutes or SESSION_MINUTES)


def handout_anchor(version_id: int, filename: str) -> str:
    """The id of a handout in the draaiboek's appendix."""
    return f"bijlage-{version_id}-{_slug(filename)}"


def timed_activities(gs: GroupSession, plan: SessionPlan) -> list[TimedActivity]:
    """The plan's work forms with clock times counted from the meeting's local start."""
    clock = to_local(gs.start_dt)
    result = []
    for activity in plan.activities:
        try:
            minutes = max(0, int(activity.get("minutes") or 0))
        except (TypeError, ValueError):
            minutes = 0
        end = clock + timedelta(minutes=minutes)
        result.append(
            TimedActivity(
                title=str(activity.get("title") or "Werkvorm"),
                minutes=minutes,
                start=clock,
                end=end,
                description=_PICTOGRAPHS.sub("", str(activity.get("description") or "")).strip(),
                is_break=activity.get("kind") == "pauze",
            )
        )
        clock = end
    return result


def meeting_plan(gs: GroupSession) -> MeetingPlan:
    """The plan for ``gs`` from its own methodiek version, with times and handouts."""
    version = gs.methodiek_version
    plan = version.session(gs.number) if version is not None and gs.number else None
    result = MeetingPlan(gs=gs, plan=plan, version=version)
    if version is not None and plan is not None:
        result.activities = timed_activities(gs, plan)
        by_name = {h.filename: h for h in version.handouts}
        result.handouts = [(name, by_name.get(name)) for name in plan.handout_files]
    return result


@dataclass
class AppendixItem:
    """A handout printed once at the back, numbered; ``meetings`` are the numbers using it."""

    number: int
    anchor: str
    handout: Handout
    meetings: list[int]


def _appendix(plans: list[MeetingPlan]) -> list[AppendixItem]:
    """Each handout once, numbered in order of first use."""
    seen: dict[str, AppendixItem] = {}
    for mp in plans:
        for name, handout in mp.handouts:
            # a meeting has handouts only when it has a number (and so a plan)
            if handout is None or mp.gs.number is None:
                continue
            anchor = handout_anchor(handout.version_id, name)
            if anchor not in seen:
                seen[anchor] = AppendixItem(len(seen) + 1, anchor, handout, [])
            seen[anchor].meetings.append(mp.gs.number)
    return list(seen.values())


def _common(group: Group) -> dict[str, Any]:
    active = group.active_sessions
    return {
        "group": group,
        "active": active,
        "first": active[0] if active else None,
        "last": active[-1] if active else None,
        "to_local": to_local,
        "markdown": printable_markdown,
        "handout_html": handout_html,
        "handout_anchor": handout_anchor,
        "generated": utcnow(),
    }


def draaiboek_html(group: Group) -> str:
    """The draaiboek as HTML (see ``draaiboek_pdf``)."""
    plans = [meeting_plan(gs) for gs in group.active_sessions]
    appendix = _appendix(plans)
    versions = {mp.version.id: mp.version for mp in plans if mp.version is not None}
    return render_template(
        "pdf/draaiboek.html",
        plans=plans,
        full=False,
        appendix=appendix,
        appendix_numbers={item.anchor: item.number for item in appendix},
        versions=sorted(versions.values(), key=lambda v: v.id),
        **_common(group),
    )


def draaiboek_pdf(group: Group) -> bytes:
    """The group's programme book: cover, contents, schedule, facilitators, the twelve plans
    with clock times, materials and handouts, and the handouts' text; pages numbered.

    The long background texts of each session stay on its session sheet: with them the book
    doubles in length and no longer renders within two seconds.
    """
    return render_pdf(draaiboek_html(group), cached=True)


def session_sheet_pdf(group: Group, gs: GroupSession) -> bytes:
    """One meeting on paper: when, where, who, and its plan with clock times and handouts."""
    mp = meeting_plan(gs)
    appendix = _appendix([mp])
    html = render_template(
        "pdf/session_sheet.html",
        mp=mp,
        full=True,
        gs=gs,
        appendix=appendix,
        appendix_numbers={item.anchor: item.number for item in appendix},
        **_common(group),
    )
    return render_pdf(html)


def attendance_list_pdf(
    group: Group, gs: GroupSession, participants: list[Participant], *, show: str = "code"
) -> bytes:
    """A list to sign for one meeting; women named by code or by alias, never both."""
    if show not in ATTENDANCE_VIEWS:
        raise ValueError(f"unknown view {show!r}")
    rows = [p.code if show == "code" else p.alias for p in participants]
    html = render_template(
        "pdf/attendance_list.html",
        gs=gs,
        rows=rows,
        blank_rows=BLANK_ROWS,
        show=show,
        **_common(group),
    )
    return render_pdf(html)


def certificate_text_fields(
    group: Group, participant: Participant, *, sender: str, with_alias: bool
) -> list[str]:
    """The free texts that end up on a certificate (for the neutrality check)."""
    fields = [group.public_title, sender]
    if with_alias:
        fields.append(participant.alias)
    return fields


def certificate_pdf(
    group: Group,
    participant: Participant,
    summary: AttendanceSummary,
    *,
    sender: str,
    with_alias: bool,
    issued: date | None = None,
) -> bytes:
    """Proof of participation with the neutral title only; refused when not completed or
    when a text on it would give away what the group is about."""
    if not summary.has_completed:
        raise DomainError("Deze deelnemer heeft nog niet genoeg bijeenkomsten bijgewoond.")
    for text in certificate_text_fields(group, participant, sender=sender, with_alias=with_alias):
        if find_sensitive_words(text):
            raise DomainError(
                "Het deelnamebewijs is niet gemaakt: de titel, de afzender of de naam bevat een "
                "woord dat niet neutraal is. Pas dat eerst aan."
            )
    html = render_template(
        "pdf/certificate.html",
        name=participant.alias if with_alias else None,
        present=summary.present,
        sender=sender,
        issued=issued or to_local(utcnow()).date(),
        **_common(group),
    )
    return render_pdf(html)


def pdf_response(data: bytes, filename: str) -> Response:
    """A download of ``data`` as ``filename``; never kept in a browser or proxy cache."""
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
