"""CBS StatLine 50120NED: measures are found by their titles in the metadata, whatever their keys."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samen.weten.models import ReferenceFigure
from samen.weten.services.statline import import_statline

pytestmark = pytest.mark.django_db


def odata_export(folder, suffix: int):
    """A small OData export in the layout of StatLine; ``suffix`` varies the keys like table versions do."""
    folder.mkdir()
    properties = [
        {"Key": "WijkenEnBuurten", "Type": "GeoDimension", "Title": "Wijken en buurten"},
        {"Key": "Perioden", "Type": "TimeDimension", "Title": "Perioden"},
        {"Key": "Leeftijd", "Type": "Dimension", "Title": "Leeftijd"},
        {"Key": "Marges", "Type": "Dimension", "Title": "Marges"},
        {"Key": f"ErvarenGezondheidGoedZeerGoed_{suffix}", "Type": "Topic", "Title": "Ervaren gezondheid goed"},
        {"Key": f"Eenzaam_{suffix + 1}", "Type": "Topic", "Title": "Eenzaam"},
        {"Key": f"ErnstigZeerErnstigEenzaam_{suffix + 2}", "Type": "Topic", "Title": "Ernstig/zeer ernstig eenzaam"},
        {"Key": f"EmotioneelEenzaam_{suffix + 3}", "Type": "Topic", "Title": "Emotioneel eenzaam"},
        {"Key": f"SociaalEenzaam_{suffix + 4}", "Type": "Topic", "Title": "Sociaal eenzaam"},
    ]
    rows = []
    for region, lonely in (("NL01  ", 43.0), ("GM0402", 42.0), ("WK040201", None)):
        for margin, shift in (("MW00000", 0), ("MOG0095", -2)):
            rows.append({"WijkenEnBuurten": region, "Perioden": "2020JJ00", "Leeftijd": "20300",
                         "Marges": margin, f"ErvarenGezondheidGoedZeerGoed_{suffix}": 75.0,
                         f"Eenzaam_{suffix + 1}": None if lonely is None else lonely + shift,
                         f"ErnstigZeerErnstigEenzaam_{suffix + 2}": 10.0, f"EmotioneelEenzaam_{suffix + 3}": 30.0,
                         f"SociaalEenzaam_{suffix + 4}": 35.0})
    (folder / "DataProperties.json").write_text(json.dumps({"value": properties}))
    (folder / "TypedDataSet.json").write_text(json.dumps({"value": rows}))
    (folder / "WijkenEnBuurten.json").write_text(json.dumps({"value": [
        {"Key": "NL01  ", "Title": "Nederland"}, {"Key": "GM0402", "Title": "Hilversum"},
        {"Key": "WK040201", "Title": "Centrum"}]}))
    (folder / "Leeftijd.json").write_text(json.dumps({"value": [{"Key": "20300", "Title": "18 jaar of ouder"}]}))
    (folder / "Marges.json").write_text(json.dumps({"value": [
        {"Key": "MW00000", "Title": "Waarde"}, {"Key": "MOG0095", "Title": "Ondergrens 95%-interval"}]}))
    return folder


@pytest.mark.parametrize("suffix", [27, 41])
def test_odata_export_of_any_version(tmp_path, suffix):
    report = import_statline(odata_export(tmp_path / "export", suffix))
    assert report.ok, report.problems
    figure = ReferenceFigure.objects.get(region_code="GM0402", indicator="lonely")
    assert figure.value == pytest.approx(0.42) and figure.region_name == "Hilversum"
    assert figure.age_group == "18 jaar of ouder" and figure.source_column == f"Eenzaam_{suffix + 1}"
    assert ReferenceFigure.objects.get(region_code="NL01", indicator="severely_lonely").value == pytest.approx(0.10)
    assert ReferenceFigure.objects.get(region_code="WK040201", indicator="lonely").value is None
    assert not ReferenceFigure.objects.filter(source_column__startswith="ErvarenGezondheid").exists()
    assert ReferenceFigure.objects.count() == 12  # 3 regions x 4 measures, values only (no margins)


def test_csv_download_with_titles(tmp_path):
    path = tmp_path / "50120NED.csv"
    path.write_text('"Wijken en buurten";"Codering (code)";"Perioden";"Marges";"Eenzaam (%)";'
                    '"Ernstig/zeer ernstig eenzaam (%)"\n"Hilversum";"GM0402";"2020";"Waarde";"42";"9"\n'
                    '"Hilversum";"GM0402";"2020";"Ondergrens 95%-interval";"40";"8"\n', encoding="utf-8")
    report = import_statline(path)
    assert report.ok, report.problems
    assert ReferenceFigure.objects.get(region_code="GM0402", indicator="severely_lonely").value == pytest.approx(0.09)


def test_an_export_without_loneliness_measures_imports_nothing(tmp_path):
    folder = odata_export(tmp_path / "export", 27)
    properties = json.loads((folder / "DataProperties.json").read_text())["value"]
    (folder / "DataProperties.json").write_text(json.dumps({"value": [p for p in properties
                                                                      if "eenzaam" not in p["Title"].lower()]}))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_statline", str(folder))
    assert not ReferenceFigure.objects.exists()


def test_missing_files_are_named(tmp_path):
    (tmp_path / "leeg").mkdir()
    report = import_statline(tmp_path / "leeg")
    assert "DataProperties.json" in str(report.problems[0])
