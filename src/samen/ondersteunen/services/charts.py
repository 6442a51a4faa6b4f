"""The trajectory's two small charts — the spider web of positieve gezondheid and the loneliness score per
measurement — drawn directly as SVG.

Why not Vega-Lite here, as ``weten.charts`` does for the monitor: these two charts are on the page a social
worker opens most (the trajectory), they differ for every resident so a cache rarely helps, and vl-convert
takes 38-90 ms of CPU to draw each (benchmarks/RESULTS.md, region scale). Both shapes are fixed — six spokes
and rings, a few lines over time — so a hundred lines of geometry draw them in well under a millisecond, the
same in the page and in the inzage PDF (WeasyPrint reads the same SVG). The look follows ``weten.charts``:
the same font, colour and label sizes; the figure is one image labelled by its title, the table beside it
carries the figures for screen readers.
"""
from __future__ import annotations

import math
from datetime import date
from html import escape

from django.utils.translation import gettext as _

from samen.ondersteunen.models import HealthDimension, Measurement
from samen.weten import scales
from samen.weten.charts import FONT, PRIMARY

GRID = "#c8c8c8"
INK = "#222"
# One colour per scale, the first the house colour (colour-blind safe, as the monitor's charts).
SCALE_COLOURS = {Measurement.Scale.DJG6: PRIMARY, Measurement.Scale.DJG11: "#c55a11",
                 Measurement.Scale.UCLA3: "#5b4b8a"}
# The range of each scale (higher is lonelier), from the monitor's scale module, so the y-axis always shows the
# whole scale: De Jong Gierveld counts the lonely answers (0 to the number of items), UCLA-3 sums three items 1-3.
SCALE_RANGE = {Measurement.Scale.DJG6: (0, len(scales.DJG6.items)),
               Measurement.Scale.DJG11: (0, len(scales.DJG11.items)),
               Measurement.Scale.UCLA3: (3 * min(scales.UCLA3_LABELS.values()), 3 * max(scales.UCLA3_LABELS.values()))}
SPIDER_RADIUS = 120
RINGS = (2, 4, 6, 8, 10)


def _svg(width: int, height: int, label: str, body: str) -> str:
    title = escape(label, quote=True)
    return (f'<svg role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}">{body}</svg>')


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "middle", weight: str = "normal",
          colour: str = INK) -> str:
    """Text centred vertically on ``y`` (a third of the size below: no reliance on dominant-baseline, which
    not every SVG reader, WeasyPrint's among them, draws the same)."""
    return (f'<text x="{x:.1f}" y="{y + size * 0.35:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{colour}">{escape(text)}</text>')


def _clamp(score, low: int, high: int) -> int | None:
    if score is None or isinstance(score, bool):
        return None
    try:
        return max(low, min(high, int(score)))
    except (TypeError, ValueError):
        return None


def _scores(health: dict) -> list[int | None]:
    """The six scores in the order of ``HealthDimension``, clamped to 0-10; None where the resident gave none."""
    return [_clamp((health or {}).get(dimension.value), 0, 10) for dimension in HealthDimension]


def _spoke(i: int, r: float) -> tuple[float, float]:
    """The point at distance ``r`` from the centre on spoke ``i`` (the first at the top, then clockwise)."""
    angle = -math.pi / 2 + 2 * math.pi * i / len(HealthDimension)
    return math.cos(angle) * r, math.sin(angle) * r


def spider_points(health: dict, radius: float = SPIDER_RADIUS) -> list[tuple[float, float]]:
    """The resident's polygon around (0, 0), one point per dimension from the top clockwise; a missing score
    sits at the centre. Scores are clamped to 0-10, so the polygon never leaves the web."""
    return [_spoke(i, radius * (score or 0) / 10) for i, score in enumerate(_scores(health))]


