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


# --- what samenwerken's agenda, council report and self-assessment read from the monitor ------------------

def _din_figures(gemeente, year, user):
    """The DIN indicators and the key figure per latest wave up to ``year``: estimate, 95% interval, the
    previous wave (trend) and the target; suppressed cells stay None."""
    from samen.weten.models import Indicator, Target, Wave
    from samen.weten.services import monitor

    figures = []
    own = [f for f in monitor.figures(gemeente, user, indicators=["lonely_often", "enough_contacts", "lonely"])
           if f.level == "gemeente" and not f.age_group and not f.sex and f.year <= year]
    for indicator in ("lonely_often", "enough_contacts", "lonely"):
        series = sorted((f for f in own if f.indicator == indicator), key=lambda f: f.year)
        if not series:
            continue
        last = series[-1]
        wave = Wave.objects.filter(gemeente=gemeente, year=last.year).first()
        target = Target.objects.filter(gemeente=gemeente, indicator=indicator, wijk__isnull=True).first()
        notes = []
        if last.ci_low is not None:
            notes.append(f"95%-interval {last.ci_low:.1%}–{last.ci_high:.1%}")
        if len(series) > 1 and series[-2].estimate is not None and last.estimate is not None:
            notes.append(f"{series[-2].year}: {series[-2].estimate:.1%}")
        if target is not None:
            notes.append(f"doel {target.get_direction_display()} {target.target_value:.0%} in {target.target_year}")
        figures.append({"label": str(Indicator(indicator).label), "unit": "",
                        "value": None if last.suppressed or last.estimate is None else f"{last.estimate:.1%}",
                        "source": wave.name if wave else "Hilversum Monitor",
                        "date": wave.imported_at.date().isoformat() if wave and wave.imported_at else str(last.year),
                        "note": "; ".join(notes)})
    return {"figures": figures, "note": "" if figures else "Nog geen monitorgegevens."}


registry.report_section("weten.din", _("DIN-indicatoren en kerncijfers (monitor)"), "weten", _din_figures, order=10)


def _monitor_indicators(gemeente):
    from samen.weten.models import Indicator

    return [(i.value, i.label) for i in Indicator]


def _monitor_value(gemeente, code, user, wijk=None):
    from samen.weten.models import Wave
    from samen.weten.services import monitor

    level, area = ("wijk", wijk.code) if wijk else ("gemeente", None)
    rows = [f for f in monitor.figures(gemeente, user, indicators=[code]) if f.level == level
            and (area is None or f.area_code == area) and not f.age_group and not f.sex and not f.suppressed]
    if not rows:
        return None
    last = max(rows, key=lambda f: f.year)
    wave = Wave.objects.filter(gemeente=gemeente, year=last.year).first()
    return {"value": last.estimate, "low": last.ci_low, "high": last.ci_high, "year": last.year,
            "source": wave.name if wave else "Hilversum Monitor",
            "date": wave.imported_at.date().isoformat() if wave and wave.imported_at else str(last.year)}


registry.indicator_source("weten.monitor", _("Monitor"), _monitor_indicators, _monitor_value)


def _monitoring_evidence(gemeente, year):
    from samen.weten.models import Target, Wave

    waves = Wave.objects.filter(gemeente=gemeente, year__lte=year).count()
    targets = Target.objects.filter(gemeente=gemeente).count()
    if not waves:
        return None
    answer = "ja" if targets else "deels"
    return answer, f"{waves} metingen van de monitor ingelezen, {targets} doelen vastgelegd."


registry.evidence("weten.monitoring", "monitor_evaluate", _monitoring_evidence)
