"""A trajectory's matches for a user: the one entry point of the screen and the API.

A warm match costs two statements (``matches``): one SELECT that is at once the policy check on the trajectory
(``policy.visible``), the strengths profile, the municipality's weights and every version the caches are kept
under (the catalogue's key, ``candidates.key_annotations``, and the referrals' version, ``live``), and the
INSERT of the access-log entry. The candidates and the live counts come from this process's caches when their
versions are unchanged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, policy
from samen.core.models import AccessAction, Purpose
from samen.ondersteunen.matching import candidates, engine, live

CAPABILITY = "trajectory.work"
PROFILE_FIELDS = ("interests", "availability", "barriers", "free_only", "languages", "loneliness_kinds",
                  "online_ok", "wants_to_volunteer")


def need_for(trajectory, catalogue: candidates.Catalogue | None = None) -> engine.Need:
    """The resident's need from the trajectory's strengths profile and the resident's buurt and birth year."""
    from samen.ondersteunen.models import Profile

    profile = Profile.objects.filter(trajectory=trajectory).values(*PROFILE_FIELDS).first()
    return need_from(trajectory, profile, catalogue)


def need_from(trajectory, profile: dict | None, catalogue: candidates.Catalogue | None = None) -> engine.Need:
    """The need from the profile's ``PROFILE_FIELDS`` (None: no profile yet) and the trajectory's resident."""
    resident = trajectory.resident
    buurt = resident.buurt if resident is not None and resident.buurt_id else None
    wijk_id = buurt.wijk_id if buurt is not None else trajectory.wijk_id
    point, rough = None, True
    boundary = getattr(buurt, "boundary", None)  # a buurt has no boundary in core (yet): the wijk's centre
    if boundary:
        from samen.kwaliteit import geometry

        point, rough = geometry.centroid(boundary), False
    if point is None and catalogue is not None and wijk_id:
        point = catalogue.centres.get(wijk_id)
    age = engine.age_in(timezone.localdate().year, resident.birth_year if resident is not None else None)
    if profile is None:
        return engine.Need(buurt_id=buurt.pk if buurt else None, wijk_id=wijk_id, point=point,
                           point_is_rough=rough, age=age)
    return engine.Need(
        interests=frozenset(profile["interests"] or ()),
        availability=engine.parse_availability(profile["availability"]),
        barriers=frozenset(profile["barriers"] or ()),
        free_only=bool(profile["free_only"]),
        languages=frozenset(profile["languages"] or ()),
        loneliness_kinds=frozenset(profile["loneliness_kinds"] or ()),
        online_ok=bool(profile["online_ok"]),
        wants_to_volunteer=bool(profile["wants_to_volunteer"]),
        buurt_id=buurt.pk if buurt else None, wijk_id=wijk_id, point=point, point_is_rough=rough, age=age)


def weights(gemeente) -> dict[str, float]:
    from samen.ondersteunen.models import SupportSettings

    raw = SupportSettings.objects.filter(gemeente=gemeente).values_list("weights", flat=True).first()
    return engine.weights_from(raw)


def visible_trajectory(user, pk):
    """The trajectory if the user may work on it, else PermissionDenied (404 for the views)."""
    from samen.ondersteunen.models import Trajectory

    if not policy.can(user, CAPABILITY):
        raise PermissionDenied(_("U mag niet werken aan trajecten."))
    return (policy.visible(user, Trajectory).select_related("resident__buurt", "gemeente", "wijk")
            .filter(pk=pk).first())


def _read(user, trajectory) -> dict | None:
    """The one SELECT of a match: the trajectory as ``policy.visible`` lets the user see it (None: not), with its
    profile, the gemeente's weights, the catalogue's cache key and the referrals' version."""
    from samen.core.models import CacheVersion
    from samen.ondersteunen.models import SupportSettings, Trajectory

    profile = {f"p_{name}": models.F(f"profile__{name}") for name in PROFILE_FIELDS}
    return (policy.visible(user, Trajectory).filter(pk=trajectory.pk)
            .annotate(**profile, p_id=models.F("profile__id"),
                      m_weights=Subquery(SupportSettings.objects.filter(gemeente_id=OuterRef("gemeente_id"))
                                         .values("weights")[:1], output_field=models.JSONField()),
                      m_referrals=Subquery(CacheVersion.objects.filter(name=live.NAME).values("token")[:1]),
                      **candidates.key_annotations("gemeente_id"))
            .values("p_id", *profile, "m_weights", "m_referrals", *candidates.KEY_FIELDS)
            .order_by().first())


def matches(user, trajectory, *, filters: engine.Filters | None = None, limit: int | None = 50,
            route: str = "") -> engine.Result:
    """The ranked suggestions for the trajectory, read by ``user`` (logged in the access log)."""
    if not policy.can(user, CAPABILITY):
        raise PermissionDenied(_("U mag niet werken aan dit traject."))
    row = _read(user, trajectory)
    if row is None:
        raise PermissionDenied(_("U mag niet werken aan dit traject."))
    gemeente = trajectory.gemeente
    today = timezone.localdate()
    key = candidates.key_from(*(row[name] for name in candidates.KEY_FIELDS), today)
    catalogue = candidates.catalogue(gemeente, today, key=key)
    profile = {name: row[f"p_{name}"] for name in PROFILE_FIELDS} if row["p_id"] is not None else None
    result = engine.rank(catalogue.columns, need_from(trajectory, profile, catalogue),
                         weights=engine.weights_from(row["m_weights"]),
                         live=live.counts(gemeente, row["m_referrals"]), min_cell=gemeente.min_cell_size,
                         filters=filters, limit=limit, fresh_since=candidates.fresh_since(gemeente))
    accesslog.record(actor=user, action=AccessAction.VIEW, records=[trajectory], purpose=Purpose.ONDERSTEUNING,
                     route=route)
    return result
