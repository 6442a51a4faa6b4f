"""End-to-end tests of `samen monitor estimate` (call_command with StringIO; no database)."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "respondent_id,total,emotional,social,category,area_code,year,age,sex,weight"
INDICATORS = ["lonely", "severely_lonely", "emotionally_lonely", "socially_lonely"]
RULES = {"lonely": ("total", 3), "severely_lonely": ("total", 9), "emotionally_lonely": ("emotional", 3),
         "socially_lonely": ("social", 3)}


def run(*args):
    """The command with --interval wald unless the test names a method (the formula of ``expected``)."""
    out, err = io.StringIO(), io.StringIO()
    if "--interval" not in args:
        args = (*args, "--interval", "wald")
    call_command("monitor", "estimate", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("monitor", "estimate", *[str(a) for a in args], stdout=out, stderr=err)
    assert out.getvalue() == ""
    return str(info.value)


def microdata(n_rows=600, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_rows):
        total = int(rng.integers(0, 12))
        emotional = int(rng.integers(0, min(total, 6) + 1))
        social = min(total - emotional, 5)
        fields = {
            "respondent_id": f"r{i}",
            "total": str(total),
            "emotional": str(emotional),
            "social": str(social),
            "category": "",
            "area_code": str(rng.choice(["WK036301", "WK036302", "BU03630101"], p=[0.5, 0.45, 0.05])),
            "year": str(rng.choice([2016, 2022])),
            "age": str(int(rng.integers(12, 95))),
            "sex": str(rng.choice(["m", "v"])),
            "weight": repr(float(np.round(rng.gamma(2.0, 0.6) + 0.01, 6))),
        }
        if rng.random() < 0.05:
            fields["total"] = fields["emotional"] = fields["social"] = ""
        elif rng.random() < 0.05:
            fields["social"] = ""
        rows.append(fields)
    return rows


def write(path, rows, header=HEADER, delimiter=","):
    names = header.split(",")
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        writer.writerow(names)
        for r in rows:
            writer.writerow([r.get(name, "") for name in names])
    return path


def age_group(age):
    return None if age < 16 else "16-25" if age <= 25 else "26-64" if age <= 64 else "65-74" if age <= 74 else "75+"


def expected(rows, by, indicators, min_n):
    """Independent computation with Python floats: p, CI per cell, following the issue's formula."""
    cells = defaultdict(list)
    for r in rows:
        values = {**r, "age_group": age_group(int(r["age"]))}
        key = tuple(values[name] for name in by)
        if None in key:
            continue
        cells[key].append(r)
    out = []
    for key in sorted(cells):
        for name in indicators:
            column, threshold = RULES[name]
            data = [(float(r["weight"]), 1.0 if int(r[column]) >= threshold else 0.0) for r in cells[key] if r[column]]
            n = len(data)
            if n < min_n:
                out.append([*key, name, "", "", "", "", "wald", "true"])  # no n for a hidden cell
                continue
            total = math.fsum(w for w, _ in data)
            p = math.fsum(w * y for w, y in data) / total
            if n < 2:
                out.append([*key, name, str(n), p, "", "", "wald", "false"])
                continue
            var = n / (n - 1) * math.fsum((w * (y - p)) ** 2 for w, y in data) / total**2
            half = 1.959964 * math.sqrt(var)
            if p in (0.0, 1.0):  # one-sided Clopper-Pearson with Kish's effective n
                kish = total**2 / math.fsum(w * w for w, _ in data)
                edge = 0.025 ** (1 / kish)
                out.append([*key, name, str(n), p, 0.0 if p == 0 else edge, 1 - edge if p == 0 else 1.0, "wald",
                            "false"])
                continue
            out.append([*key, name, str(n), p, max(p - half, 0.0), min(p + half, 1.0), "wald", "false"])
    return out


def compare(output, want):
    got = list(csv.reader(io.StringIO(output)))[1:]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert len(g) == len(w)
        for a, b in zip(g, w, strict=True):
            if isinstance(b, float):
                assert abs(float(a) - b) <= 1e-9, (g, w)
            else:
                assert a == b, (g, w)


def test_estimate_by_area_and_year(tmp_path):
    rows = microdata()
    out, err = run(write(tmp_path / "m.csv", rows), "--by", "area_code,year")
    lines = out.splitlines()
    assert lines[0] == "area_code,year,indicator,n,estimate,ci_low,ci_high,interval,suppressed"
    compare(out, expected(rows, ["area_code", "year"], INDICATORS, 50))
    assert any(line.endswith(",true") for line in lines)  # the small buurt is suppressed
    assert any(line.endswith(",false") for line in lines)
    for line in lines[1:]:
        fields = line.split(",")
        if fields[-1] == "true":
            assert fields[4:7] == ["", "", ""]
    assert err == ""


