"""ondersteunen's registrations for this part (imported from ondersteunen.blocks): the explained matching's
page, its API path and its matrix sample."""

from __future__ import annotations

from samen.core import registry

registry.url_include("matching", "ondersteunen/", "samen.ondersteunen.urls.matching", order=61)


def _api_paths():
    from django.urls import path

    from samen.ondersteunen.views.matching import MatchesApi

    # The traject part registers the trajectories viewset; this is a separate path under it.
    return [path("trajectories/<int:pk>/matches/", MatchesApi.as_view(), name="trajectory-matches")]


registry.api_contribution("matching", paths=_api_paths)


def _a_trajectory(gemeente):
    """A trajectory the demo social worker may work on (made in their wijk when the demo has none yet)."""
    import datetime as dt

    from django.db.models import Q

    from samen.core.models import User
    from samen.ondersteunen.models import Trajectory

    worker = User.objects.filter(gemeente=gemeente, username="sociaalwerker").first()
    wijken = list(worker.wijken.all()) if worker is not None else []
    found = Trajectory.objects.filter(gemeente=gemeente).filter(
        Q(worker=worker) | Q(wijk__in=wijken)).order_by("pk").first()
    if found is None:
        found = Trajectory.objects.create(gemeente=gemeente, worker=worker, wijk=wijken[0] if wijken else None,
                                          first_contact_due=dt.date.today())
    return found.pk


registry.matrix_sample("matches", _a_trajectory)
