"""ondersteunen's registrations for this part (imported from ondersteunen.blocks): the trajectory screens,
"Mijn inwoners", the oversight, the settings, the sections on the resident and signal pages, the reporter's
stage on "Mijn meldingen", the API and the permission-matrix sample."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import registry

for url_name, label, capability in (
    ("ondersteunen:my_residents", _("Mijn inwoners"), "trajectory.work"),
    ("ondersteunen:trajectory_list", _("Trajecten"), "trajectory.view"),
    ("ondersteunen:oversight", _("Caseload per werker en wijk"), "trajectory.oversee"),
    ("ondersteunen:settings", _("Instellingen ondersteunen"), "trajectory.settings"),
):
    registry.menu_entry("ondersteunen", url_name, label, capability)

registry.url_include("ondersteunen", "ondersteunen/", "samen.ondersteunen.urls.traject", order=50)


def _home_panel(user):
    from samen.ondersteunen.services import caseload

    return caseload.counts(user)


registry.home_panel("ondersteunen.caseload", "ondersteunen/traject/panels/caseload.html", _home_panel,
                    "trajectory.work", order=15)


def _signal_section(user, signal):
    from samen.ondersteunen.services import caseload as sections

    return sections.for_signal(user, signal)


def _resident_section(user, resident):
    from samen.ondersteunen.services import caseload as sections

    return sections.for_resident(user, resident)


registry.record_section("vinden.signal", "ondersteunen.reach", "ondersteunen/traject/sections/signal.html",
                        _signal_section, "trajectory.view", order=10)
registry.record_section("core.resident", "ondersteunen.timeline", "ondersteunen/traject/sections/resident.html",
                        _resident_section, "trajectory.view", order=10)


def _reporter_stages(signal_ids):
    from samen.ondersteunen.services import caseload as sections

    return sections.reporter_stages(signal_ids)


registry.reporter_stage("ondersteunen.trajectory", _reporter_stages)


def _api_routes():
    from samen.ondersteunen.views.traject_api import TrajectoryViewSet

    return [("trajectories", TrajectoryViewSet, "trajectory")]


registry.api_contribution("ondersteunen.traject", routes=_api_routes)


def _a_trajectory(gemeente):
    """A trajectory of the demo social worker in Noord-Oost (WK040207); made here until the demo has one."""
    from samen.core.models import Resident, User
    from samen.ondersteunen.models import Trajectory
    from samen.ondersteunen.services import trajectories

    worker = User.objects.get(username="sociaalwerker")
    found = Trajectory.objects.filter(gemeente=gemeente, worker=worker, wijk__code="WK040207").order_by("pk").first()
    if found is None:
        resident = Resident.objects.filter(gemeente=gemeente, buurt__wijk__code="WK040207").order_by("pk").first()
        found = trajectories.start(gemeente_id=gemeente.pk, resident=resident, worker=worker,
                                   by=trajectories.system(gemeente.pk))
    return found.pk


registry.matrix_sample("trajectory", _a_trajectory)
