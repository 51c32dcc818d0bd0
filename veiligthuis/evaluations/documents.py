"""Exports of evaluations: code slips (PDF), the group's report (PDF), the answers (CSV), charts."""

from collections import Counter, defaultdict

import segno
from flask import render_template

from veiligthuis.evaluations import charts
from veiligthuis.evaluations.models import ROUND_KINDS
from veiligthuis.evaluations.service import (
    MIN_RESPONSES,
    PEARLIN_TOTAL_ID,
    GroupResults,
    RoundResult,
    format_code,
)
from veiligthuis.models import DbSession
from veiligthuis.pdf import render_pdf
from veiligthuis.spreadsheet import csv_bytes

SLIPS_PER_PAGE = 10


def qr_data_uri(url: str) -> str:
    """A QR code for ``url`` as an SVG data: URI (for screens)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def qr_png_data_uri(url: str) -> str:
    """A QR code for ``url`` as a PNG data: URI, one pixel per module (for print).

    A bitmap, not SVG: WeasyPrint draws an SVG QR code as hundreds of path segments, which was
    half the time of a sheet of slips. The print stylesheet scales it up without smoothing
    (``image-rendering: pixelated``), so the modules stay sharp squares on paper."""
    return segno.make(url, error="m").png_data_uri(scale=1, border=2)


def code_url(base_url: str, code: str) -> str:
    """The address that opens the form for ``code``: the code rides in the fragment, which a
    browser never sends, and our script posts it (without script she types it)."""
    return f"{base_url.rstrip('/')}/e#{format_code(code)}"


def slips_pdf(public_title: str, codes: list[str], base_url: str) -> bytes:
    """Slips to cut: per code a QR code, the short code, the address, the neutral title."""
    slips = [
        {
            "code": format_code(c),
            "url": code_url(base_url, c),
            "qr": qr_png_data_uri(code_url(base_url, c)),
        }
        for c in codes
    ]
    pages = [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    html = render_template(
        "pdf/evaluation_slips.html",
        title=public_title,
        pages=pages,
        short_url=base_url.rstrip("/") + "/e",
    )
    return render_pdf(html)


# --- charts ------------------------------------------------------------------------------------


def round_charts(result: RoundResult) -> list[dict]:
    """One chart per answer scale of a visible round: the distribution of every question on it."""
    if not result.is_visible:
        return []
    by_scale: dict[str | None, list] = defaultdict(list)
    for question in result.scale_questions:
        if question.is_visible:
            by_scale[question.scale].append(question)
    found = []
    for questions in by_scale.values():
        labels = [o.label for o in questions[0].options]
        rows = [(q.text, [o.count for o in q.options]) for q in questions]
        found.append(
            {
                "uri": charts.data_uri(charts.distribution_svg(rows, labels)),
                "alt": "Verdeling van de antwoorden per vraag; de aantallen staan in de tabel.",
            }
        )
    return found


def _scale_range(results: GroupResults, kind: str) -> tuple[int, int]:
    values = [
        int(option["value"])
        for r in results.rounds
        if r.kind == kind
        for options in r.question_set.scales.values()
        for option in options
    ]
    return (min(values), max(values)) if values else (1, 5)


def group_charts(results: GroupResults) -> dict:
    """The trend over the meetings and the before/after comparison, as chart URIs (or None)."""
    found: dict[str, str | list[dict] | None] = {
        "trend": None,
        "mastery": None,
        "own": None,
        "final": round_charts(results.final) if results.final else [],
    }
    if results.trend:
        numbers = [p.number for p in results.trend]
        series = [
            (text, [p.means.get(qid) for p in results.trend])
            for qid, text in results.trend_questions
        ]
        found["trend"] = charts.data_uri(
            charts.trend_svg(numbers, series, _scale_range(results, "sessie"))
        )
    mastery = results.mastery
    if mastery and mastery.before.n >= MIN_RESPONSES and mastery.after.n >= MIN_RESPONSES:
        found["mastery"] = charts.data_uri(
            charts.prepost_svg(
                [("Pearlin Mastery", mastery.before.mean, mastery.after.mean)], (7, 28)
            )
        )
    own = [c for c in results.own if c.before.n >= MIN_RESPONSES and c.after.n >= MIN_RESPONSES]
    if own:
        low, high = _scale_range(results, "voor")
        found["own"] = charts.data_uri(
            charts.prepost_svg(
                [(c.id, c.before.mean, c.after.mean) for c in own],
                (low - 1 if low > 0 else 0, high),
            )
        )
    return found


# --- CSV -----------------------------------------------------------------------------------------


def results_csv(results: GroupResults) -> bytes:
    """Every answer of the rounds the team may see, one per row, sorted so that no row order or
    id ties answers of one person together. Rounds under the threshold are left out, and so is
    a question fewer than that many women answered: the page and the PDF hide it too."""
    header = [
        "ronde",
        "soort",
        "bijeenkomst",
        "datum",
        "vraag",
        "vraagtekst",
        "antwoord",
        "antwoordtekst",
        "ingevoerd_door_begeleiding",
    ]
    out: list[list[object]] = []
    for index, round_ in enumerate(results.rounds, start=1):
        if results.responses[round_.id] < MIN_RESPONSES:
            continue
        question_set = round_.question_set
        order = {q["id"]: i for i, q in enumerate(question_set.questions)}
        order[PEARLIN_TOTAL_ID] = len(order)
        questions = {q["id"]: q for q in question_set.questions}
        answers = results.answers.get(round_.id, [])
        answered = Counter(answer.question_id for answer in answers)
        rows = [
            _csv_row(index, round_, questions, order, answer)
            for answer in answers
            if answered[answer.question_id] >= MIN_RESPONSES
        ]
        rows.sort(key=lambda row: (row[0], row[1], row[2][3], row[2][8]))
        out.extend(row[2] for row in rows)
    return csv_bytes(header, out)


def _csv_row(index: int, round_, questions: dict, order: dict, answer) -> tuple:
    """(sort position, value as text, the CSV cells) of one answer."""
    question_set = round_.question_set
    question = questions.get(answer.question_id, {})
    if answer.question_id == PEARLIN_TOTAL_ID:
        text, label = "Pearlin Mastery totaal (7–28, afgeleid)", ""
    else:
        text = (question.get("text") or {}).get("nl", "")
        option: dict = next(
            (
                o
                for o in question_set.scales.get(question.get("scale", ""), [])
                if int(o["value"]) == answer.value_int
            ),
            {},
        )
        label = option.get("nl", "")
    value = answer.value_int if answer.value_int is not None else answer.value_text
    cells = [
        index,
        ROUND_KINDS.get(round_.kind, round_.kind),
        round_.group_session.number if round_.group_session else "",
        answer.answered_date.isoformat(),
        answer.question_id,
        text,
        value,
        label,
        "ja" if answer.is_staff_entered else "nee",
    ]
    return order.get(answer.question_id, 999), str(value), cells


# --- report PDF -----------------------------------------------------------------------------------


def report_pdf(db_session: DbSession, group, results: GroupResults) -> bytes:
    """The team's evaluation report of a group: rounds, trend, final evaluation, before/after."""
    rounds = []
    for round_ in results.rounds:
        result = results.round_result(round_)
        rounds.append({"result": result, "charts": round_charts(result)})
    html = render_template(
        "pdf/evaluation_report.html",
        group=group,
        results=results,
        rounds=rounds,
        charts=group_charts(results),
        min_responses=MIN_RESPONSES,
    )
    return render_pdf(html, cached=True)
