"""The finder's map of the wijken: how many activities match in each, each wijk a link that filters on it.

Drawn like the monitor's map (weten.charts): a Vega-Lite specification rendered to SVG on the server
with vl-convert, so no script runs in the browser. Rendering costs tens of milliseconds, too much for
every search, so the map is rendered once per set of boundaries with placeholders, and each search
only fills in its numbers, colours and links (``fill``). The map is a picture for mouse users; the
table beside it carries the same numbers and links for keyboard and screen-reader users, so the SVG is
hidden from assistive technology and its links are kept out of the tab order.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from html import escape

import vl_convert

from samen.kwaliteit.geometry import centroid, rings
from samen.weten.charts import FONT, SCHEMA

TEXT = "#1a1a1a"
# Fill by share of the largest count: none, a few, more, most (dark text stays readable on each).
FILLS = ("#eeeeee", "#d2ebe8", "#9fd3cd", "#6bb9b0")
OUTLINE, SELECTED = "#ffffff", "#1a1a1a"
_FILL = "#0a0b{:02x}"  # placeholders: the n-th wijk's fill and outline, unique in the rendered SVG
_STROKE = "#0c0d{:02x}"
_HREF = re.compile(r'xlink:href="[^"]*#samen-wijk-(WK[0-9]{6})"')
_COUNT = re.compile(r"§(WK[0-9]{6})§")
_PLACEHOLDER = re.compile(r'(fill|stroke)="#(0a0b|0c0d)([0-9a-f]{2})"')


def _label_point(geometry: dict) -> tuple[float, float] | None:
    """Where the wijk's label goes: the centre of its largest part (a wijk in pieces has one label)."""
    parts = rings(geometry)
    if not parts:
        return None

    def area(ring):
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)))

    largest = max(parts, key=area)
    return centroid({"type": "Polygon", "coordinates": [[list(p) for p in largest]]})


def spec(wijken: list[tuple[str, str, dict]]) -> dict:
    """The map with placeholders for (code, short name, boundary) of each wijk, in this order."""
    features, labels = [], []
    for index, (code, name, boundary) in enumerate(wijken, start=1):
        features.append({"type": "Feature", "geometry": boundary,
                         "properties": {"fill": _FILL.format(index), "stroke": _STROKE.format(index),
                                        "href": f"#samen-wijk-{code}"}})
        point = _label_point(boundary)
        if point:
            labels.append({"lon": point[0], "lat": point[1], "text": [name, f"§{code}§"]})
    return {
        "$schema": SCHEMA, "width": 420, "height": 420,
        "config": {"font": FONT, "view": {"stroke": None}, "aria": False},
        "projection": {"type": "mercator"},
        "layer": [
            {"data": {"values": {"type": "FeatureCollection", "features": features},
                      "format": {"type": "json", "property": "features"}},
             "mark": {"type": "geoshape", "strokeWidth": 2.5, "cursor": "pointer"},
             "encoding": {"fill": {"field": "properties.fill", "type": "nominal", "scale": None},
                          "stroke": {"field": "properties.stroke", "type": "nominal", "scale": None},
                          "href": {"field": "properties.href"}}},
            {"data": {"values": labels},
             "mark": {"type": "text", "fontSize": 13, "lineHeight": 16, "color": TEXT, "fontWeight": "bold"},
             "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                          "latitude": {"field": "lat", "type": "quantitative"}, "text": {"field": "text"}}},
        ],
    }


@functools.lru_cache(maxsize=16)
def _rendered(spec_json: str) -> str:
    document = vl_convert.vegalite_to_svg(json.loads(spec_json))
    document = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", document)
    return document.replace("<svg ", '<svg aria-hidden="true" focusable="false" class="samen-finder-map__svg" ', 1)


def fill_for(count: int, largest: int) -> str:
    if count <= 0 or largest <= 0:
        return FILLS[0]
    share = count / largest
    return FILLS[1] if share <= 1 / 3 else FILLS[2] if share <= 2 / 3 else FILLS[3]


def wijk_map(wijken: list[tuple[str, str, dict]], counts: dict[str, int], href: Callable[[str], str],
             selected: str | None = None) -> str:
    """The SVG for these (code, short name, boundary) wijken with their counts; '' without boundaries."""
    wijken = [w for w in wijken if w[2]]
    if not wijken:
        return ""
    document = _rendered(json.dumps(spec(wijken), sort_keys=True))
    codes = [code for code, _name, _boundary in wijken]
    largest = max(counts.values(), default=0)

    def placeholder(match: re.Match) -> str:
        attribute, kind, number = match.group(1), match.group(2), int(match.group(3), 16)
        code = codes[number - 1] if 0 < number <= len(codes) else None
        outline = SELECTED if code == selected else OUTLINE
        colour = fill_for(counts.get(code, 0), largest) if kind == "0a0b" else outline
        return f'{attribute}="{colour}"'

    document = _PLACEHOLDER.sub(placeholder, document)
    document = _HREF.sub(lambda m: f'xlink:href="{escape(href(m.group(1)), quote=True)}" tabindex="-1"', document)
    return _COUNT.sub(lambda m: str(counts.get(m.group(1), 0)), document)
