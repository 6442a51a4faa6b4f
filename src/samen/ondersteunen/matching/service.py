"""A trajectory's matches for a user: the one entry point of the screen and the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, policy
from samen.core.models import AccessAction, Purpose
from samen.ondersteunen.matching import candidates, engine

CAPABILITY = "trajectory.work"


def need_for(trajectory, catalogue: candidates.Catalogue | None = None) -> engine.Need:
    """The resident's need from the trajectory's strengths profile and the resident's buurt and birth year."""
    from samen.ondersteunen.models import Profile

    profile = Profile.objects.filter(trajectory=trajectory).first()
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
        interests=frozenset(profile.interests or ()),
        availability=engine.parse_availability(profile.availability),
        barriers=frozenset(profile.barriers or ()),
        free_only=bool(getattr(profile, "free_only", False)),
        languages=frozenset(profile.languages or ()),
        loneliness_kinds=frozenset(profile.loneliness_kinds or ()),
        online_ok=profile.online_ok,
        wants_to_volunteer=profile.wants_to_volunteer,
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


def matches(user, trajectory, *, filters: engine.Filters | None = None, limit: int | None = 50,
            route: str = "") -> engine.Result:
    """The ranked suggestions for the trajectory, read by ``user`` (logged in the access log)."""
    if not policy.can(user, CAPABILITY, trajectory):
        raise PermissionDenied(_("U mag niet werken aan dit traject."))
    gemeente = trajectory.gemeente
    catalogue = candidates.catalogue(gemeente)
    result = engine.rank(catalogue.columns, need_for(trajectory, catalogue), weights=weights(gemeente),
                         live=candidates.live_counts(gemeente), min_cell=gemeente.min_cell_size,
                         filters=filters, limit=limit, fresh_since=candidates.fresh_since(gemeente))
    accesslog.record(actor=user, action=AccessAction.VIEW, records=[trajectory], purpose=Purpose.ONDERSTEUNING,
                     route=route)
    return result
