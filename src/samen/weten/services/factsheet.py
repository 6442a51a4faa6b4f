"""The council factsheet: one click, a PDF in Dutch with the key figures, trend, map, targets and
factors, and the date and source of every figure. Rendered with WeasyPrint from an HTML template;
the charts are the dashboard's own Vega-Lite specifications as SVG."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from samen.core import policy, registry
from samen.core.pdf import write_pdf
from samen.weten.services import monitor


def _data_uri(svg: str | None) -> str | None:
    return None if not svg else "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def context(gemeente, user, indicator: str, wijk: str | None = None) -> dict:
    """The factsheet of the municipality, or of one wijk (``wijk``: its code; for the wijk's zorgnetwerk):
    the wijk's key figures, targets, trend beside the municipality and factors."""
    from samen.weten.services.charts import chart_context

    data = monitor.overview(gemeente, user, indicator, factor_wijk=wijk)
    if wijk not in data.wijken:
        wijk = None
    charts = chart_context(gemeente, data, trend_wijk=wijk)
    waves = {w.year: w for w in monitor.waves(gemeente, data.source)}
    return {"gemeente": gemeente, "data": data, "made_on": timezone.localdate(), "waves": waves,
            "wijk": wijk, "area_name": data.wijk_names[wijk] if wijk else gemeente.name,
            "focus": data.series(wijk), "area_targets": data.targets_for(wijk),
            "table_wijken": {wijk: data.wijken[wijk]} if wijk else data.wijken,
            "map_uri": _data_uri(charts.get("map_svg")), "trend_uri": _data_uri(charts.get("trend_svg")),
            "forest_uri": _data_uri(charts.get("forest_svg")), "sections": sections(gemeente, user, wijk)}


def sections(gemeente, user, wijk: str | None) -> list[dict]:
    """What other blocks add to the factsheet (``registry.factsheet_section``), for this user, in order."""
    shown = []
    for section in registry.by_order(registry.factsheet_sections):
        if section.capability is not None and not policy.can(user, section.capability):
            continue
        context = section.provide(gemeente, user, wijk)
        if context is not None:
            shown.append({"key": section.key, "title": section.title, "template": section.template,
                          "context": context})
    return shown


def render(gemeente, user, indicator: str = "lonely", wijk: str | None = None) -> bytes:
    """The factsheet as a tagged PDF (PDF/UA-1: structure tags, language, title; samen.core.pdf), so that
    screen readers read its headings, lists and tables."""
    html = render_to_string("weten/factsheet.html", context(gemeente, user, indicator, wijk))
    return write_pdf(html)