def test_estimate_precision_is_round_trip(tmp_path):
    rows = microdata(200, seed=4)
    out, _ = run(write(tmp_path / "m.csv", rows), "--by", "year", "--min-n", "1")
    first = list(csv.reader(io.StringIO(out)))[1]
    assert len(first[4].replace("0.", "", 1)) >= 10  # repr(): up to 17 significant digits


@pytest.mark.parametrize(
    ("by", "indicators", "min_n"),
    [
        (["area_code", "year", "age_group", "sex"], ["socially_lonely", "lonely"], 5),
        (["sex"], ["severely_lonely"], 1),
        (["age_group", "year"], INDICATORS, 30),
    ],
)
def test_estimate_groupings_indicators_and_order(tmp_path, by, indicators, min_n):
    rows = microdata(seed=2)
    out, err = run(write(tmp_path / "m.csv", rows), "--by", ",".join(by), "--indicator", ",".join(indicators),
                   "--min-n", min_n)
    header = [*by, "indicator", "n", "estimate", "ci_low", "ci_high", "interval", "suppressed"]
    assert out.splitlines()[0] == ",".join(header)
    compare(out, expected(rows, by, indicators, min_n))
    if "age_group" in by:
        under_16 = sum(int(r["age"]) < 16 for r in rows)
        assert f"{under_16} respondent(s) younger than 16" in err


def test_estimate_semicolons_bom_and_extra_columns(tmp_path):
    rows = microdata(120, seed=3)
    path = tmp_path / "m.csv"
    write(path, rows, header=HEADER + ",extra", delimiter=";")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    out, _ = run(path, "--by", "area_code", "--min-n", 10)
    compare(out, expected(rows, ["area_code"], INDICATORS, 10))


def test_estimate_needs_only_the_columns_it_uses(tmp_path):
    rows = microdata(100, seed=5)
    out, _ = run(write(tmp_path / "m.csv", rows, header="total,year,weight"), "--by", "year", "--indicator",
                 "lonely", "--min-n", 1)
    compare(out, expected(rows, ["year"], ["lonely"], 1))


def test_missing_scores_make_the_indicator_missing(tmp_path):
    rows = [
        {"total": "4", "emotional": "", "social": "3", "area_code": "WK01", "year": "2022", "weight": "1"},
        {"total": "", "emotional": "", "social": "", "area_code": "WK01", "year": "2022", "weight": "2"},
        {"total": "9", "emotional": "5", "social": "", "area_code": "WK01", "year": "2022", "weight": "3"},
    ]
    out, _ = run(write(tmp_path / "m.csv", rows), "--by", "area_code,year", "--min-n", 1)
    got = {r["indicator"]: r for r in csv.DictReader(io.StringIO(out))}
    assert got["lonely"]["n"] == "2" and float(got["lonely"]["estimate"]) == 1.0
    assert got["severely_lonely"]["n"] == "2" and float(got["severely_lonely"]["estimate"]) == 0.75
    assert got["emotionally_lonely"]["n"] == "1" and got["emotionally_lonely"]["ci_low"] == ""
    assert got["socially_lonely"]["n"] == "1" and got["socially_lonely"]["suppressed"] == "false"


@pytest.mark.parametrize("method", ["wald", "logit", "korn-graubard"])
def test_interval_stays_within_0_and_1_and_names_its_method(tmp_path, method):
    """Issue 15: the Wald interval of 1 in 10 would start at -9,6%; every method keeps its bounds in 0-1."""
    rows = [{"total": "5" if i == 0 else "0", "area_code": "WK01", "year": "2022", "weight": "1"} for i in range(10)]
    out, _ = run(write(tmp_path / "m.csv", rows), "--by", "area_code", "--indicator", "lonely", "--min-n", 1,
                 "--interval", method)
    row = next(csv.DictReader(io.StringIO(out)))
    assert float(row["estimate"]) == pytest.approx(0.1) and row["interval"] == method
    assert 0.0 <= float(row["ci_low"]) < 0.1 < float(row["ci_high"]) <= 1.0
    if method == "wald":
        assert float(row["ci_low"]) == 0.0


