"""Import of CBS StatLine table 50120NED "Gezondheid per wijk en buurt" (open data), so local figures
can be shown beside the Netherlands and the region.

Two export forms are read:

* an OData v3 export: a folder with ``DataProperties.json`` (the table's metadata) and
  ``TypedDataSet.json`` (rows), and where present the dimension files (``WijkenEnBuurten.json``,
  ``Leeftijd.json``, ``Marges.json``, ``Perioden.json``) for titles;
* a StatLine CSV download "with titles": semicolon-separated, the header holds the titles.

Column *keys* change between versions of the table (``Eenzaam_27`` in one, ``Eenzaam_31`` in the
next), so measures are found by their *titles* in the metadata, never by a fixed key.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from samen.core.reports import ImportReport
from samen.weten.models import Indicator, ReferenceFigure

TABLE = "50120NED"
# Title patterns (lower case, without unit) -> indicator. Order matters: "ernstig" before plain "eenzaam".
MEASURES = (
    (re.compile(r"^(zeer )?ernstig.*eenzaam|^ernstig/zeer ernstig eenzaam"), Indicator.SEVERELY_LONELY),
    (re.compile(r"^emotioneel eenzaam"), Indicator.EMOTIONALLY_LONELY),
    (re.compile(r"^sociaal eenzaam"), Indicator.SOCIALLY_LONELY),
    (re.compile(r"^eenzaam$|^eenzaam \("), Indicator.LONELY),
)
VALUE_MARGIN = {"waarde", "mw00000", "value"}


def _indicator(title: str) -> Indicator | None:
    clean = re.sub(r"\s*\(%\)\s*$", "", title.strip().lower())
    for pattern, indicator in MEASURES:
        if pattern.search(clean):
            return indicator
    return None


def _number(value) -> float | None:
    if value in (None, "", ".", "x", "-"):
        return None
    try:
        return float(str(value).replace(",", ".").strip())
    except ValueError:
        return None


def _dimension_titles(folder: Path, name: str) -> dict[str, str]:
    path = folder / f"{name}.json"
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8")).get("value", [])
    return {str(r["Key"]).strip(): str(r.get("Title", r["Key"])).strip() for r in rows}


def read_odata(folder: Path, report: ImportReport) -> list[dict]:
    try:
        properties = json.loads((folder / "DataProperties.json").read_text(encoding="utf-8"))["value"]
        rows = json.loads((folder / "TypedDataSet.json").read_text(encoding="utf-8"))["value"]
    except FileNotFoundError as exc:
        report.add(0, "-", _("bestand ontbreekt: %(name)s") % {"name": Path(exc.filename).name})
        return []
    except (ValueError, KeyError) as exc:
        report.add(0, "-", _("geen geldige OData-JSON (%(error)s).") % {"error": exc})
        return []
    measures = {p["Key"]: _indicator(p.get("Title", "")) for p in properties if p.get("Type") == "Topic"}
    measures = {key: indicator for key, indicator in measures.items() if indicator}
    dims = {p.get("Type"): p["Key"] for p in properties if "Dimension" in p.get("Type", "")}
    region_key = dims.get("GeoDimension", "WijkenEnBuurten")
    period_key = dims.get("TimeDimension", "Perioden")
    others = [p["Key"] for p in properties if p.get("Type") == "Dimension"]
    age_key = next((k for k in others if k.lower().startswith("leeftijd")), None)
    margin_key = next((k for k in others if k.lower().startswith("marge")), None)
    regions = _dimension_titles(folder, region_key)
    ages = _dimension_titles(folder, age_key) if age_key else {}
    margins = _dimension_titles(folder, margin_key) if margin_key else {}
    if not measures:
        report.add(0, "DataProperties", _("geen eenzaamheidsmaten gevonden in de metadata van de tabel."))
        return []
    out = []
    for row in rows:
        if margin_key:
            margin = str(row.get(margin_key, "")).strip()
            if margins.get(margin, margin).lower() not in VALUE_MARGIN:
                continue
        region = str(row.get(region_key, "")).strip()
        age = str(row.get(age_key, "")).strip() if age_key else ""
        for key, indicator in measures.items():
            out.append({"region_code": region, "region_name": regions.get(region, region),
                        "period": str(row.get(period_key, "")).strip(), "age_group": ages.get(age, age),
                        "indicator": indicator, "value": _number(row.get(key)), "source_column": key})
    return out


def read_csv_with_titles(content: bytes, report: ImportReport) -> list[dict]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add(0, "-", _("het bestand is geen UTF-8-tekst."))
        return []
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader, [])
    lowered = [h.strip().lower() for h in header]
    try:
        region = next(i for i, h in enumerate(lowered) if h.startswith(("wijken en buurten", "regio")))
        period = lowered.index("perioden")
    except (StopIteration, ValueError):
        report.add(1, "-", _("de kolommen 'Wijken en buurten' (of 'Regio's') en 'Perioden' ontbreken."))
        return []
    age = next((i for i, h in enumerate(lowered) if h.startswith("leeftijd")), None)
    coding = next((i for i, h in enumerate(lowered) if h.startswith("codering")), None)
    margin = next((i for i, h in enumerate(lowered) if h.startswith("marge")), None)
    measures = {i: _indicator(h) for i, h in enumerate(header)}
    measures = {i: ind for i, ind in measures.items() if ind}
    if not measures:
        report.add(1, "-", _("geen eenzaamheidsmaten gevonden in de kolomtitels."))
        return []
    out = []
    for row in reader:
        if not row or (margin is not None and row[margin].strip().lower() not in VALUE_MARGIN):
            continue
        name = row[region].strip()
        code = row[coding].strip() if coding is not None else name
        for i, indicator in measures.items():
            out.append({"region_code": code, "region_name": name, "period": row[period].strip(),
                        "age_group": row[age].strip() if age is not None else "", "indicator": indicator,
                        "value": _number(row[i]), "source_column": header[i]})
    return out


@transaction.atomic
def store(figures: list[dict]) -> int:
    """Replace the table's figures in one transaction; percentages are stored as fractions."""
    ReferenceFigure.objects.filter(table=TABLE).delete()
    ReferenceFigure.objects.bulk_create([
        ReferenceFigure(table=TABLE, **{**f, "value": None if f["value"] is None else f["value"] / 100})
        for f in figures], batch_size=2000)
    return len(figures)


def import_statline(path: Path) -> ImportReport:
    report = ImportReport()
    if path.is_dir():
        figures = read_odata(path, report)
    elif path.suffix.lower() == ".csv":
        figures = read_csv_with_titles(path.read_bytes(), report)
    else:
        report.add(0, "-", _("geef een map met een OData-export of een CSV-bestand met titels."))
        figures = []
    if report.ok and not figures:
        report.add(0, "-", _("de export bevat geen cijfers."))
    if report.ok:
        report.imported = store(figures)
    return report
