"""Geography: loading CBS wijken and buurten with their boundaries, the postcode table, and placing
an address in its buurt and wijk."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from samen.core import tabular
from samen.core.models import POSTCODE_RE, Buurt, Gemeente, PostcodeRange, User, Wijk, normalise_postcode
from samen.core.reports import ImportReport
from samen.core.services import pending_imports
from samen.core.services.pending_imports import PendingImportError, fingerprint


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
POSTCODE_HEADER = {"postcode": (), "huisnummer_van": ("van",), "huisnummer_tot": ("tot", "tot_en_met"),
                   "buurtcode": ("buurt",), "pariteit": ("even_oneven",), "straat": ("straatnaam",)}
MAX_HOUSE_NUMBER = 99999
PARITY_WORDS = {"": "all", "all": "all", "alle": "all", "even": "even", "odd": "odd", "oneven": "odd"}
POSTCODE_IMPORT = "postcodes"  # the kind of its PendingImport
PREVIEW_RANGES = 100  # the preview lists at most this many added and removed ranges


@dataclass
class PostcodePlan:
    """A checked postcode file and what it changes against the table as it is now."""

    gemeente: Gemeente
    ranges: list[PostcodeRange]
    report: ImportReport
    fingerprint: str = ""
    added: list[tuple] = field(default_factory=list)
    removed: list[tuple] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return self.report.ok

    def summary(self) -> dict:
        return {"added": len(self.added), "removed": len(self.removed), "unchanged": self.unchanged,
                "total": len(self.ranges), "added_rows": [describe_range(t) for t in self.added[:PREVIEW_RANGES]],
                "removed_rows": [describe_range(t) for t in self.removed[:PREVIEW_RANGES]]}


def _range_tuple(item: PostcodeRange, buurt_code: str) -> tuple:
    return (item.postcode, item.number_from, item.number_to, item.parity, buurt_code, item.street)


def describe_range(t) -> str:
    postcode, first, last, parity, buurt, street = t
    parity = {"even": _("even"), "odd": _("oneven")}.get(parity, "")
    return f"{postcode[:4]} {postcode[4:]} {first}-{last} {parity} {street} → {buurt}".replace("  ", " ")


def _current_ranges(gemeente: Gemeente) -> list[tuple]:
    return [_range_tuple(r, r.buurt.code) for r in PostcodeRange.objects.filter(buurt__wijk__gemeente=gemeente)
            .select_related("buurt").order_by("postcode", "number_from", "pk")]


def postcode_fingerprint(gemeente: Gemeente) -> str:
    return fingerprint(_current_ranges(gemeente))


def plan_postcodes(gemeente: Gemeente, content: bytes | str, filename: str = "") -> PostcodePlan:
    """Read and check a postcode file (CSV or .xlsx) and compare it with the table; nothing is written.

    Columns: postcode, huisnummer_van, huisnummer_tot, buurtcode; optional pariteit (alle/even/oneven)
    and straat. Every problem is reported with its row and column."""
    report = ImportReport()
    plan = PostcodePlan(gemeente, [], report)
    try:
        table = tabular.read_rows(content, filename)
    except tabular.TableProblem as problem:
        report.add(problem.row, problem.column, problem.message)
        return plan
    header = tabular.map_header(table[0] if table else [], POSTCODE_HEADER, POSTCODE_COLUMNS)
    problem = header.problem()
    if problem:
        report.add(problem.row, problem.column, problem.message)
        return plan
    buurten = {b.code: b for b in Buurt.objects.filter(wijk__gemeente=gemeente)}
    for number, values in enumerate(table[1:], start=2):
        if tabular.is_empty(values):
            continue
        row = {name: tabular.cell(values, position) for name, position in header.positions.items()}
        parsed = _parse_postcode_row(number, row, buurten, report)
        if parsed:
            plan.ranges.append(parsed)
    _check_overlaps(plan.ranges, report)
    if not plan.ranges and report.ok:
        report.add(2, "-", _("het bestand bevat geen rijen."))
    if report.ok:
        plan.fingerprint = postcode_fingerprint(gemeente)
        current = _current_ranges(gemeente)
        new = [_range_tuple(r, r.buurt.code) for r in plan.ranges]
        current_set, new_set = set(current), set(new)
        plan.added = [t for t in new if t not in current_set]
        plan.removed = [t for t in current if t not in new_set]
        plan.unchanged = len(new) - len(plan.added)
    return plan


def apply_postcode_plan(plan: PostcodePlan) -> ImportReport:
    """Replace the table in one transaction; refused when it changed since the plan was made."""
    with transaction.atomic():
        PostcodeRange.objects.select_for_update().filter(buurt__wijk__gemeente=plan.gemeente).exists()
        if postcode_fingerprint(plan.gemeente) != plan.fingerprint:
            raise PendingImportError(_("De postcodetabel is veranderd sinds het bestand werd ingelezen. Er is "
                                       "niets veranderd; lees het bestand opnieuw in."))
        PostcodeRange.objects.filter(buurt__wijk__gemeente=plan.gemeente).delete()
        PostcodeRange.objects.bulk_create(plan.ranges, batch_size=1000)
    plan.report.imported = len(plan.ranges)
    return plan.report


def import_postcodes(gemeente: Gemeente, content: bytes | str, filename: str = "") -> ImportReport:
    """Replace the municipality's postcode table at once, all or nothing (the demo, tests, ``--yes``)."""
    plan = plan_postcodes(gemeente, content, filename)
    if plan.ok:
        apply_postcode_plan(plan)
    return plan.report


