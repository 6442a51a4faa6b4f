"""The council factsheet: one click, a PDF in Dutch with the key figures, trend, map, targets and
factors, and the date and source of every figure. Rendered with WeasyPrint from an HTML template;
the charts are the dashboard's own Vega-Lite specifications as SVG."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from samen.core.pdf import write_pdf
from samen.weten.services import monitor


def _data_uri(svg: str | None) -> str | None:
    return None if not svg else "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def context(gemeente, user, indicator: str) -> dict:
    from samen.weten.services.charts import chart_context

    data = monitor.overview(gemeente, user, indicator)
    charts = chart_context(gemeente, data)
    waves = {w.year: w for w in monitor.waves(gemeente, data.source)}
    return {"gemeente": gemeente, "data": data, "made_on": timezone.localdate(), "waves": waves,
            "map_uri": _data_uri(charts.get("map_svg")), "trend_uri": _data_uri(charts.get("trend_svg")),
            "forest_uri": _data_uri(charts.get("forest_svg"))}


def render(gemeente, user, indicator: str = "lonely") -> bytes:
    html = render_to_string("weten/factsheet.html", context(gemeente, user, indicator))
    return write_pdf(html)  # tagged (PDF/UA-1): samen.core.pdf
