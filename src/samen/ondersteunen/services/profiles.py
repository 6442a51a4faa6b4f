"""The strengths profile (ABCD, positieve gezondheid): the one write path of ``Profile``, and its spider web
and the measurement chart as Vega-Lite specifications (rendered to SVG by ``weten.charts``, no JavaScript)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import policy
from samen.kwaliteit.vocabulary import Interest, Language, LonelinessKind, PartOfDay
from samen.ondersteunen import workflow
from samen.ondersteunen.models import NOTE_MAX, Barrier, HealthDimension, Profile, Trajectory
from samen.ondersteunen.services import trajectories

LISTS = {"interests": Interest.values, "barriers": Barrier.values, "languages": Language.values,
         "loneliness_kinds": LonelinessKind.values,
         "availability": [f"{day}:{part}" for day in range(7) for part in PartOfDay.values]}
TEXTS = ("good_at", "enjoys", "would_like_to_give")


def _clean(data: dict) -> dict:
    errors, clean = {}, {}
    for name in TEXTS:
        value = (data.get(name) or "").strip()
        if len(value) > NOTE_MAX:
            errors[name] = [_("Hoogstens %(n)s tekens.") % {"n": NOTE_MAX}]
        clean[name] = value
    for name, allowed in LISTS.items():
        values = list(dict.fromkeys(data.get(name) or []))
        unknown = [v for v in values if v not in allowed]
        if unknown:
            errors[name] = [_("Onbekende keuze: %(values)s.") % {"values": ", ".join(map(str, unknown))}]
        clean[name] = values
    health = {}
    for dimension, score in (data.get("health") or {}).items():
        if dimension not in HealthDimension.values:
            errors["health"] = [_("Onbekende dimensie van positieve gezondheid: %(d)s.") % {"d": dimension}]
            continue
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
            errors[f"health_{dimension}"] = [_("Geef een score van 0 tot en met 10.")]
            continue
        health[dimension] = score
    clean["health"] = health
    clean["wants_to_volunteer"] = bool(data.get("wants_to_volunteer"))
    clean["online_ok"] = bool(data.get("online_ok"))
    clean["free_only"] = bool(data.get("free_only"))  # a hard need of the matching: only free activities
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def save(by, pk: int, data: dict) -> Profile:
    """Create or replace the trajectory's profile (all fields at once, as the form sends them)."""
    trajectory = trajectories.lock(by, pk)
    if not policy.can(by, workflow.WORK, trajectory):
        raise PermissionDenied(_("U mag aan dit traject niet werken."))
    if trajectory.anonymised_at:
        raise ValidationError({"__all__": [_("Dit traject is geanonimiseerd.")]})
    clean = _clean(data)
    profile, _created = Profile.objects.get_or_create(trajectory=trajectory)
    for name, value in clean.items():
        setattr(profile, name, value)
    profile.updated_by = by
    profile.save()
    return profile


def profile_of(trajectory: Trajectory) -> Profile | None:
    return Profile.objects.filter(trajectory=trajectory).first()


def health_rows(profile: Profile | None) -> list[dict]:
    health = profile.health if profile else {}
    return [{"dimension": str(label), "score": health.get(value)} for value, label in HealthDimension.choices]


def spider_spec(profile: Profile) -> dict:
    """The six dimensions 0-10 as a spider web (radar): rings at 2, 4, ..., 10 and the resident's polygon."""
    import math

    from samen.weten.charts import CONFIG, PRIMARY, SCHEMA

    rows = health_rows(profile)
    n, radius = len(rows), 120
    points, spokes, labels = [], [], []
    for i, row in enumerate(rows):
        angle = math.pi / 2 - 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        score = row["score"] if row["score"] is not None else 0
        points.append({"x": cos * radius * score / 10, "y": sin * radius * score / 10, "order": i})
        spokes += [{"x": 0, "y": 0, "spoke": i}, {"x": cos * radius, "y": sin * radius, "spoke": i}]
        text = row["dimension"] + (f" ({row['score']})" if row["score"] is not None else " (—)")
        labels.append({"x": cos * (radius + 18), "y": sin * (radius + 14), "text": text})
    points.append({**points[0], "order": n})
    rings = [{"x": math.cos(math.pi / 2 - 2 * math.pi * (i % n) / n) * radius * level / 10,
              "y": math.sin(math.pi / 2 - 2 * math.pi * (i % n) / n) * radius * level / 10, "ring": level, "order": i}
             for level in (2, 4, 6, 8, 10) for i in range(n + 1)]
    scale = {"domain": [-radius - 60, radius + 60]}
    axis_off = {"axis": None, "scale": scale}
    xy = {"x": {"field": "x", "type": "quantitative", **axis_off}, "y": {"field": "y", "type": "quantitative",
                                                                      **axis_off}}
    return {
        "$schema": SCHEMA, "title": _("Positieve gezondheid (0-10)"), "width": 340, "height": 340, "config": CONFIG,
        "layer": [
            {"data": {"values": rings}, "mark": {"type": "line", "color": "#c8c8c8", "strokeWidth": 1},
             "encoding": {**xy, "detail": {"field": "ring"}, "order": {"field": "order"}}},
            {"data": {"values": spokes}, "mark": {"type": "line", "color": "#c8c8c8", "strokeWidth": 1},
             "encoding": {**xy, "detail": {"field": "spoke"}}},
            {"data": {"values": points}, "mark": {"type": "line", "color": PRIMARY, "strokeWidth": 2.5, "point": True},
             "encoding": {**xy, "order": {"field": "order"}}},
            {"data": {"values": labels}, "mark": {"type": "text", "fontSize": 11, "color": "#222"},
             "encoding": {**xy, "text": {"field": "text"}}},
        ],
    }


def measurement_spec(measurements) -> dict | None:
    """The scores over time, one line per scale (higher is lonelier)."""
    from samen.weten.charts import CONFIG, SCHEMA

    values = [{"datum": m.measured_on.isoformat(), "score": m.score, "schaal": str(m.get_scale_display())}
              for m in measurements]
    if not values:
        return None
    return {
        "$schema": SCHEMA, "title": _("Eenzaamheidsscore per meting"), "width": 420, "height": 220, "config": CONFIG,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {"x": {"field": "datum", "type": "temporal", "title": _("datum"),
                           "axis": {"format": "%d-%m-%Y", "labelAngle": 0}},
                     "y": {"field": "score", "type": "quantitative", "title": _("score (hoger is eenzamer)")},
                     "color": {"field": "schaal", "type": "nominal", "title": _("schaal")}},
    }


def svg(spec: dict | None) -> str:
    if spec is None:
        return ""
    from samen.weten.charts import svg as render

    return render(spec)