def test_korn_graubard_is_the_default_and_matches_the_worked_example(tmp_path):
    """1 in 10, equal weights: n* = 9, [qbeta(.025, .9, 9.1), qbeta(.975, 1.9, 8.1)] (see test_intervals)."""
    rows = [{"total": "5" if i == 0 else "0", "area_code": "WK01", "year": "2022", "weight": "1"} for i in range(10)]
    out = io.StringIO()
    call_command("monitor", "estimate", str(write(tmp_path / "m.csv", rows)), "--by", "area_code", "--indicator",
                 "lonely", "--min-n", "1", stdout=out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["interval"] == "korn-graubard"
    assert float(row["ci_low"]) == pytest.approx(0.001768901698955737, rel=1e-9)
    assert float(row["ci_high"]) == pytest.approx(0.46950013298302956, rel=1e-9)


def test_a_suppressed_row_shows_no_n(tmp_path):
    rows = [{"total": "5", "area_code": "WK01", "year": "2022", "weight": "1"} for _ in range(9)]
    out, _ = run(write(tmp_path / "m.csv", rows), "--by", "area_code", "--indicator", "lonely", "--min-n", 10)
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["suppressed"] == "true"
    assert row["n"] == row["estimate"] == row["ci_low"] == row["ci_high"] == ""


def test_an_unknown_interval_method_is_refused(tmp_path):
    rows = [{"total": "5", "area_code": "WK01", "year": "2022", "weight": "1"} for _ in range(9)]
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("monitor", "estimate", str(write(tmp_path / "m.csv", rows)), "--by", "area_code",
                     "--interval", "normaal", stdout=io.StringIO(), stderr=io.StringIO())


# ----------------------------------------------------------------------------------------------------- bad input


def test_missing_columns(tmp_path):
    path = write(tmp_path / "m.csv", microdata(10), header="respondent_id,total,area_code,year")
    message = fails(path, "--by", "area_code,year")
    assert "'emotional'" in message and "'social'" in message and "'weight'" in message and "line 1" in message
    message = fails(write(tmp_path / "n.csv", microdata(10), header="total,area_code,weight"), "--by", "area_code,year",
                    "--indicator", "lonely")
    assert "'year'" in message


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("weight", "-1", "negative weight"),
        ("weight", "", "missing"),
        ("weight", "zwaar", "not a number"),
        ("weight", "nan", "not a finite number"),
        ("total", "veel", "not a number"),
        ("total", "12", "not a whole score 0-11"),
        ("total", "2.5", "not a whole score"),
        ("emotional", "7", "not a whole score 0-6"),
        ("social", "-1", "not a whole score 0-5"),
        ("area_code", "", "missing"),
        ("age", "oud", "not a number"),
    ],
)
def test_bad_values_name_row_and_column(tmp_path, column, value, needle):
    rows = microdata(20, seed=6)
    for r in rows:
        r["total"], r["emotional"], r["social"] = "4", "2", "2"
    rows[6][column] = value
    message = fails(write(tmp_path / "m.csv", rows), "--by", "area_code,year,age_group")
    assert "row 7 (line 8)" in message
    assert f"column '{column}'" in message
    assert needle in message


def test_wrong_number_of_fields(tmp_path):
    path = write(tmp_path / "m.csv", microdata(5))
    path.write_text(path.read_text() + "r9,1,1\n")
    message = fails(path, "--by", "year")
    assert "row 6 (line 7)" in message and "3 fields" in message


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--by", "area_code,wijk"], "unknown name 'wijk'"),
        (["--by", "area_code,area_code"], "more than once"),
        (["--by", ""], "give names"),
        (["--by", "year", "--indicator", "lonely,bored"], "unknown name 'bored'"),
        (["--by", "year", "--min-n", "0"], "--min-n must be at least 1"),
        (["--by", "year", "--min-n", "-5"], "--min-n must be at least 1"),
        (["--by", "year", "--min-n", "vijftig"], "invalid int value"),
    ],
)
def test_bad_options(tmp_path, args, needle):
    path = write(tmp_path / "m.csv", microdata(10))
    assert needle in fails(path, *args)


def test_missing_file_and_empty_file(tmp_path):
    assert "does not exist" in fails(tmp_path / "nope.csv", "--by", "year")
    path = tmp_path / "empty.csv"
    path.write_text(HEADER + "\n")
    assert "no respondents" in fails(path, "--by", "year")
    path.write_bytes(b"total,year,weight\n\xff\xfe,2022,1\n")
    assert "not UTF-8" in fails(path, "--by", "year", "--indicator", "lonely")


def test_subcommand_is_required():
    with pytest.raises(CommandError):
        call_command("monitor", stdout=io.StringIO(), stderr=io.StringIO())
