"""Pure functions on GeoJSON boundaries (WGS84), without Django: centroids, distances between boundaries,
and the order of wijken from near to far (the finder's "near a postcode"; kwaliteit.services.search)."""

from __future__ import annotations

import math

TOUCHING_KM = 0.05  # generalised boundaries do not meet exactly


def rings(geometry: dict | None) -> list[list[tuple[float, float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon as lists of (longitude, latitude)."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return []
    return [[(float(p[0]), float(p[1])) for p in polygon[0]] for polygon in polygons if polygon and polygon[0]]


def centroid(geometry: dict | None) -> tuple[float, float] | None:
    """The area-weighted centroid (longitude, latitude) of a Polygon or MultiPolygon's outer rings, or None."""
    outer = rings(geometry)
    points = [p for ring in outer for p in ring]
    if not points:
        return None
    ox, oy = points[0]  # relative to a vertex: the products stay small and precise
    area_sum = x_sum = y_sum = 0.0
    for ring in outer:
        shifted = [(x - ox, y - oy) for x, y in ring]
        for (x0, y0), (x1, y1) in zip(shifted, shifted[1:] + shifted[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area_sum += cross
            x_sum += (x0 + x1) * cross
            y_sum += (y0 + y1) * cross
    if abs(area_sum) < 1e-15:  # degenerate: the mean of the vertices
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return (ox + x_sum / (3 * area_sum), oy + y_sum / (3 * area_sum))


def _km(point: tuple[float, float], lat0: float) -> tuple[float, float]:
    """Equirectangular projection to kilometres: ample within a municipality."""
    return (math.radians(point[0]) * math.cos(lat0) * 6371.0, math.radians(point[1]) * 6371.0)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat0 = math.radians((a[1] + b[1]) / 2)
    (ax, ay), (bx, by) = _km(a, lat0), _km(b, lat0)
    return math.hypot(ax - bx, ay - by)


def _point_segment(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def _crosses(a, b, c, d) -> bool:
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def segment_distance(a, b, c, d) -> float:
    """The shortest distance between segments ab and cd (0 when they cross)."""
    if _crosses(a, b, c, d):
        return 0.0
    return min(_point_segment(a, c, d), _point_segment(b, c, d), _point_segment(c, a, b), _point_segment(d, a, b))


def gap_km(first: dict | None, second: dict | None) -> float:
    """The shortest distance between two boundaries (0 where they touch or cross); inf without both."""
    a_rings, b_rings = rings(first), rings(second)
    if not a_rings or not b_rings:
        return math.inf
    lat0 = math.radians(a_rings[0][0][1])
    a_segments = [(_km(p, lat0), _km(q, lat0)) for ring in a_rings for p, q in zip(ring, ring[1:] + ring[:1],
                                                                                 strict=True)]
    b_segments = [(_km(p, lat0), _km(q, lat0)) for ring in b_rings for p, q in zip(ring, ring[1:] + ring[:1],
                                                                                 strict=True)]
    return min(segment_distance(a, b, c, d) for a, b in a_segments for c, d in b_segments)


def nearest_first(origin: int, boundaries: dict[int, dict | None]) -> list[int]:
    """All wijk ids from near to far as seen from ``origin``: itself, the wijken touching it, then the rest,
    each group by the distance between centres; wijken without a boundary last (by id)."""
    centres = {pk: centroid(boundary) for pk, boundary in boundaries.items()}
    here = centres.get(origin)
    others = [pk for pk in boundaries if pk != origin]
    if here is None:
        return [origin, *sorted(others)]
    unknown = sorted(pk for pk in others if centres[pk] is None)
    known = [pk for pk in others if centres[pk] is not None]

    def key(pk):
        touching = gap_km(boundaries[origin], boundaries[pk]) <= TOUCHING_KM
        return (not touching, distance_km(here, centres[pk]), pk)

    return [origin, *sorted(known, key=key), *unknown]
