"""Charts as SVG, drawn server-side with matplotlib (no pyplot: no global figure state).

Text is turned into paths, so a chart looks the same in every browser and in WeasyPrint, needs
no font, and (as an ``<img>`` with a data: URI) loads nothing and runs under our CSP.
"""

import base64
import io
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.rcParams.update(
    {
        "svg.fonttype": "path",
        "svg.hashsalt": "veiligthuis",
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

from matplotlib.figure import Figure  # noqa: E402  (after the settings above)

#: calm colours from unhappy to happy (colour-blind safe, dark enough for white numbers)
SCALE_COLOURS = ["#b2182b", "#d6604d", "#8c8c8c", "#4393c3", "#2166ac"]
LINE_COLOURS = ["#2f5d8a", "#b35806", "#1b7837", "#762a83", "#8c510a", "#01665e"]
INK = "#1d2330"


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


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _wrap(text: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(text, width)[:3])


def distribution_svg(
    rows: Sequence[tuple[str, Sequence[int]]], option_labels: Sequence[str]
) -> str:
    """Stacked horizontal bars: one row per question, one segment per answer option (counts)."""
    height = 0.9 + 0.62 * len(rows)
    fig = Figure(figsize=(7.2, height))
    ax = fig.add_subplot()
    colours = _colours(len(option_labels))
    positions = list(range(len(rows)))[::-1]
    lefts = [0] * len(rows)
    for index, label in enumerate(option_labels):
        widths = [counts[index] for _text, counts in rows]
        bars = ax.barh(positions, widths, left=lefts, color=colours[index], label=label, height=0.6)
        for bar, width in zip(bars, widths, strict=True):
            if width:
                ax.text(
                    bar.get_x() + width / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(width),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=9,
                    fontweight="bold",
                )
        lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
    ax.set_yticks(positions, [_wrap(text) for text, _counts in rows], fontsize=9, color=INK)
    ax.set_xlabel("aantal antwoorden", color=INK)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.6 / (0.62 * len(rows))),
        ncol=min(len(option_labels), 3),
        frameon=False,
        fontsize=8,
    )
    return _svg(fig)


def trend_svg(
    numbers: Sequence[int],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_range: tuple[int, int],
) -> str:
    """Means per meeting number, one line per question (gaps where too few answered)."""
    fig = Figure(figsize=(7.2, 3.6))
    ax = fig.add_subplot()
    for index, (label, means) in enumerate(series):
        points = [(n, m) for n, m in zip(numbers, means, strict=True) if m is not None]
        if not points:
            continue
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            marker="o",
            color=LINE_COLOURS[index % len(LINE_COLOURS)],
            label=_wrap(label, 50),
        )
    ax.set_xlim(0.5, 12.5)
    ax.set_xticks(range(1, 13))
    ax.set_ylim(y_range[0] - 0.2, y_range[1] + 0.2)
    ax.set_yticks(range(y_range[0], y_range[1] + 1))
    ax.set_xlabel("bijeenkomst", color=INK)
    ax.set_ylabel("gemiddelde", color=INK)
    ax.grid(axis="y", color="#d6dbe3")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1, frameon=False, fontsize=8)
    return _svg(fig)


def prepost_svg(
    rows: Sequence[tuple[str, float | None, float | None]], y_range: tuple[float, float]
) -> str:
    """Before/after means side by side per row (a group, or a question)."""
    fig = Figure(figsize=(7.2, 3.4))
    ax = fig.add_subplot()
    positions = range(len(rows))
    before = [r[1] or 0 for r in rows]
    after = [r[2] or 0 for r in rows]
    ax.bar([p - 0.2 for p in positions], before, width=0.38, color="#9bb5cf", label="voormeting")
    ax.bar([p + 0.2 for p in positions], after, width=0.38, color="#2f5d8a", label="nameting")
    for p, (_label, b, a) in zip(positions, rows, strict=True):
        for x, value in ((p - 0.2, b), (p + 0.2, a)):
            if value is not None:
                ax.text(
                    x, value, f"{value:.1f}".replace(".", ","), ha="center", va="bottom", fontsize=8
                )
    ax.set_xticks(list(positions), [_wrap(r[0], 16) for r in rows], fontsize=8)
    ax.set_ylim(*y_range)
    ax.set_ylabel("gemiddelde", color=INK)
    ax.legend(frameon=False, fontsize=8)
    return _svg(fig)


def data_uri(svg: str) -> str:
    """An SVG as a data: URI for ``<img src>`` (allowed by our CSP and by the PDF fetcher)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