def stage_postcode_plan(user: User, plan: PostcodePlan):
    payload = [[r.postcode, r.number_from, r.number_to, r.parity, r.buurt_id, r.street] for r in plan.ranges]
    return pending_imports.stage(user, POSTCODE_IMPORT, payload, plan.summary(), plan.fingerprint)


def confirm_postcode_import(user: User, token: str) -> ImportReport:
    """Apply the postcode table the user previewed (PendingImportError, in Dutch, when that cannot be)."""
    with transaction.atomic():
        pending = pending_imports.claim(user, POSTCODE_IMPORT, token,
                                        lambda pending: postcode_fingerprint(pending.gemeente))
        ranges = [PostcodeRange(postcode=p, number_from=a, number_to=b, parity=parity, buurt_id=buurt, street=street)
                  for p, a, b, parity, buurt, street in pending.payload]
        plan = PostcodePlan(pending.gemeente, ranges, ImportReport(), pending.fingerprint)
        return apply_postcode_plan(plan)


def _parse_postcode_row(number, row, buurten, report) -> PostcodeRange | None:
    problems_before = len(report.problems) + report.more_problems

    def problem(column, message):
        report.add(number, column, message)

    try:
        postcode = clean_postcode(row.get("postcode") or "")
    except InvalidPostcode as exc:
        problem("postcode", str(exc))
        postcode = None
    numbers = {}
    for column in ("huisnummer_van", "huisnummer_tot"):
        raw = (row.get(column) or "").strip()
        try:
            numbers[column] = tabular.parse_int(raw, minimum=1, maximum=MAX_HOUSE_NUMBER, what=_("huisnummer"))
        except ValueError as exc:
            problem(column, str(exc))
    if len(numbers) == 2 and numbers["huisnummer_tot"] < numbers["huisnummer_van"]:
        problem("huisnummer_tot", _("het laatste huisnummer ligt vóór het eerste."))
    parity = PARITY_WORDS.get((row.get("pariteit") or "").strip().lower())
    if parity is None:
        problem("pariteit", _("kies alle, even of oneven."))
    code = (row.get("buurtcode") or "").strip().upper()
    buurt = buurten.get(code)
    if buurt is None:
        problem("buurtcode", _("buurtcode '%(code)s' hoort niet bij deze gemeente.") % {"code": code})
    if len(report.problems) + report.more_problems > problems_before:
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
                    report.add(b.source_row, "huisnummer_van",
                               _("de reeksen %(a)s en %(b)s van postcode %(postcode)s overlappen.")
                               % {"a": f"{a.number_from}-{a.number_to}", "b": f"{b.number_from}-{b.number_to}",
                                  "postcode": postcode})
