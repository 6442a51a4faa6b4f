"""`samen score --scale djg11|djg6 FILE.csv [--coding NAME]`: De Jong Gierveld scores per respondent as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core import tabular
from samen.weten.scales import (
    CODINGS,
    DJG_SCALES,
    DJGScale,
    DJGScore,
    InvalidAnswer,
    UnknownCoding,
    check_coding,
    score_djg,
)

ID_COLUMN = "respondent_id"
OUTPUT_HEADER = [ID_COLUMN, "total", "emotional", "social", "category"]


def read_text(path: Path) -> str:
    """The file's text (UTF-8, with or without BOM); CommandError when it is missing or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a folder, not a CSV file.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CommandError(f"{path} is not UTF-8 (line {line}, byte {exc.start}); save it as UTF-8.") from None


def delimiter(text: str) -> str:
    """';' when the header line has more semicolons than commas, else ','."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def check_header(path: Path, header: list[str], scale: DJGScale) -> None:
    for column in (ID_COLUMN, *scale.columns):
        if column not in header:
            raise CommandError(f"{path}, line 1: column '{column}' is missing (found: {', '.join(header)}).")
        if header.count(column) > 1:
            raise CommandError(f"{path}, line 1: column '{column}' appears more than once.")


def score_rows(path: Path, text: str, scale: DJGScale, coding: str | None) -> list[tuple[str, DJGScore | None]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    header = [name.strip().lower() for name in next(reader, [])]
    check_header(path, header, scale)
    at = {column: header.index(column) for column in (ID_COLUMN, *scale.columns)}
    scores = []
    for row in reader:
        if not any(field.strip() for field in row):
            continue
        where = f"{path}, line {reader.line_num}"
        if len(row) != len(header):
            raise CommandError(f"{where}: {len(row)} fields, but the header has {len(header)}.")
        respondent = row[at[ID_COLUMN]].strip()
        if not respondent:
            raise CommandError(f"{where}, column {ID_COLUMN}: the respondent has no id.")
        try:
            scores.append((respondent, score_djg(scale, [row[at[column]] for column in scale.columns], coding)))
        except InvalidAnswer as exc:
            hint = " Numbers need --coding NAME." if coding is None and exc.reason else ""
            raise CommandError(f"{where} (respondent {respondent}), column {exc.item}: {exc}{hint}") from None
    return scores


def csv_text(scores: list[tuple[str, DJGScore | None]]) -> str:
    rows = [OUTPUT_HEADER]
    for respondent, score in scores:
        if score is None:
            rows.append([respondent, "", "", "", ""])
        else:
            rows.append([respondent, score.total, blank(score.emotional), blank(score.social), score.category])
    return tabular.write_csv(rows, delimiter=",", bom=False, lineterminator="\n")


def blank(value: int | None) -> int | str:
    return "" if value is None else value


class Command(BaseCommand):
    help = (
        "Score the De Jong Gierveld loneliness scale per respondent: reads respondent_id and djg_1 ... djg_11 "
        "(djg6: djg_3, djg_4, djg_7, djg_8, djg_9, djg_10) from a CSV file (',' or ';', UTF-8) and writes "
        "respondent_id,total,emotional,social,category to stdout; empty fields where the score is missing. "
        "See docs/scales.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file with the answers")
        parser.add_argument("--scale", required=True, choices=sorted(DJG_SCALES), help="djg11 or djg6")
        parser.add_argument(
            "--coding", default=None,
            help=f"read numeric answers with this coding: {', '.join(CODINGS)} (without it, only the Dutch labels)",
        )

    def handle(self, *args, file: Path, scale: str, coding: str | None, **options):
        try:
            check_coding(coding)
        except UnknownCoding as exc:
            raise CommandError(f"Unknown --coding '{coding}'; known codings: {', '.join(CODINGS)}.") from exc
        scores = score_rows(file, read_text(file), DJG_SCALES[scale], coding)
        self.stdout.write(csv_text(scores), ending="")
