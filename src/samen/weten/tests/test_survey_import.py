"""Importing survey microdata: CSV, Excel and SPSS with a mapping; every problem with row and column;
an invalid file imports nothing; re-importing a wave replaces it."""

from __future__ import annotations

import io

import pandas as pd
import pyreadstat
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samen.weten.models import Respondent, Wave
from samen.weten.services.survey_import import MappingError, SurveyMapping, import_survey

pytestmark = pytest.mark.django_db

MAPPING = """
scale: djg11
area_kind: wijk
djg_coding: 3pt-ja-minofmeer-nee
columns:
  respondent_id: RESPNR
  area: WIJK
  weight: WEGING
  age: LEEFTIJD
  sex: GESLACHT
  stratum: STRATUM
  lonely_often: EENZ_VAAK
  living_alone: ALLEEN
{items}
codes:
  sex: {{"1": man, "2": vrouw}}
  living_alone: {{"1": ja, "2": nee}}
area_codes: {{"1": WK040201, "7": WK040207}}
""".format(items="\n".join(f"  djg_{i}: V{i}" for i in range(1, 12)))


def source_frame(rows: int = 6) -> pd.DataFrame:
    data = {"RESPNR": [f"r{i}" for i in range(rows)], "WIJK": ["1", "7"] * (rows // 2),
            "WEGING": [1.0, 0.5] * (rows // 2), "LEEFTIJD": [30, 80] * (rows // 2),
            "GESLACHT": [1, 2] * (rows // 2), "STRATUM": ["a", "b"] * (rows // 2),
            "EENZ_VAAK": ["nooit", "vaak"] * (rows // 2), "ALLEEN": [2, 1] * (rows // 2)}
    for i in range(1, 12):  # the first respondent of each pair scores 11, the second 0
        negative = i in (2, 3, 5, 6, 9, 10)
        data[f"V{i}"] = [1 if negative else 3, 3 if negative else 1] * (rows // 2)
    return pd.DataFrame(data)


def run(hilversum, content: bytes, filename: str, mapping: str = MAPPING, year: int = 2024):
    return import_survey(hilversum, content=content, filename=filename, mapping=SurveyMapping.from_yaml(mapping),
                         source="burgerpeiling", year=year)


def test_a_csv_is_imported_with_the_mapping(hilversum):
    report, wave = run(hilversum, source_frame().to_csv(index=False).encode(), "peiling.csv")
    assert report.ok, report.problems
    assert wave.respondent_count == 6 and wave.has_strata
    first = Respondent.objects.get(wave=wave, respondent_id="r0")
    assert (first.djg_total, first.djg_emotional, first.djg_social) == (11, 6, 5)
    assert first.wijk.code == "WK040201" and first.sex == "man" and first.living_alone is False
    second = Respondent.objects.get(wave=wave, respondent_id="r1")
    assert second.djg_total == 0 and second.lonely_often is True and second.stratum == "b"


def test_excel_and_spss_with_value_labels(hilversum, tmp_path):
    frame = source_frame()
    excel = io.BytesIO()
    frame.to_excel(excel, index=False)
    report, wave = run(hilversum, excel.getvalue(), "peiling.xlsx")
    assert report.ok, report.problems
    assert wave.respondent_count == 6
    labelled = frame.copy()
    path = tmp_path / "peiling.sav"
    labels = {f"V{i}": {1: "ja", 2: "min of meer", 3: "nee"} for i in range(1, 12)}
    pyreadstat.write_sav(labelled, str(path), variable_value_labels=labels)
    label_mapping = MAPPING.replace("djg_coding: 3pt-ja-minofmeer-nee\n", "")
    report, wave = run(hilversum, path.read_bytes(), "peiling.sav", label_mapping, year=2025)
    assert report.ok, report.problems
    assert Respondent.objects.get(wave=wave, respondent_id="r0").djg_total == 11


def test_reimporting_a_wave_replaces_it(hilversum):
    run(hilversum, source_frame(6).to_csv(index=False).encode(), "a.csv")
    report, wave = run(hilversum, source_frame(4).to_csv(index=False).encode(), "b.csv")
    assert report.ok
    assert Wave.objects.filter(gemeente=hilversum, source="burgerpeiling", year=2024).count() == 1
    assert wave.respondents.count() == 4 and wave.file_name == "b.csv"


@pytest.mark.parametrize(("change", "row", "column", "message"), [
    (lambda f: f.assign(LEEFTIJD=[30, 180, 30, 80, 30, 80]), 3, "LEEFTIJD", "geen geldige leeftijd"),
    (lambda f: f.assign(WIJK=["1", "99", "1", "7", "1", "7"]), 3, "WIJK", "onbekende wijk '99'"),
    (lambda f: f.assign(RESPNR=["r0", "r0", "r2", "r3", "r4", "r5"]), 3, "RESPNR", "komt dubbel voor"),
    (lambda f: f.assign(WEGING=[1, -2, 1, 1, 1, 1]), 3, "WEGING", "geen geldige weegfactor"),
    (lambda f: f.assign(WEGING=[1, None, 1, 1, 1, 1]), 3, "WEGING", "weegfactor ontbreekt"),
    (lambda f: f.assign(V4=[1, 9, 1, 1, 1, 1]), 3, "V4", "djg_4"),
    (lambda f: f.assign(GESLACHT=[1, 5, 1, 2, 1, 2]), 3, "GESLACHT", "geen bekend geslacht"),
    (lambda f: f.assign(ALLEEN=[1, "soms", 1, 2, 1, 2]), 3, "ALLEEN", "geen ja of nee"),
])
def test_each_problem_names_row_and_column_and_nothing_is_stored(hilversum, change, row, column, message):
    before = Respondent.objects.count()
    report, wave = run(hilversum, change(source_frame()).to_csv(index=False).encode(), "fout.csv")
    assert wave is None and not report.ok
    problem = next(p for p in report.problems if p.column == column)
    assert problem.row == row and message in problem.message, report.problems
    assert Respondent.objects.count() == before
    assert not Wave.objects.filter(source="burgerpeiling", year=2024).exists()


def test_wrong_file_type_encoding_and_columns_are_reported(hilversum):
    assert "niet ondersteund" in str(run(hilversum, b"x", "peiling.pdf")[0].problems[0])
    assert "ontbreken" in str(run(hilversum, "RESPNR\n\xe9".encode("cp1252"), "peiling.csv")[0].problems[0])
    assert "NUL" in str(run(hilversum, b"RESPNR,WIJK\nr\x001,1\n", "peiling.csv")[0].problems[0])
    assert "ontbreken" in str(run(hilversum, b"RESPNR,WIJK\nr1,1\n", "peiling.csv")[0].problems[0])
    assert "SPSS" in str(run(hilversum, b"not a sav file", "peiling.sav")[0].problems[0])


def test_a_bad_mapping_is_refused():
    with pytest.raises(MappingError, match="respondent_id"):
        SurveyMapping.from_yaml("columns: {area: W, weight: G}")
    with pytest.raises(MappingError, match="area_kind"):
        SurveyMapping.from_yaml("area_kind: land\ncolumns: {respondent_id: R, area: W, weight: G}")
    with pytest.raises(MappingError, match="geen geldige YAML"):
        SurveyMapping.from_yaml("columns: [")


def test_the_command_imports_with_a_progress_bar(hilversum, tmp_path, capsys):
    data = tmp_path / "peiling.csv"
    data.write_text(source_frame().to_csv(index=False))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING)
    call_command("import_survey", str(data), "--mapping", str(mapping), "--year", "2023", "--source", "burgerpeiling")
    out = capsys.readouterr()
    assert "6 respondents imported" in out.out
    bad = tmp_path / "bad.csv"
    bad.write_text(source_frame().assign(WEGING=[1, -1, 1, 1, 1, 1]).to_csv(index=False))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_survey", str(bad), "--mapping", str(mapping), "--year", "2023")
    assert "rij 3, kolom WEGING" in capsys.readouterr().err


def test_mapping_mistakes_are_named_not_crashes():
    base = "columns: {respondent_id: R, area: W, weight: G"
    with pytest.raises(MappingError, match="Onbekende variabele"):
        SurveyMapping.from_yaml(base + ", djg_x: V1, leeftijd: L}")
    with pytest.raises(MappingError, match="mapping"):
        SurveyMapping.from_yaml("- just\n- a list\n")


def test_an_overlong_id_is_reported(hilversum):
    frame = source_frame().assign(RESPNR=["x" * 41] + [f"r{i}" for i in range(1, 6)])
    report, wave = run(hilversum, frame.to_csv(index=False).encode(), "lang.csv")
    assert wave is None and "langer dan 40" in str(report.problems[0])
