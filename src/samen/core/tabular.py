"""Reading uploaded spreadsheets and writing exports that are safe to open in one (docs/architecture.md,
"Import toolkit").

Every import of Samen (postcodes, the 75+ register, the catalogue, survey files) reads its CSV or Excel
file here, and every CSV or Excel export writes its cells here. Reading does what Dutch files need:
the delimiter (``;`` from Dutch Excel, ``,`` or tab), the encoding (UTF-8 with or without a byte-order
mark, else Windows-1252/Latin-1 as older Excel writes), the first sheet of an ``.xlsx``, header names
matched case- and space-insensitively with aliases, control characters refused with their row and column,
yes/no words and bounded numbers. Problems are :class:`TableProblem` (row, column, Dutch message); the
callers collect them in their ``ImportReport``.

Writing guards against formula injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading ``'`` so a spreadsheet shows it as text, while real numbers stay
numbers (``-3`` and ``-2,5`` are not formulas).

The module imports nothing from Django except the translation functions (and, inside
``csv_response``, the HTTP response), so it can be tested alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # every upload; settings.SAMEN_MAX_UPLOAD_BYTES may lower or raise it
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (";", ",", "\t")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x"})
FALSE_WORDS = frozenset({"nee", "n", "no", "false", "onwaar", "0", ""})
# Control characters other than tab, line feed and carriage return (which a quoted CSV cell may hold).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NUMBER_RE = re.compile(r"^-?\d+([.,]\d+)?$")


def max_upload_bytes() -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, "SAMEN_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))
    except Exception:  # settings not configured: the module is used alone
        return MAX_UPLOAD_BYTES


@dataclass
class TableProblem(Exception):
    """One problem with its spreadsheet row (the header is row 1; 0 = the whole file) and column."""

    row: int
    column: str
    message: str

    def __str__(self):
        if self.row <= 0:
            return _("kolom %(column)s: %(message)s") % {"column": self.column, "message": self.message}
        return _("rij %(row)s, kolom %(column)s: %(message)s") % {"row": self.row, "column": self.column,
                                                                  "message": self.message}


def size_message(limit: int | None = None) -> str:
    limit = limit or max_upload_bytes()
    return _("het bestand is groter dan %(mb)s MB; splits het of laat overbodige kolommen weg.") % {
        "mb": f"{limit / 1024 / 1024:g}"}


# --- reading ---------------------------------------------------------------------------------------

def is_excel(content: bytes | str, filename: str = "") -> bool:
    return (isinstance(content, bytes)
            and ((filename or "").lower().endswith(EXCEL_SUFFIXES) or content[:4] == b"PK\x03\x04"))


def decode(content: bytes | str) -> str:
    """Text of a CSV upload: UTF-8 (a byte-order mark is dropped), else Windows-1252, else Latin-1."""
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")  # every byte is a Latin-1 character


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of ; , and tab outside quotes (';' on a tie)."""
    first = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_rows(content: bytes | str, filename: str = "", *, limit: int | None = None) -> list[list[str]]:
    """The file as rows of text cells, the header first. Raises TableProblem for the file or a cell."""
    limit = limit or max_upload_bytes()
    if len(content) > limit:
        raise TableProblem(0, "-", size_message(limit))
    name = (filename or "").lower()
    if is_excel(content, filename):
        rows = _read_excel(content)
    elif name.endswith(".xls"):
        raise TableProblem(0, "-", _("oude Excel-bestanden (.xls) worden niet gelezen; sla het op als .xlsx of CSV."))
    else:
        text = decode(content)
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
        except csv.Error as exc:
            raise TableProblem(0, "-", _("het bestand is geen geldig CSV-bestand (%(error)s).")
                               % {"error": str(exc)[:200]}) from None
    check_control_characters(rows)
    return rows


