"""Geography: loading CBS wijken and buurten with their boundaries, the postcode table, and placing
an address in its buurt and wijk."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from samen.core.models import POSTCODE_RE, Buurt, Gemeente, PostcodeRange, Wijk, normalise_postcode
from samen.core.reports import ImportProblem, ImportReport


class UnknownAddress(LookupError):
    """An address whose postcode (and house number) is not in the municipality's postcode table."""

    def __init__(self, postcode: str, house_number: int | None, gemeente: Gemeente):
        self.postcode, self.house_number, self.gemeente = postcode, house_number, gemeente
        if house_number is None:
            message = _("Postcode %(postcode)s is niet bekend in %(gemeente)s.")
        else:
            message = _("Postcode %(postcode)s met huisnummer %(number)s is niet bekend in %(gemeente)s.")
        super().__init__(message % {"postcode": postcode, "number": house_number, "gemeente": gemeente.name})


class InvalidPostcode(ValueError):
    pass


@transaction.atomic
def load_cbs_areas(gemeente: Gemeente, codes_csv: Path, boundaries_geojson: Path | None = None,
                   policy_names: dict[str, str] | None = None) -> tuple[int, int]:
    """Create or update the municipality's wijken and buurten from a CBS code list (idempotent)."""
    policy_names = policy_names or {}
    with open(codes_csv, newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["gmcode"] == gemeente.code]
    geometries = {}
    if boundaries_geojson:
        collection = json.loads(Path(boundaries_geojson).read_text(encoding="utf-8"))
        geometries = {f["properties"]["statcode"]: f["geometry"] for f in collection["features"]}
    wijken = {}
    for row in (r for r in rows if r["level"] == "wijk"):
        wijken[row["statcode"]], _created = Wijk.objects.update_or_create(
            code=row["statcode"],
            defaults={"gemeente": gemeente, "official_name": row["statnaam"],
                      "policy_name": policy_names.get(row["statcode"], ""),
                      "boundary": geometries.get(row["statcode"])},
        )
    buurten = 0
    for row in (r for r in rows if r["level"] == "buurt"):
        Buurt.objects.update_or_create(code=row["statcode"],
                                       defaults={"wijk": wijken[row["wijkcode"]], "name": row["statnaam"]})
        buurten += 1
    return len(wijken), buurten


def clean_postcode(value: str) -> str:
    postcode = normalise_postcode(value)
    if not POSTCODE_RE.match(postcode):
        raise InvalidPostcode(_("'%(value)s' is geen geldige postcode (vier cijfers en twee letters, "
                                "bijvoorbeeld 1211 AB).") % {"value": value})
    return postcode


def locate(gemeente: Gemeente, postcode: str, house_number: int | None = None) -> Buurt:
    """The buurt of an address. Without a house number, the postcode must lie in one buurt.

    Raises InvalidPostcode for a malformed postcode and UnknownAddress when the table has no match.
    """
    postcode = clean_postcode(postcode)
    ranges = (PostcodeRange.objects.filter(postcode=postcode, buurt__wijk__gemeente=gemeente)
              .select_related("buurt__wijk"))
    if house_number is not None:
        for candidate in ranges:
            if candidate.contains(house_number):
                return candidate.buurt
        raise UnknownAddress(postcode, house_number, gemeente)
    buurten = {r.buurt_id: r.buurt for r in ranges}
    if len(buurten) == 1:
        return next(iter(buurten.values()))
    if not buurten:
        raise UnknownAddress(postcode, None, gemeente)
    # A postcode across buurten needs the house number; all lie in one wijk more often than not.
    raise UnknownAddress(postcode, None, gemeente)


POSTCODE_COLUMNS = ("postcode", "huisnummer_van", "huisnummer_tot", "buurtcode")
PARITY_WORDS = {"": "all", "all": "all", "alle": "all", "even": "even", "odd": "odd", "oneven": "odd"}