def spider_svg(health: dict) -> str:
    """The six dimensions 0-10 as a spider web: rings at 2, 4, ..., 10, a spoke per dimension labelled with its
    score ("—" when the resident gave none), and the resident's polygon."""
    dimensions = list(HealthDimension)
    width, height, radius = 480, 340, SPIDER_RADIUS
    cx, cy = width / 2, 36 + radius + 16

    def at(i: int, r: float) -> tuple[float, float]:
        x, y = _spoke(i, r)
        return cx + x, cy + y

    def polygon(points, **attributes) -> str:
        extra = " ".join(f'{key.replace("_", "-")}="{value}"' for key, value in attributes.items())
        return f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" {extra}/>'

    parts = [_text(cx, 14, _("Positieve gezondheid (0-10)"), size=13, weight="bold")]
    for level in RINGS:
        parts.append(polygon([at(i, radius * level / 10) for i in range(len(dimensions))], fill="none",
                             stroke=GRID, stroke_width=1))
    for i in range(len(dimensions)):
        x, y = at(i, radius)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
    shape = [(cx + x, cy + y) for x, y in spider_points(health, radius)]
    parts.append(polygon(shape, fill=PRIMARY, fill_opacity="0.25", stroke=PRIMARY, stroke_width="2.5",
                         stroke_linejoin="round"))
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PRIMARY}"/>' for x, y in shape]
    for i, (dimension, score) in enumerate(zip(dimensions, _scores(health), strict=True)):
        x, y = at(i, radius + 16)
        anchor = "middle" if abs(x - cx) < 1 else ("start" if x > cx else "end")
        label = f"{dimension.label} ({'—' if score is None else score})"
        # A long label on two lines (at its first space), so the web stays wide on a phone.
        lines = label.split(" ", 1) if len(label) > 16 and abs(x - cx) >= 1 else [label]
        for k, line in enumerate(lines):
            parts.append(_text(x, y + 13 * (k - (len(lines) - 1) / 2), line, size=11, anchor=anchor))
    return _svg(width, height, _("Positieve gezondheid (0-10)"), "".join(parts))


def _date_ticks(first: date, last: date, count: int = 5) -> list[date]:
    span = (last - first).days
    if span <= 0:
        return [first]
    steps = min(count - 1, span)
    days = sorted({round(span * k / steps) for k in range(steps + 1)})
    return [date.fromordinal(first.toordinal() + d) for d in days]


def measurement_svg(measurements) -> str:
    """The scores over time, one line with points per scale, each on its scale's own range (higher is lonelier);
    a legend names the scales when there is more than one. Empty when there is nothing to draw."""
    rows = [(m.measured_on, m.score, Measurement.Scale(m.scale)) for m in measurements]
    if not rows:
        return ""
    scales = list(dict.fromkeys(scale for _day, _score, scale in rows))
    low = min(SCALE_RANGE[s][0] for s in scales)
    high = max(SCALE_RANGE[s][1] for s in scales)
    first, last = min(r[0] for r in rows), max(r[0] for r in rows)
    legend_height = 20 * len(scales) if len(scales) > 1 else 0
    width, left, right, top = 500, 48, 40, 40
    plot_height = 220
    height = top + plot_height + 48 + legend_height
    plot_width = width - left - right
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        if first == last:
            return left + plot_width / 2
        return left + plot_width * (day - first).days / span

    def y_of(score: float) -> float:
        return top + plot_height * (1 - (score - low) / (high - low))

    parts = [_text(width / 2, 14, _("Eenzaamheidsscore per meting"), size=13, weight="bold")]
    step = 1 if high - low <= 6 else 2
    for value in range(low, high + 1, step):
        y = y_of(value)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e6e6e6"/>')
        parts.append(_text(left - 6, y, str(value), anchor="end"))
    bottom = top + plot_height
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="#888"/>')
    for tick in _date_ticks(first, last):
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="#888"/>')
        parts.append(_text(x, bottom + 16, tick.strftime("%d-%m-%Y"), size=11))
    parts.append(_text(14, top + plot_height / 2, _("score (hoger is eenzamer)"), size=12)
                 .replace("<text ", f'<text transform="rotate(-90 14 {top + plot_height / 2:.1f})" ', 1))
    parts.append(_text(left + plot_width / 2, bottom + 36, _("datum"), size=12))
    for scale in scales:
        colour = SCALE_COLOURS[scale]
        points = sorted((day, score) for day, score, s in rows if s == scale)
        path = " ".join(f"{x_of(day):.1f},{y_of(score):.1f}" for day, score in points)
        if len(points) > 1:
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x_of(day):.1f}" cy="{y_of(score):.1f}" r="3.5" fill="{colour}"/>'
                  for day, score in points]
    if len(scales) > 1:
        for k, scale in enumerate(scales):
            y = bottom + 56 + 20 * k
            parts.append(f'<circle cx="{left + 6}" cy="{y}" r="5" fill="{SCALE_COLOURS[scale]}"/>')
            parts.append(_text(left + 18, y, str(scale.label), anchor="start"))
    return _svg(width, height, _("Eenzaamheidsscore per meting"), "".join(parts))
