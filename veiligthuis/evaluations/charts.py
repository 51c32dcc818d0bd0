"""Charts as SVG, written directly from the numbers (no plotting library to start per request).

Every chart is a self-contained SVG with a ``<title>`` and a ``<desc>`` (screen readers read
them; the page shows the same figures in a table beside the chart). It is shown as an ``<img>``
with a data: URI, so it loads nothing and runs under our CSP; in a PDF WeasyPrint draws its text
in the shipped "VT Sans", in a browser the app's own sans-serif stack stands in.
"""

import base64
import functools
import textwrap
from collections.abc import Sequence
from html import escape

#: calm colours from unhappy to happy (colour-blind safe, dark enough for white numbers)
SCALE_COLOURS = ["#b2182b", "#d6604d", "#8c8c8c", "#4393c3", "#2166ac"]
LINE_COLOURS = ["#2f5d8a", "#b35806", "#1b7837", "#762a83", "#8c510a", "#01665e"]
INK = "#1d2330"
GRID = "#d6dbe3"
BEFORE, AFTER = "#9bb5cf", "#2f5d8a"
FONT = "VT Sans, DejaVu Sans, Noto Sans, Arial, sans-serif"
WIDTH = 720
LINE = 13  # px between lines of a wrapped label


def _colours(count: int) -> list[str]:
    bad, light_bad, middle, light_good, good = SCALE_COLOURS
    palettes = {
        1: [good],
        2: [bad, good],
        3: [bad, middle, good],
        4: [bad, light_bad, light_good, good],
        5: SCALE_COLOURS,
    }
    return palettes.get(count) or [SCALE_COLOURS[i % 5] for i in range(count)]


@functools.lru_cache(maxsize=2048)
def _wrap(text: str, width: int = 38) -> tuple[str, ...]:
    # the same questions and labels come back on every results page: wrapped once each
    return tuple(textwrap.wrap(text, width)[:3]) or ("",)


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _text(
    x: float, y: float, content: str, *, size: int = 10, anchor: str = "start", **attrs
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(str(v))}"' for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{escape(content)}</text>"
    )


def _lines(x: float, y: float, lines: Sequence[str], **attrs) -> str:
    """Wrapped text centred vertically on ``y``."""
    top = y - (len(lines) - 1) * LINE / 2
    return "".join(_text(x, top + i * LINE + 3.5, line, **attrs) for i, line in enumerate(lines))


