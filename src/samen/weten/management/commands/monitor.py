"""`samen monitor estimate FILE --by area_code,year [--indicator ...] [--min-n 50] [--interval korn-graubard]`:
loneliness shares with 95% intervals per cell, as CSV on stdout.

FILE is microdata in the layout of `samen score` output plus the design columns:
respondent_id,total,emotional,social,category,area_code,year,age,sex,weight (UTF-8, ',' or ';'). Only the
columns that the chosen indicators and --by need, and weight, are required. total, emotional and social may be
empty (missing). The DJG-11 indicators:

    lonely             = total >= 3        (missing when total is missing)
    severely_lonely    = total >= 9        (missing when total is missing)
    emotionally_lonely = emotional >= 3    (missing when emotional is missing)
    socially_lonely    = social >= 3       (missing when social is missing)

--by takes area_code, year, age_group (from age, in the issue's scheme 16-25, 26-64, 65-74, 75+; respondents
younger than 16 fall in no age group and are left out, with a note on stderr) and sex. The estimates, intervals
and suppression are those of samen.weten.estimates (no strata). --interval chooses the 95% interval:
korn-graubard (default), logit or wald (samen.weten.estimates.intervals; bounds always within 0-1). The cells of
one --by grouping do not overlap and no totals are written, so only primary suppression (n < --min-n) applies.

Output header: the --by columns, then indicator,n,estimate,ci_low,ci_high,interval,suppressed; one row per cell
and indicator, sorted by the --by values (as text; age groups youngest first) and then by indicator in the given
order. Shares are fractions 0-1 written with repr() (round-trip precision); `interval` names the method on every row.
n, estimate, ci_low and ci_high are empty where the cell is suppressed (a hidden cell's n is not published);
ci_low and ci_high are empty where there is no interval (n = 1). Any bad input is a CommandError naming the
row and column, with nothing written to stdout.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from samen.core import tabular
from samen.weten.estimates import DEFAULT_METHOD, DEFAULT_MIN_N, METHODS, age_groups, estimate_table

# indicator -> (score column, threshold)
INDICATORS: dict[str, tuple[str, int]] = {
    "lonely": ("total", 3),
    "severely_lonely": ("total", 9),
    "emotionally_lonely": ("emotional", 3),
    "socially_lonely": ("social", 3),
}
SCORE_MAXIMUM = {"total": 11, "emotional": 6, "social": 5}
# --by name -> the file's column it comes from
BY_SOURCES = {"area_code": "area_code", "year": "year", "age_group": "age", "sex": "sex"}
WEIGHT = "weight"
AGE_SCHEME = "issue"


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a folder, not a CSV file.") from None
    except OSError as exc:
        raise CommandError(f"{path} cannot be read: {exc.strerror}.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CommandError(f"{path} is not UTF-8 (line {line}, byte {exc.start}); save it as UTF-8.") from None


def _names(option: str, text: str, known: list[str]) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if not text.strip() or any(not name for name in names):
        raise CommandError(f"{option} '{text}': give names separated by commas, e.g. {','.join(known[:2])}.")
    for name in names:
        if name not in known:
            raise CommandError(f"{option}: unknown name '{name}'; known: {', '.join(known)}.")
    if len(set(names)) != len(names):
        raise CommandError(f"{option} '{text}': a name appears more than once.")
    return names


class _Reader:
    """Reads and checks the microdata; every error names the row (data row, 1 = first after the header),
    the file line and the column."""

    def __init__(self, path: Path, by: list[str], indicators: list[str]):
        self.path = path
        self.by = by
        self.score_columns = list(dict.fromkeys(INDICATORS[name][0] for name in indicators))
        self.by_columns = [BY_SOURCES[name] for name in by]
        self.required = list(dict.fromkeys([*self.score_columns, *self.by_columns, WEIGHT]))

    def where(self, row: int, line: int, column: str) -> str:
        return f"{self.path}, row {row} (line {line}), column '{column}'"

    def read(self) -> tuple[dict[str, np.ndarray], np.ndarray, dict[str, list[str]], list[float]]:
        text = read_text(self.path)
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [column for column in self.required if column not in header]
        if missing:
            raise CommandError(
                f"{self.path}, line 1: column(s) {', '.join(repr(c) for c in missing)} missing "
                f"(found: {', '.join(header) or 'nothing'})."
            )
        for column in self.required:
            if header.count(column) > 1:
                raise CommandError(f"{self.path}, line 1: column '{column}' appears more than once.")
        at = {column: header.index(column) for column in self.required}
        scores: dict[str, list[float]] = {column: [] for column in self.score_columns}
        groups: dict[str, list[str]] = {column: [] for column in self.by_columns if column != "age"}
        ages: list[float] = []
        weights: list[float] = []
        row_number = 0
        for fields in reader:
            if not any(field.strip() for field in fields):
                continue
            row_number += 1
            line = reader.line_num
            if len(fields) != len(header):
                raise CommandError(
                    f"{self.path}, row {row_number} (line {line}): {len(fields)} fields, "
                    f"but the header has {len(header)}."
                )
            for column in self.score_columns:
                scores[column].append(self.score(fields[at[column]].strip(), row_number, line, column))
            for column in groups:
                value = fields[at[column]].strip()
                if not value:
                    raise CommandError(f"{self.where(row_number, line, column)}: the value is missing.")
                groups[column].append(value)
            if "age" in at:
                ages.append(self.number(fields[at["age"]].strip(), row_number, line, "age"))
            weight = self.number(fields[at[WEIGHT]].strip(), row_number, line, WEIGHT)
            if weight < 0:
                raise CommandError(f"{self.where(row_number, line, WEIGHT)}: negative weight {weight!r}.")
            weights.append(weight)
        if row_number == 0:
            raise CommandError(f"{self.path} has no respondents.")
        return {c: np.array(v, dtype=float) for c, v in scores.items()}, np.array(weights), groups, ages

    def number(self, value: str, row: int, line: int, column: str) -> float:
        if not value:
            raise CommandError(f"{self.where(row, line, column)}: the value is missing.")
        try:
            x = float(value)
        except ValueError:
            raise CommandError(f"{self.where(row, line, column)}: '{value}' is not a number.") from None
        if not math.isfinite(x):
            raise CommandError(f"{self.where(row, line, column)}: '{value}' is not a finite number.")
        return x

    def score(self, value: str, row: int, line: int, column: str) -> float:
        if not value:
            return math.nan
        try:
            x = float(value)
        except ValueError:
            raise CommandError(f"{self.where(row, line, column)}: '{value}' is not a number.") from None
        maximum = SCORE_MAXIMUM[column]
        if not (math.isfinite(x) and x == int(x) and 0 <= x <= maximum):
            raise CommandError(f"{self.where(row, line, column)}: '{value}' is not a whole score 0-{maximum}.")
        return x


def _text(value: float) -> str:
    return "" if math.isnan(value) else repr(float(value))


class Command(BaseCommand):
    help = (
        "Survey estimates for the loneliness monitor. 'monitor estimate FILE --by area_code,year' writes the "
        "weighted share, n and 95% interval of each DJG-11 indicator per cell as CSV; see docs in "
        "samen/weten/estimates/."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        est = subcommands.add_parser(
            "estimate",
            help="weighted shares with 95%% intervals per cell, as CSV on stdout",
            description=__doc__,
        )
        est.add_argument("file", type=Path, help="microdata CSV (samen score output plus the design columns)")
        est.add_argument("--by", required=True, help=f"grouping columns, comma-separated: {', '.join(BY_SOURCES)}")
        est.add_argument(
            "--indicator", default=",".join(INDICATORS),
            help=f"indicators, comma-separated (default: all): {', '.join(INDICATORS)}",
        )
        est.add_argument(
            "--min-n", dest="min_n", type=int, default=DEFAULT_MIN_N,
            help=f"cells with fewer respondents show no figure (default {DEFAULT_MIN_N})",
        )
        est.add_argument(
            "--interval", default=DEFAULT_METHOD, choices=METHODS,
            help=f"the 95%% interval: {', '.join(METHODS)} (default {DEFAULT_METHOD})",
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "estimate":
            self.stdout.write(self.estimate(options["file"], options["by"], options["indicator"], options["min_n"],
                                            options.get("interval") or DEFAULT_METHOD), ending="")

    def estimate(self, path: Path, by_text: str, indicator_text: str, min_n: int,
                 interval: str = DEFAULT_METHOD) -> str:
        if interval not in METHODS:
            raise CommandError(f"--interval: unknown method '{interval}'; known: {', '.join(METHODS)}.")
        by = _names("--by", by_text, list(BY_SOURCES))
        indicators = _names("--indicator", indicator_text, list(INDICATORS))
        if min_n < 1:
            raise CommandError(f"--min-n must be at least 1, not {min_n}.")
        scores, weights, groups, ages = _Reader(path, by, indicators).read()
        columns: dict[str, object] = {}
        for name in by:
            if name == "age_group":
                coded = age_groups(np.array(ages), AGE_SCHEME)
                left_out = int((coded.codes < 0).sum())
                if left_out:
                    self.stderr.write(f"note: {left_out} respondent(s) younger than 16 fall in no age group "
                                      "and are left out.")
                columns[name] = coded
            else:
                columns[name] = np.array(groups[BY_SOURCES[name]], dtype=str)
        outcomes = {}
        for name in indicators:
            column, threshold = INDICATORS[name]
            score = scores[column]
            outcomes[name] = np.where(np.isnan(score), np.nan, (score >= threshold).astype(float))
        table = estimate_table(columns, outcomes, weights, by, min_n=min_n, interval=interval)
        rows = [[*by, "indicator", "n", "estimate", "ci_low", "ci_high", "interval", "suppressed"]]
        for i, keys in enumerate(table.keys):
            for j, name in enumerate(table.indicators):
                hidden = bool(table.suppressed[i, j])
                rows.append([
                    *keys,
                    name,
                    "" if hidden else int(table.n[i, j]),  # a hidden cell's n is not published
                    _text(table.estimate[i, j]),
                    _text(table.ci_low[i, j]),
                    _text(table.ci_high[i, j]),
                    interval,
                    "true" if hidden else "false",
                ])
        return tabular.write_csv(rows, delimiter=",", bom=False, lineterminator="\n")  # group names are guarded