def import_postcodes(gemeente: Gemeente, content: bytes | str) -> ImportReport:
    """Replace the municipality's postcode table with a CSV, all or nothing.

    Columns: postcode, huisnummer_van, huisnummer_tot, buurtcode; optional pariteit (alle/even/oneven)
    and straat. Every problem is reported with its row and column; with any problem nothing changes.
    """
    report = ImportReport()
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.problems.append(ImportProblem(0, "-", _("het bestand is geen UTF-8-tekst (CSV).")))
            return report
    reader = csv.DictReader(io.StringIO(content), delimiter=_sniff_delimiter(content))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in POSTCODE_COLUMNS if c not in header]
    if missing:
        report.problems.append(ImportProblem(1, ", ".join(missing), _("deze kolommen ontbreken.")))
        return report
    reader.fieldnames = header
    buurten = {b.code: b for b in Buurt.objects.filter(wijk__gemeente=gemeente)}
    ranges: list[PostcodeRange] = []
    for number, row in enumerate(reader, start=2):
        parsed = _parse_postcode_row(number, row, buurten, report)
        if parsed:
            ranges.append(parsed)
    _check_overlaps(ranges, report)
    if not ranges and not report.problems:
        report.problems.append(ImportProblem(2, "-", _("het bestand bevat geen rijen.")))
    if report.problems:
        return report
    with transaction.atomic():
        PostcodeRange.objects.filter(buurt__wijk__gemeente=gemeente).delete()
        PostcodeRange.objects.bulk_create(ranges, batch_size=1000)
    report.imported = len(ranges)
    return report


def _sniff_delimiter(content: str) -> str:
    first = content.splitlines()[0] if content else ""
    return ";" if first.count(";") > first.count(",") else ","


def _parse_postcode_row(number, row, buurten, report) -> PostcodeRange | None:
    problems_before = len(report.problems)

    def problem(column, message):
        report.problems.append(ImportProblem(number, column, message))

    try:
        postcode = clean_postcode(row.get("postcode") or "")
    except InvalidPostcode as exc:
        problem("postcode", str(exc))
        postcode = None
    numbers = {}
    for column in ("huisnummer_van", "huisnummer_tot"):
        raw = (row.get(column) or "").strip()
        if not raw.isdigit() or int(raw) < 1:
            problem(column, _("'%(value)s' is geen huisnummer (een heel getal vanaf 1).") % {"value": raw})
        else:
            numbers[column] = int(raw)
    if len(numbers) == 2 and numbers["huisnummer_tot"] < numbers["huisnummer_van"]:
        problem("huisnummer_tot", _("het laatste huisnummer ligt vóór het eerste."))
    parity = PARITY_WORDS.get((row.get("pariteit") or "").strip().lower())
    if parity is None:
        problem("pariteit", _("kies alle, even of oneven."))
    code = (row.get("buurtcode") or "").strip().upper()
    buurt = buurten.get(code)
    if buurt is None:
        problem("buurtcode", _("buurtcode '%(code)s' hoort niet bij deze gemeente.") % {"code": code})
    if len(report.problems) > problems_before:
        return None
    item = PostcodeRange(postcode=postcode, number_from=numbers["huisnummer_van"],
                         number_to=numbers["huisnummer_tot"], parity=parity, buurt=buurt,
                         street=(row.get("straat") or "").strip()[:120])
    item.source_row = number
    return item


def _check_overlaps(ranges: list[PostcodeRange], report: ImportReport) -> None:
    by_postcode: dict[str, list[tuple[int, PostcodeRange]]] = {}
    for index, item in enumerate(ranges):
        by_postcode.setdefault(item.postcode, []).append((index, item))
    for postcode, items in by_postcode.items():
        for i, (_index_a, a) in enumerate(items):
            for _index_b, b in items[i + 1:]:  # noqa: B007
                same_numbers = a.parity == b.parity or "all" in (a.parity, b.parity)
                if same_numbers and a.number_from <= b.number_to and b.number_from <= a.number_to:
                    report.problems.append(ImportProblem(
                        b.source_row, "huisnummer_van",
                        _("de reeksen %(a)s en %(b)s van postcode %(postcode)s overlappen.")
                        % {"a": f"{a.number_from}-{a.number_to}", "b": f"{b.number_from}-{b.number_to}",
                           "postcode": postcode}))