def _svg(height: float, title: str, desc: str, body: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" font-family="{FONT}" fill="{INK}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _ticks(top: int) -> list[int]:
    """About five whole-number ticks from 0 to at least ``top``."""
    step = max(1, -(-top // 5))
    return list(range(0, top + step, step)) if top else [0, 1]


def _legend(
    y: float, items: list[tuple[str, str]], columns: int, x0: float = 40, span: float = WIDTH - 80
) -> list[str]:
    body, column_width = [], span / columns
    for index, (colour, label) in enumerate(items):
        x = x0 + (index % columns) * column_width
        row_y = y + (index // columns) * 18
        body.append(
            f'<rect x="{x:.1f}" y="{row_y - 9:.1f}" width="12" height="12" fill="{colour}"/>'
        )
        body.append(_text(x + 17, row_y + 1, label, size=9))
    return body


def distribution_svg(
    rows: Sequence[tuple[str, Sequence[int]]],
    option_labels: Sequence[str],
    *,
    title: str = "Verdeling van de antwoorden per vraag",
) -> str:
    """Stacked horizontal bars: one row per question, one segment per answer option (counts)."""
    left, right, row_height, top = 270, WIDTH - 20, 44, 10
    ticks = _ticks(max((sum(counts) for _text, counts in rows), default=0))
    scale = (right - left) / ticks[-1]
    colours = _colours(len(option_labels))
    axis_y = top + row_height * len(rows)
    body = []
    for tick in ticks:
        x = left + tick * scale
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" stroke="{GRID}"/>')
        body.append(_text(x, axis_y + 14, str(tick), size=9, anchor="middle"))
    body.append(_text((left + right) / 2, axis_y + 30, "aantal antwoorden", anchor="middle"))
    for index, (question, counts) in enumerate(rows):
        middle = top + row_height * index + row_height / 2
        body.append(_lines(left - 8, middle, _wrap(question), size=9, anchor="end"))
        x = left
        for colour, count in zip(colours, counts, strict=False):
            width = count * scale
            if count:
                body.append(
                    f'<rect x="{x:.1f}" y="{middle - 13:.1f}" width="{width:.1f}" height="26" '
                    f'fill="{colour}"/>'
                )
                if width >= 14:
                    body.append(
                        _text(
                            x + width / 2,
                            middle + 3.5,
                            str(count),
                            size=9,
                            anchor="middle",
                            fill="#ffffff",
                            font_weight="bold",
                        )  # fmt: skip
                    )
            x += width
    legend_y = axis_y + 52
    columns = min(len(option_labels), 3) or 1
    body += _legend(legend_y, list(zip(colours, option_labels, strict=False)), columns)
    height = legend_y + 18 * -(-len(option_labels) // columns) + 4
    desc = "; ".join(
        f"{question}: "
        + ", ".join(f"{label} {count}" for label, count in zip(option_labels, counts, strict=False))
        for question, counts in rows
    )
    return _svg(height, title, desc, body)


def trend_svg(
    numbers: Sequence[int],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_range: tuple[int, int],
    *,
    title: str = "Gemiddelde per vraag per bijeenkomst",
) -> str:
    """Means per meeting number, one line per question (gaps where too few answered)."""
    left, right, top, bottom = 60, WIDTH - 20, 12, 262
    low, high = y_range[0] - 0.2, y_range[1] + 0.2

    def at(n: float, value: float) -> tuple[float, float]:
        return (
            left + (n - 0.5) * (right - left) / 12,
            bottom - (value - low) * (bottom - top) / (high - low),
        )

    body = []
    for value in range(y_range[0], y_range[1] + 1):
        _x, y = at(0.5, value)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 8, y + 3.5, str(value), size=9, anchor="end"))
    for n in range(1, 13):
        x, _y = at(n, low)
        body.append(_text(x, bottom + 16, str(n), size=9, anchor="middle"))
    body.append(_text((left + right) / 2, bottom + 34, "bijeenkomst", anchor="middle"))
    body.append(
        _text(
            16,
            (top + bottom) / 2,
            "gemiddelde",
            anchor="middle",
            transform=f"rotate(-90 16 {(top + bottom) / 2:.1f})",
        )  # fmt: skip
    )
    legend, descs = [], []
    for index, (label, means) in enumerate(series):
        points = [at(n, m) for n, m in zip(numbers, means, strict=True) if m is not None]
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in points]
        legend.append((colour, " ".join(_wrap(label, 90)[:1])))
        values = ", ".join(
            f"{n}: {_number(m)}" for n, m in zip(numbers, means, strict=True) if m is not None
        )
        descs.append(f"{label}: {values}")
    body += _legend(bottom + 58, legend, 1)
    return _svg(bottom + 58 + 18 * len(legend), title, "; ".join(descs), body)


def prepost_svg(
    rows: Sequence[tuple[str, float | None, float | None]],
    y_range: tuple[float, float],
    *,
    title: str = "Gemiddelde voor en na",
) -> str:
    """Before/after means side by side per row (a group, or a question)."""
    left, right, top, bottom = 60, WIDTH - 20, 30, 250
    low, high = y_range
    slot = (right - left) / max(len(rows), 1)
    bar = min(40.0, slot * 0.38)

    def y_of(value: float) -> float:
        return bottom - (min(max(value, low), high) - low) * (bottom - top) / (high - low)

    body = []
    for tick in _ticks(int(high - low)):
        value = low + tick
        if value > high:
            break
        y = y_of(value)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 8, y + 3.5, f"{value:g}", size=9, anchor="end"))
    body.append(
        _text(
            16,
            (top + bottom) / 2,
            "gemiddelde",
            anchor="middle",
            transform=f"rotate(-90 16 {(top + bottom) / 2:.1f})",
        )  # fmt: skip
    )
    descs = []
    for index, (label, before, after) in enumerate(rows):
        centre = left + slot * index + slot / 2
        for x, mean, colour in ((centre - bar - 2, before, BEFORE), (centre + 2, after, AFTER)):
            if mean is None:
                continue
            y = y_of(mean)
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{bottom - y:.1f}" '
                f'fill="{colour}"/>'
            )
            body.append(_text(x + bar / 2, y - 4, _number(mean), size=8, anchor="middle"))
        body.append(_lines(centre, bottom + 20, _wrap(label, 16), size=8, anchor="middle"))
        shown = [
            f"{name} {_number(v)}" for name, v in (("voor", before), ("na", after)) if v is not None
        ]
        descs.append(f"{label}: {', '.join(shown) or 'geen gegevens'}")
    body += _legend(14, [(BEFORE, "voormeting"), (AFTER, "nameting")], 2, x0=right - 220, span=220)
    return _svg(bottom + 64, title, "; ".join(descs), body)


def data_uri(svg: str) -> str:
    """An SVG as a data: URI for ``<img src>`` (allowed by our CSP and by the PDF fetcher)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
