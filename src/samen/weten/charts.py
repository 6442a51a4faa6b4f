"""Vega-Lite chart specifications for the monitor, rendered to SVG on the server (vl-convert).

The same specification serves the dashboard and the PDF factsheet; no JavaScript runs in the
browser, so the strict Content-Security-Policy holds. Every chart on a page has a table beside it
with the same figures (the text alternative); suppressed cells are absent from the data.
"""

from __future__ import annotations

import functools
import hashlib
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
    """Wijken coloured by their estimate, each labelled with its name and value (or "—" where suppressed);
    ``features`` are GeoJSON features with properties name/value; the label sits at the mean of the
    boundary's points (``label_point``)."""
    labels = []
    for feature in features:
        point = label_point(feature.get("geometry"))
        if point is None:
            continue
        value = feature["properties"].get("value")
        labels.append({"lon": point[0], "lat": point[1], "name": feature["properties"]["name"],
                       "value": "—" if value is None else f"{round(value * 100)}%"})
    text = {"type": "text", "fontSize": 11, "font": FONT, "color": "#1a1a1a", "stroke": "white",
            "strokeWidth": 3, "strokeOpacity": 0.8}
    layers = [{
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 1.5},
        "encoding": {
            "color": {"field": "properties.value", "type": "quantitative", "title": "aandeel",
                      "scale": {"scheme": "tealblues"}, "legend": {"format": ".0%"}},
        },
    }, {
        "mark": {"type": "geoshape", "fill": "#d9d9d9", "stroke": "white", "strokeWidth": 1.5},
        "transform": [{"filter": "datum.properties.value == null"}],
    }]
    if labels:
        layers += [
            {"data": {"values": labels}, "mark": {**text, "dy": -7, "fontWeight": "bold"},
             "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                          "latitude": {"field": "lat", "type": "quantitative"},
                          "text": {"field": "name"}}},
            {"data": {"values": labels}, "mark": {**text, "dy": 7},
             "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                          "latitude": {"field": "lat", "type": "quantitative"},
                          "text": {"field": "value"}}},
        ]
    return {
        "$schema": SCHEMA, "title": title, "width": 420, "height": 420, "config": CONFIG,
        "data": {"values": {"type": "FeatureCollection", "features": features}, "format": {"type": "json",
                                                                                           "property": "features"}},
        "projection": {"type": "mercator"},
        "layer": layers,
    }


def label_point(geometry: dict | None) -> tuple[float, float] | None:
    """A point for a label: the mean of the outer ring's points of the (largest) polygon."""
    if not geometry:
        return None
    if geometry.get("type") == "Polygon":
        rings = [geometry["coordinates"][0]]
    elif geometry.get("type") == "MultiPolygon":
        rings = [polygon[0] for polygon in geometry["coordinates"]]
    else:
        return None
    ring = max(rings, key=len)
    if not ring:
        return None
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))


def trend(points: list[dict], title: str, target: float | None = None, target_label: str = "") -> dict:
    """One line per area over the years with the 95% interval as a band (cf. seed 003 figure 1). The legend
    comes from the lines (solid swatches in the lines' colours), not from the pale bands; the target is a
    dashed line labelled with its area (``target_label``)."""
    areas = list(dict.fromkeys(p["area"] for p in points))
    colour = {"field": "area", "type": "nominal", "title": "gebied",
              "scale": {"domain": areas, "scheme": "tableau10"}}
    x = {"field": "year", "type": "ordinal", "title": "jaar", "axis": {"labelAngle": 0}}
    layers = [
        {"data": {"values": points}, "mark": {"type": "line", "point": True, "strokeWidth": 2},
         "encoding": {"x": x, "color": {**colour, "legend": {"symbolType": "stroke", "symbolStrokeWidth": 3}},
                      "y": {"field": "estimate", "type": "quantitative", "axis": percent_axis("aandeel")}}},
        {"data": {"values": points}, "mark": {"type": "errorband", "opacity": 0.15},
         "encoding": {"x": x, "color": {**colour, "legend": None},
                      "y": {"field": "ci_low", "type": "quantitative"}, "y2": {"field": "ci_high"}}},
    ]
    if target is not None:
        layers.append({"data": {"values": [{"target": target}]},
                       "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#b00020"},
                       "encoding": {"y": {"field": "target", "type": "quantitative"}}})
        if target_label:
            layers.append({"data": {"values": [{"target": target, "label": target_label}]},
                           "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "color": "#b00020",
                                    "font": FONT, "fontSize": 11},
                           "encoding": {"y": {"field": "target", "type": "quantitative"},
                                        "x": {"value": 0}, "text": {"field": "label"}}})
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
    """Memoised in the process, then in the machine's chart cache (settings.CACHES["charts"]): drawing a chart
    in vl-convert costs 40-90 ms of CPU, reading it back well under one."""
    from django.core.cache import caches

    store = caches["charts"]
    key = "svg:" + hashlib.sha256(spec_json.encode()).hexdigest()
    document = store.get(key)
    if document is None:
        document = vl_convert.vegalite_to_svg(json.loads(spec_json))
        store.set(key, document)
    return document


def svg(spec: dict) -> str:
    """The chart as an SVG document (memoised per specification): one image, labelled by its title."""
    document = ARIA_ATTRIBUTE.sub("", _render(json.dumps(spec, sort_keys=True)))
    label = escape(str(spec.get("title", "")), quote=True)
    return document.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
