"""A map of wijken as inline SVG, drawn from their stored GeoJSON boundaries (WGS84).

Pure Python, no Django: takes any objects with ``code``, ``display_name`` and ``boundary``. The
table beside each map carries the same information for screen readers; the map is a picture.
"""

from __future__ import annotations

import math
from html import escape

WIDTH = 640


def _rings(geometry: dict) -> list[list[list[float]]]:
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def wijk_map_svg(wijken, label: str = "Kaart van de wijken", href=None) -> str:
    """SVG markup; ``href(wijk)`` may give a link per wijk. Empty string when nothing has a boundary."""
    shapes = [(w, _rings(w.boundary)) for w in wijken if w.boundary]
    points = [p for _w, rings in shapes for ring in rings for p in ring]
    if not points:
        return ""
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_y + max_y) / 2))  # keep the shapes' proportions at this latitude
    span_x = max((max_x - min_x) * x_scale, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    height = round(WIDTH * span_y / span_x)

    def project(point):
        x = (point[0] - min_x) * x_scale / span_x * (WIDTH - 20) + 10
        y = (max_y - point[1]) / span_y * (height - 20) + 10
        return f"{x:.1f},{y:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{escape(label)}" class="samen-map">']
    for index, (wijk, rings) in enumerate(shapes):
        path = " ".join("M" + " L".join(project(p) for p in ring) + " Z" for ring in rings)
        title = f"<title>{escape(wijk.display_name)}</title>"
        shape = f'<path d="{path}" class="samen-map__area samen-map__area--{index % 4}">{title}</path>'
        if href:
            shape = f'<a href="{escape(href(wijk))}">{shape}</a>'
        parts.append(shape)
    parts.append("</svg>")
    return "".join(parts)
