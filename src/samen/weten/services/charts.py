"""The monitor's three charts (map, trend, factors) as SVG with the figures they show, for the
dashboard and the council factsheet alike."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samen.core.models import Wijk
from samen.weten import charts
from samen.weten.services import monitor


def chart_context(gemeente, data: monitor.Overview, trend_wijk: str | None = None) -> dict:
    """The three charts as SVG plus the data they show (the text alternatives). ``trend_wijk``: the trend of
    that wijk beside the municipality, with the wijk's target; without it every wijk and the municipality's
    target."""
    context = {}
    if data.latest_year:
        latest = {code: years.get(data.latest_year) for code, years in data.wijken.items()}
        features = [{"type": "Feature", "geometry": wijk.boundary,
                     "properties": {"name": wijk.policy_name or wijk.official_name,
                                    "value": None if not latest.get(wijk.code) or latest[wijk.code].suppressed
                                    else latest[wijk.code].estimate}}
                    for wijk in Wijk.objects.filter(gemeente=gemeente) if wijk.boundary]
        context["map_svg"] = charts.svg(charts.choropleth(
            features, f"{data.indicator_label}, {data.latest_year}"))
        points = [{"area": gemeente.name, "year": f.year, "estimate": f.estimate, "ci_low": f.ci_low,
                   "ci_high": f.ci_high} for f in data.gemeente if not f.suppressed]
        wijken = {trend_wijk: data.wijken[trend_wijk]} if trend_wijk in data.wijken else data.wijken
        points += [{"area": data.wijk_names[code], "year": year, "estimate": f.estimate, "ci_low": f.ci_low,
                    "ci_high": f.ci_high} for code, years in wijken.items() for year, f in sorted(years.items())
                   if not f.suppressed]
        goal = next(iter(data.targets_for(trend_wijk if trend_wijk in data.wijken else None)), None)
        target = goal.target.value if goal else None
        label = _("Doel %(area)s: %(value)s%%") % {"area": goal.area, "value": round(goal.target.value * 100)} \
            if goal else ""
        title = (_("Verloop in %(wijk)s") % {"wijk": data.wijk_names[trend_wijk]} if trend_wijk in data.wijken
                 else _("Verloop per wijk"))
        context["trend_svg"] = charts.svg(charts.trend(points, title, target, label))
        context["trend_target"] = goal
    if data.factor_model:
        effects = [{"label": e.label, "odds_ratio": e.odds_ratio, "ci_low": e.ci_low,
                    "ci_high": e.ci_high} for e in data.factor_model.effects if e.odds_ratio is not None]
        if effects:
            context["forest_svg"] = charts.svg(charts.forest(effects, _("Samenhang met kenmerken (odds ratio)")))
    return context
