"""The monitor's demo: synthetic Hilversum Monitor waves (2016-2022) and the 2016 baseline target."""

from __future__ import annotations

from django.db import transaction

from samen.core.models import Buurt, Gemeente
from samen.core.reports import ImportReport
from samen.weten import synthetic
from samen.weten.models import Indicator, Source, Target, Wave
from samen.weten.services.survey_import import CANONICAL_MAPPING, store_wave, validate


@transaction.atomic
def load_monitor_demo(gemeente: Gemeente, years=synthetic.WAVE_YEARS, n=synthetic.RESPONDENTS_PER_WAVE) -> int:
    """Generate and store the synthetic waves that are not there yet (idempotent). Returns waves added."""
    buurten: dict[str, list[str]] = {}
    for code, wijk in Buurt.objects.filter(wijk__gemeente=gemeente).values_list("code", "wijk__code"):
        buurten.setdefault(wijk, []).append(code)
    added = 0
    for year in years:
        if Wave.objects.filter(gemeente=gemeente, source=Source.HILVERSUM_MONITOR, year=year).exists():
            continue
        frame = synthetic.generate_wave(year, buurten, n=n)
        report = ImportReport()
        rows = validate(gemeente, frame, CANONICAL_MAPPING, report)
        if rows is None:
            raise RuntimeError("synthetic wave does not validate: " + "; ".join(map(str, report.problems[:5])))
        store_wave(gemeente, Source.HILVERSUM_MONITOR, year, rows,
                   name=f"Hilversum Monitor {year} (synthetisch, demo)", file_name="synthetic",
                   mapping=CANONICAL_MAPPING.to_yaml())
        added += 1
    Target.objects.update_or_create(
        gemeente=gemeente, indicator=Indicator.LONELY, wijk=None, source=Source.HILVERSUM_MONITOR,
        defaults={"baseline_year": 2016, "target_value": 0.40, "direction": Target.Direction.BELOW,
                  "target_year": 2030,
                  "description": "Percentage inwoners met een hoge eenzaamheidsscore naar onder 40% (seed 003)"})
    return added
