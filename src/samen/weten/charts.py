"""Vega-Lite chart specifications for the monitor, rendered to SVG on the server (vl-convert).

The same specification serves the dashboard and the PDF factsheet; no JavaScript runs in the
browser, so the strict Content-Security-Policy holds. Every chart on a page has a table beside it
with the same figures (the text alternative); suppressed cells are absent from the data.
"""

from __future__ import annotations

import functools
import json
import re
from html import escape

import vl_convert

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "DejaVu Sans"
PRIMARY = "#00605a"
# No ARIA roles on the marks: the figure as a whole is one image with a label; the table beside it
# carries the figures for screen readers.
CONFIG = {"font": FONT, "view": {"stroke": None}, "aria": False, "axis": {"labelFontSize": 12, "titleFontSize": 12},
          "legend": {"labelFontSize": 12, "titleFontSize": 12}}


def percent_axis(title: str) -> dict:
    return {"title": title, "format": ".0%"}


def choropleth(features: list[dict], title: str) -> dict:
    """Wijken coloured by their estimate; ``features`` are GeoJSON features with properties name/value."""
    return {
        "$schema": SCHEMA, "title": title, "width": 420, "height": 420, "config": CONFIG,
        "data": {"values": {"type": "FeatureCollection", "features": features}, "format": {"type": "json",
                                                                                           "property": "features"}},
        "projection": {"type": "mercator"},
        "layer": [{
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 1.5},
            "encoding": {
                "color": {"field": "properties.value", "type": "quantitative", "title": "aandeel",
                          "scale": {"scheme": "tealblues"}, "legend": {"format": ".0%"}},
            },
        }, {
            "mark": {"type": "geoshape", "fill": "#d9d9d9", "stroke": "white", "strokeWidth": 1.5},
            "transform": [{"filter": "datum.properties.value == null"}],
        }],
    }


def trend(points: list[dict], title: str, target: float | None = None) -> dict:
    """One line per area over the years with the 95% interval as a band (cf. seed 003 figure 1)."""
    shared = {"x": {"field": "year", "type": "ordinal", "title": "jaar", "axis": {"labelAngle": 0}},
              "color": {"field": "area", "type": "nominal", "title": "gebied", "scale": {"scheme": "tableau10"}}}
    layers = [
        {"data": {"values": points}, "mark": {"type": "errorband", "opacity": 0.15},
         "encoding": {**shared, "y": {"field": "ci_low", "type": "quantitative", "axis": percent_axis("aandeel")},
                      "y2": {"field": "ci_high"}}},
        {"data": {"values": points}, "mark": {"type": "line", "point": True},
         "encoding": {**shared, "y": {"field": "estimate", "type": "quantitative"}}},
    ]
    if target is not None:
        layers.append({"data": {"values": [{"target": target}]},
                       "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#b00020"},
                       "encoding": {"y": {"field": "target", "type": "quantitative"}}})
    return {
        "$schema": SCHEMA, "title": title, "width": 560, "height": 300, "config": CONFIG,
        "layer": layers,
    }


def forest(effects: list[dict], title: str) -> dict:
    """Odds ratios with 95% intervals on a log scale, 1 marked."""
    label = {"field": "label", "type": "nominal", "sort": None, "title": None}
    return {
        "$schema": SCHEMA, "title": title, "width": 420, "config": CONFIG,
        "height": {"step": 22},
        "layer": [
            {"data": {"values": effects}, "mark": {"type": "rule", "color": PRIMARY},
             "encoding": {"y": label, "x": {"field": "ci_low", "type": "quantitative", "scale": {"type": "log"},
                                            "title": "odds ratio (log-schaal)"}, "x2": {"field": "ci_high"}}},
            {"data": {"values": effects}, "mark": {"type": "point", "filled": True, "color": PRIMARY, "size": 60},
             "encoding": {"y": label, "x": {"field": "odds_ratio", "type": "quantitative"}}},
            {"data": {"values": [{"one": 1}]}, "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#767676"},
             "encoding": {"x": {"field": "one", "type": "quantitative"}}},
        ],
    }


ARIA_ATTRIBUTE = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


@functools.lru_cache(maxsize=64)
def _render(spec_json: str) -> str:
    return vl_convert.vegalite_to_svg(json.loads(spec_json))


def svg(spec: dict) -> str:
    """The chart as an SVG document (memoised per specification): one image, labelled by its title."""
    document = ARIA_ATTRIBUTE.sub("", _render(json.dumps(spec, sort_keys=True)))
    label = escape(str(spec.get("title", "")), quote=True)
    return document.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
