"""What weten brings to Samen (registered from ``WetenConfig.ready()``): the monitor's capabilities,
model rules, menu group, home panel, URLs, API, demo waves and permission-matrix samples."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samen.core import registry
from samen.core.roles import Role as R

registry.capability("monitor.view", (R.BELEIDSADVISEUR, R.REGISSEUR), app="weten")
registry.capability("monitor.import", (R.BELEIDSADVISEUR,), app="weten")
registry.capability("monitor.change", (R.BELEIDSADVISEUR,), app="weten")

for label in ("weten.wave", "weten.respondent", "weten.target"):
    registry.model(label, "monitor.view")

registry.menu_group("weten", _("Weten"), order=10)
registry.menu_entry("weten", "weten:dashboard", _("Monitor"), "monitor.view")
registry.menu_entry("weten", "weten:waves", _("Metingen"), "monitor.import")
registry.menu_entry("weten", "weten:targets", _("Doelen"), "monitor.change")


def _monitor_panel(user):
    from samen.weten.services.monitor import headline

    figure = headline(user.gemeente, user)
    return {"figure": figure} if figure else None


registry.home_panel("weten.monitor", "weten/panels/monitor.html", _monitor_panel, "monitor.view", order=20)

registry.url_include("weten", "monitor/", "samen.weten.urls", order=30)


def _api_routes():
    from samen.weten.api import WaveViewSet

    return [("monitor/waves", WaveViewSet, "wave")]


def _api_paths():
    from django.urls import path

    from samen.weten.api import FiguresView

    return [path("monitor/figures/", FiguresView.as_view(), name="monitor-figures")]


registry.api_contribution("weten", routes=_api_routes, paths=_api_paths)


def _load_waves(gemeente):
    from samen.weten.services.demo import load_monitor_demo

    return f"Monitor: {load_monitor_demo(gemeente)} new synthetic survey waves."


registry.demo_loader("weten.waves", _load_waves, extra=True)


def _a_wave(gemeente):
    from samen.weten.models import Wave

    wave, _created = Wave.objects.get_or_create(gemeente=gemeente, source="hilversum_monitor", year=2016,
                                                defaults={"name": "Hilversum Monitor 2016"})
    return wave.pk


registry.matrix_sample("wave", _a_wave)