def _read_excel(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise TableProblem(0, "-", _("het bestand kan niet als Excel (.xlsx) worden gelezen (%(error)s).")
                           % {"error": str(exc)[:200]}) from None
    try:
        sheet = workbook.worksheets[0]
        return [[excel_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def excel_text(value) -> str:
    """An Excel cell as the text a CSV would hold (dates ISO, whole numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time.min else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_control_characters(rows: Sequence[Sequence[str]]) -> None:
    """Refuse NUL bytes and other control characters (PostgreSQL cannot store NUL) with row and column."""
    header = rows[0] if rows else []
    for number, values in enumerate(rows, start=1):
        for position, value in enumerate(values):
            if value and CONTROL_RE.search(value):
                column = (header[position].strip() if position < len(header) and number > 1 else "") \
                    or column_letter(position)
                raise TableProblem(number, column, _("de cel bevat een onzichtbaar stuurteken (zoals een "
                                                     "NUL-byte); sla het bestand opnieuw op als CSV of .xlsx."))


def column_letter(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def normalise_header(value: str) -> str:
    """'  Huisnummer Van ' and 'huisnummer-van' both become 'huisnummer_van'."""
    return re.sub(r"[\s\-]+", "_", (value or "").strip().lower().lstrip("\ufeff"))


@dataclass
class Header:
    """Where each known column sits, and what the header lacks or has too much."""

    positions: dict[str, int]
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)

    def problem(self, *, unknown_is_error: bool = True, hint: str = "") -> TableProblem | None:
        parts = []
        if self.missing:
            parts.append(_("deze kolommen ontbreken: %(columns)s") % {"columns": ", ".join(self.missing)})
        if self.unknown and unknown_is_error:
            parts.append(_("deze kolommen kennen we niet: %(columns)s") % {"columns": ", ".join(self.unknown)})
        if self.doubled:
            parts.append(_("deze kolommen staan er twee keer in: %(columns)s") % {"columns": ", ".join(self.doubled)})
        if not parts:
            return None
        return TableProblem(1, _("kopregel"), "; ".join(parts) + "." + (" " + hint if hint else ""))


def map_header(header: Sequence[str], columns: dict[str, Sequence[str]], required: Iterable[str]) -> Header:
    """Match the header to ``columns`` (name → accepted aliases, the name itself included)."""
    alias_of = {}
    for name, aliases in columns.items():
        for alias in (name, *aliases):
            alias_of.setdefault(normalise_header(alias), name)
    positions: dict[str, int] = {}
    unknown, doubled = [], []
    for position, raw in enumerate(header):
        key = normalise_header(raw)
        if not key:
            continue  # an empty header cell: a column without a name is ignored
        name = alias_of.get(key)
        if name is None:
            unknown.append(raw.strip())
        elif name in positions:
            doubled.append(name)
        else:
            positions[name] = position
    missing = [name for name in required if name not in positions]
    return Header(positions, missing, unknown, sorted(set(doubled)))


def cell(values: Sequence[str], position: int | None) -> str:
    return (values[position] or "").strip() if position is not None and position < len(values) else ""


def is_empty(values: Sequence[str]) -> bool:
    return not any((v or "").strip() for v in values)


def parse_bool(value: str) -> bool:
    """ja/nee, j/n, yes/no, waar/onwaar, 1/0, x (and empty for no); ValueError with a Dutch message."""
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("'%(value)s' is geen ja of nee.") % {"value": value})


def parse_int(value: str, *, minimum: int | None = None, maximum: int | None = None, what: str = "") -> int:
    """A whole number within [minimum, maximum]; ValueError with a Dutch message that names the range."""
    text = (value or "").strip()
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(_("'%(value)s' is geen heel getal.") % {"value": value} if not what else
                         _("'%(value)s' is geen %(what)s (een heel getal).") % {"value": value, "what": what})
    number = int(text)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        if maximum is None:
            message = _("%(value)s is te klein; het kleinste toegestane getal is %(min)s.")
        elif minimum is None:
            message = _("%(value)s is te groot; het grootste toegestane getal is %(max)s.")
        else:
            message = _("%(value)s ligt niet tussen %(min)s en %(max)s.")
        raise ValueError(message % {"value": number, "min": minimum, "max": maximum})
    return number


# --- writing ---------------------------------------------------------------------------------------

def needs_guard(value: str) -> bool:
    """A text that a spreadsheet would run as a formula (after any quotes the guard put before it)."""
    stripped = value.lstrip("'")
    return bool(stripped) and stripped[0] in FORMULA_STARTS and not NUMBER_RE.match(stripped)


def guard(value):
    """The value as a spreadsheet should get it: numbers as they are, a formula-like text behind a quote.

    A text that already starts with quotes before a formula character gets one more, so ``unguard`` of the
    export gives back exactly what was exported (export → edit → import keeps every cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if needs_guard(text) else text


def unguard(value: str) -> str:
    """Take the export's quote off again when an exported file is imported."""
    if value[:1] == "'" and needs_guard(value[1:]):
        return value[1:]
    return value


def write_csv(rows: Iterable[Sequence], *, delimiter: str = ";", bom: bool = True,
              lineterminator: str = "\r\n") -> str:
    """CSV text with every cell guarded. ';' and a byte-order mark are what Dutch Excel expects."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([guard(value) for value in row])
    return buffer.getvalue()


class Formula(str):
    """A cell the export itself means as a formula (``=SUM(D2:D9)``), written as one; any other text that
    starts with ``=`` stays guarded text. Excel stores formulas with English names and commas, and shows
    them in the reader's own language (SOM, semicolons, decimal commas in Dutch Excel)."""

    def __new__(cls, text: str):
        if not text.startswith("="):
            raise ValueError("a formula starts with '='")
        return super().__new__(cls, text)


def write_xlsx(rows: Iterable[Sequence], *, title: str = "Samen") -> bytes:
    """An .xlsx with every text cell guarded and stored as text (never as a formula), except the cells the
    caller marks as ``Formula``; Decimal amounts are numbers with two decimals."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    from decimal import Decimal

    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Formula):
        item = WriteOnlyCell(sheet, value=str(value))
        item.data_type = "f"
        item.number_format = "#,##0.00"
        return item
    if isinstance(value, Decimal):
        item = WriteOnlyCell(sheet, value=value)
        item.number_format = "#,##0.00"
        return item
    value = guard(value)
    if isinstance(value, str):
        item = WriteOnlyCell(sheet, value=value)
        item.data_type = "s"  # a string that starts with '=' is otherwise taken as a formula
        return item
    return value


def csv_response(rows: Iterable[Sequence], filename: str, **options):
    """An HTTP download of ``write_csv(rows)``."""
    from django.http import HttpResponse

    response = HttpResponse(write_csv(rows, **options), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
