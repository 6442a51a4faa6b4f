"""The strengths profile (ABCD, positieve gezondheid): the one write path of ``Profile`` and the rows of its
table (the spider web beside it is drawn by ``services.charts``)."""

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
