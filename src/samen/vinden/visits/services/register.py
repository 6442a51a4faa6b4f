"""The 75+ register: reading a population register extract, its preview and the import (docs/huisbezoeken.md).

Rules, in short:

* The register holds residents who are 75 or older on 1 January of the import year. Younger people in
  the extract are skipped and counted (not reported as problems: an extract may be broader).
* Only name, postcode, house number (+ addition), birth YEAR and buurt are kept. The street comes from
  the postcode table when a letter is printed; the birth date and the address column are not stored.
* An import is all or nothing: with any problem (with its row and column) nothing changes.
* Someone in the register who is not in the next extract (moved away, died) leaves the register: their
  open visits are removed, and their resident record is erased when the import made it and nothing
  else (a signal, a reported visit) refers to it.
* People new in the register join this year's rounds that have not ended yet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, policy, tabular
from samen.core.models import (
    AccessAction,
    Buurt,
    Gemeente,
    PendingImport,
    Purpose,
    Resident,
    User,
    Wijk,
)
from samen.core.reports import ImportReport
from samen.core.services import pending_imports
from samen.core.services.geography import InvalidPostcode, UnknownAddress, clean_postcode, locate
from samen.core.services.pending_imports import PendingImportError, fingerprint
from samen.vinden import matching
from samen.vinden.visits.models import (
    RegisterEntry,
    Visit,
    VisitRound,
)
from samen.vinden.visits.services.rounds import fill_round
from samen.vinden.visits.workflow import OPEN

MIN_AGE = 75

# Column names of the extract; the English names are accepted too (case and spaces do not matter).
COLUMNS = {
    "naam": ("naam", "name"),
    "adres": ("adres", "address", "straat"),
    "postcode": ("postcode",),
    "huisnummer": ("huisnummer", "house_number"),
    "toevoeging": ("toevoeging", "huisnummer_toevoeging", "house_number_addition"),
    "geboortedatum": ("geboortedatum", "birth_date", "date_of_birth"),
    "aanhef": ("aanhef", "geslacht", "salutation", "gender"),
}
# What the "aanhef" or "geslacht" column may say; anything else leaves the letter's "Geachte heer/mevrouw".
SALUTATIONS = {"mevrouw": "mevrouw", "mw": "mevrouw", "mw.": "mevrouw", "v": "mevrouw", "vrouw": "mevrouw",
               "f": "mevrouw", "female": "mevrouw", "mrs": "mevrouw", "heer": "heer", "de heer": "heer",
               "dhr": "heer", "dhr.": "heer", "m": "heer", "man": "heer", "male": "heer", "mr": "heer"}
REQUIRED = ("naam", "postcode", "huisnummer", "geboortedatum")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d")
REGISTER_IMPORT = "register"  # the kind of its PendingImport
PREVIEW_NAMES = 200  # the preview names at most this many people who leave the register


@dataclass
class RegisterImportReport(ImportReport):
    """imported = people in the register after the import; the rest says what changed (or would)."""

    added: int = 0
    kept: int = 0
    changed: int = 0  # kept, with a new buurt
    removed: int = 0
    too_young: int = 0
    visits_cancelled: int = 0  # open visits of the people who leave
    wijk: str = ""  # the code of the one wijk the file covers; "" = the whole municipality
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    name: str
    postcode: str
    house_number: int
    addition: str
    birth_year: int
    buurt: object = None
    key: tuple = field(default=())
    salutation: str = ""

    def as_payload(self) -> list:
        return [self.number, self.name, self.postcode, self.house_number, self.addition, self.birth_year,
                self.buurt.pk, self.salutation]


@dataclass
class RegisterPlan:
    """A checked extract and what it would change; ``apply_register_plan`` carries it out."""

    gemeente: Gemeente
    today: datetime.date
    wijk: Wijk | None
    rows: list[_Row]
    report: RegisterImportReport
    fingerprint: str = ""
    leaving: list[RegisterEntry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok


def _parse_date(raw: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def _key(name: str, postcode: str, number: int | None, addition: str, birth_year: int | None) -> tuple:
    return (matching.normalise_name(name), postcode, number, (addition or "").strip().lower(), birth_year)


def _parse_rows(gemeente: Gemeente, table: list[list[str]], today: datetime.date, report: RegisterImportReport,
                wijk: Wijk | None = None) -> list[_Row]:
    header = tabular.map_header(table[0] if table else [], COLUMNS, REQUIRED)
    problem = header.problem(unknown_is_error=False)
    if problem:  # an extract may be broader than we need: other columns are named, not refused
        report.add(problem.row, problem.column, problem.message)
        return []
    report.ignored_columns = header.unknown
    index = header.positions
    cutoff = datetime.date(today.year - MIN_AGE, 1, 1)  # 75 or older on 1 January of the import year
    rows: list[_Row] = []
    seen: dict[tuple, int] = {}
    for number, values in enumerate(table[1:], start=2):
        if tabular.is_empty(values):
            continue

        def cell(column, values=values):
            return tabular.cell(values, index.get(column))

        before = len(report.problems) + report.more_problems
        name = cell("naam")
        if not name:
            report.add(number, "naam", _("de naam ontbreekt."))
        elif len(name) > 150:
            report.add(number, "naam", _("de naam is langer dan 150 tekens."))
        raw_date = cell("geboortedatum")
        born = _parse_date(raw_date)
        if born is None:
            report.add(number, "geboortedatum", _("'%(value)s' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ).")
                       % {"value": raw_date})
        elif born > today or born.year < 1900:
            report.add(number, "geboortedatum", _("'%(value)s' kan geen geboortedatum zijn.") % {"value": raw_date})
        elif born > cutoff:
            report.too_young += 1
            continue
        try:
            postcode = clean_postcode(cell("postcode"))
        except InvalidPostcode as exc:
            report.add(number, "postcode", str(exc))
            postcode = None
        raw_number = cell("huisnummer")
        try:
            house_number = tabular.parse_int(raw_number, minimum=1, maximum=99999, what=_("huisnummer"))
        except ValueError as exc:
            report.add(number, "huisnummer", str(exc))
            house_number = None
        addition = cell("toevoeging")
        if len(addition) > 10:
            report.add(number, "toevoeging", _("de toevoeging is langer dan 10 tekens."))
        buurt = None
        if postcode and house_number:
            try:
                buurt = locate(gemeente, postcode, house_number)
            except UnknownAddress as exc:
                report.add(number, "postcode", str(exc))
        if buurt is not None and wijk is not None and buurt.wijk_id != wijk.pk:
            report.add(number, "postcode", _("dit adres ligt in wijk %(other)s, niet in %(wijk)s; het bestand zou "
                                             "alleen wijk %(wijk)s bevatten. Kies 'de hele gemeente' of haal de rij "
                                             "weg.") % {"other": buurt.wijk.display_name, "wijk": wijk.display_name})
        if len(report.problems) + report.more_problems > before:
            continue
        row = _Row(number, name, postcode, house_number, addition, born.year, buurt,
                   salutation=SALUTATIONS.get(cell("aanhef").strip().lower(), ""))
        row.key = _key(name, postcode, house_number, addition, born.year)
        if row.key in seen:
            report.add(number, "naam", _("deze persoon staat al in rij %(row)s.") % {"row": seen[row.key]})
            continue
        seen[row.key] = number
        rows.append(row)
    return rows


def _erase_if_unused(entry: RegisterEntry) -> bool:
    """Leave the register; erase the resident when the import made them and nothing else refers to them."""
    resident = entry.resident
    Visit.objects.filter(resident=resident, status__in=OPEN).delete()
    entry.active = False
    entry.save(update_fields=["active"])
    if entry.created_resident and not resident.signals.exists() and not resident.visits.exists():
        resident.delete()  # cascades the register entry
        return True
    return False


def register_fingerprint(gemeente: Gemeente) -> str:
    """What a register import replaces: every entry and every open visit of the municipality."""
    entries = (RegisterEntry.objects.filter(gemeente=gemeente).order_by("pk")
               .values_list("pk", "active", "resident_id", "resident__name", "resident__postcode",
                            "resident__house_number", "resident__house_number_addition", "resident__birth_year",
                            "resident__buurt_id"))
    visits = (Visit.objects.filter(resident__gemeente=gemeente, status__in=OPEN).order_by("pk")
              .values_list("pk", "resident_id", "status"))
    return fingerprint([*(["e", *e] for e in entries), *(["v", *v] for v in visits)])


def plan_register(gemeente: Gemeente, content: bytes | str, *, filename: str = "",
                  today: datetime.date | None = None, wijk: Wijk | None = None) -> RegisterPlan:
    """Read and check an extract and work out what it would change; nothing is written.

    With ``wijk`` the file covers that one wijk: every address must lie in it, and only people of that wijk
    can leave the register."""
    today = today or timezone.localdate()
    report = RegisterImportReport(wijk=wijk.code if wijk else "")
    plan = RegisterPlan(gemeente, today, wijk, [], report)
    try:
        table = tabular.read_rows(content, filename)
    except tabular.TableProblem as problem:
        report.add(problem.row, problem.column, problem.message)
        return plan
    plan.rows = _parse_rows(gemeente, table, today, report, wijk)
    if not plan.rows and report.ok:
        report.add(2, "-", _("het bestand bevat geen inwoners van 75 jaar of ouder."))
    if report.ok:
        _count(plan)
    return plan


def _count(plan: RegisterPlan) -> None:
    """Fill the report with what applying the plan would do, and take the fingerprint it relies on."""
    report = plan.report
    plan.fingerprint = register_fingerprint(plan.gemeente)
    entries = _entries_by_key(plan.gemeente)
    seen = set()
    for row in plan.rows:
        entry = entries.get(row.key)
        if entry is None:
            report.added += 1
            continue
        seen.add(entry.pk)
        report.kept += 1
        report.changed += entry.resident.buurt_id != row.buurt.pk
    plan.leaving = list(_leaving(plan.gemeente, plan.wijk, seen))
    report.removed = len(plan.leaving)
    report.visits_cancelled = Visit.objects.filter(resident__in=[e.resident_id for e in plan.leaving],
                                                   status__in=OPEN).count()
    report.imported = report.added + RegisterEntry.objects.filter(gemeente=plan.gemeente, active=True).count() \
        - report.removed + sum(1 for e in entries.values() if not e.active and e.pk in seen)


def _entries_by_key(gemeente: Gemeente) -> dict[tuple, RegisterEntry]:
    return {_key(e.resident.name, e.resident.postcode, e.resident.house_number, e.resident.house_number_addition,
                 e.resident.birth_year): e
            for e in RegisterEntry.objects.filter(gemeente=gemeente).select_related("resident")}


def _leaving(gemeente: Gemeente, wijk: Wijk | None, seen_ids):
    """The people in the register (of the wijk the file covers) who are not in the file."""
    entries = RegisterEntry.objects.filter(gemeente=gemeente, active=True).exclude(pk__in=seen_ids)
    if wijk is not None:
        entries = entries.filter(resident__buurt__wijk=wijk)
    return entries.select_related("resident__buurt__wijk").order_by("resident__name", "pk")


def import_register(gemeente: Gemeente, content: bytes | str, *, actor: User | None = None,
                    today: datetime.date | None = None, route: str = "", filename: str = "",
                    wijk: Wijk | None = None) -> RegisterImportReport:
    """Replace the 75+ register (or one wijk of it) with a population register extract, all or nothing,
    without a preview (the demo, tests, ``samen import_register --yes``).

    Columns: naam, postcode, huisnummer, geboortedatum; optional toevoeging and adres (read, not kept).
    """
    plan = plan_register(gemeente, content, filename=filename, today=today, wijk=wijk)
    if plan.ok:
        apply_register_plan(plan, actor=actor, route=route)
    return plan.report


def apply_register_plan(plan: RegisterPlan, *, actor: User | None = None, route: str = "") -> RegisterImportReport:
    """Carry out a checked plan in one transaction; refused when the register changed since it was made."""
    with transaction.atomic():
        RegisterEntry.objects.select_for_update().filter(gemeente=plan.gemeente).exists()
        if register_fingerprint(plan.gemeente) != plan.fingerprint:
            raise PendingImportError(_("Het register is veranderd sinds het bestand werd ingelezen. Er is niets "
                                       "veranderd; lees het bestand opnieuw in."))
        fresh = RegisterImportReport(wijk=plan.report.wijk, too_young=plan.report.too_young,
                                     ignored_columns=plan.report.ignored_columns)
        _apply(plan.gemeente, plan.rows, actor, plan.today, fresh, route or "vinden:import_register", plan.wijk)
    plan.report = fresh
    return fresh


def stage_register_plan(user: User, plan: RegisterPlan, *, route: str = "") -> PendingImport:
    """Keep a checked plan for the preview; the people who would leave are shown, so the read is logged."""
    report = plan.report
    leaving = [{"name": e.resident.name, "wijk": e.resident.buurt.wijk.display_name if e.resident.buurt else "",
                "visits": Visit.objects.filter(resident=e.resident, status__in=OPEN).count()}
               for e in plan.leaving[:PREVIEW_NAMES]]
    if plan.leaving:
        accesslog.record(actor=user, action=AccessAction.VIEW, records=[e.resident for e in plan.leaving
                                                                        [:PREVIEW_NAMES]],
                         purpose=Purpose.HUISBEZOEK, route=route)
    summary = {name: getattr(report, name) for name in ("added", "kept", "changed", "removed", "too_young",
                                                         "visits_cancelled", "imported", "wijk", "ignored_columns")}
    summary["wijk_name"] = plan.wijk.display_name if plan.wijk else ""
    summary["leaving"] = leaving
    payload = {"today": plan.today.isoformat(), "wijk": plan.wijk.pk if plan.wijk else None,
               "rows": [row.as_payload() for row in plan.rows]}
    return pending_imports.stage(user, REGISTER_IMPORT, payload, summary, plan.fingerprint)


def confirm_register_import(user: User, token: str, *, route: str = "") -> RegisterImportReport:
    """Apply the import the user previewed; PendingImportError (Dutch) when it is gone, theirs not, expired
    or stale."""
    if not policy.can(user, "visit.import"):
        raise PermissionDenied
    with transaction.atomic():
        pending = pending_imports.claim(user, REGISTER_IMPORT, token,
                                        lambda pending: register_fingerprint(pending.gemeente))
        plan = _plan_from_payload(pending)
        return apply_register_plan(plan, actor=user, route=route)


def _plan_from_payload(pending: PendingImport) -> RegisterPlan:
    payload = pending.payload
    buurten = Buurt.objects.in_bulk({row[6] for row in payload["rows"]})
    rows = []
    for number, name, postcode, house_number, addition, birth_year, buurt_id, *salutation in payload["rows"]:
        row = _Row(number, name, postcode, house_number, addition, birth_year, buurten[buurt_id],
                   salutation=salutation[0] if salutation else "")
        row.key = _key(name, postcode, house_number, addition, birth_year)
        rows.append(row)
    wijk = Wijk.objects.get(pk=payload["wijk"]) if payload["wijk"] else None
    summary = pending.summary
    report = RegisterImportReport(wijk=summary.get("wijk", ""), too_young=summary.get("too_young", 0),
                                  ignored_columns=summary.get("ignored_columns", []))
    return RegisterPlan(pending.gemeente, datetime.date.fromisoformat(payload["today"]), wijk, rows, report,
                        pending.fingerprint)


def _apply(gemeente, rows, actor, today, report, route, wijk=None):
    entries = _entries_by_key(gemeente)
    created, changed, removed = [], [], []
    seen_ids = set()
    for row in rows:
        entry = entries.get(row.key)
        if entry is not None:
            seen_ids.add(entry.pk)
            entry.last_seen = today
            if not entry.active:
                entry.active = True
                entry.first_seen = today
            entry.salutation = row.salutation or entry.salutation
            if entry.resident.buurt_id != row.buurt.pk:
                entry.resident.buurt = row.buurt
                entry.resident.save(update_fields=["buurt", "updated_at"])
                changed.append(entry.resident)
            entry.save()
            report.kept += 1
            continue
        resident = _existing_resident(gemeente, row)
        made = resident is None
        if made:
            resident = Resident.objects.create(
                gemeente=gemeente, name=row.name, postcode=row.postcode, house_number=row.house_number,
                house_number_addition=row.addition, birth_year=row.birth_year, buurt=row.buurt)
            created.append(resident)
        entry, _created = RegisterEntry.objects.update_or_create(
            resident=resident, defaults={"gemeente": gemeente, "created_resident": made, "first_seen": today,
                                         "last_seen": today, "active": True, "salutation": row.salutation})
        seen_ids.add(entry.pk)
        report.added += 1
    report.changed = len(changed)
    for entry in _leaving(gemeente, wijk, seen_ids):
        resident_id = entry.resident.pk
        report.visits_cancelled += Visit.objects.filter(resident_id=resident_id, status__in=OPEN).count()
        if _erase_if_unused(entry):
            entry.resident.pk = resident_id  # for the log line (ids only)
            removed.append(entry.resident)
        report.removed += 1
    label = "import_register"
    for action, records in ((AccessAction.CREATE, created), (AccessAction.CHANGE, changed),
                            (AccessAction.DELETE, removed)):
        if records:
            accesslog.record(actor=actor, action=action, records=records, purpose=Purpose.HUISBEZOEK, route=route,
                             channel=label)
    _add_to_open_rounds(gemeente, today)
    report.imported = RegisterEntry.objects.filter(gemeente=gemeente, active=True).count()


def _existing_resident(gemeente: Gemeente, row: _Row) -> Resident | None:
    """A resident record of the same person that is not in the register yet (made by a signal, say)."""
    person = matching.Person(row.postcode, row.house_number, row.addition, row.name, row.birth_year)
    for resident in Resident.objects.filter(gemeente=gemeente, postcode=row.postcode, house_number=row.house_number,
                                            register_entry__isnull=True):
        if resident.name and matching.same_person(person, matching.Person(
                resident.postcode, resident.house_number, resident.house_number_addition, resident.name,
                resident.birth_year)):
            if resident.birth_year is None or resident.buurt_id is None:
                resident.birth_year = resident.birth_year or row.birth_year
                resident.buurt = resident.buurt or row.buurt
                resident.save()
            return resident
    return None


def _add_to_open_rounds(gemeente: Gemeente, today: datetime.date) -> None:
    """People new in the register join this year's rounds that have not ended yet."""
    for round_ in VisitRound.objects.filter(gemeente=gemeente, year=today.year, ends_on__gte=today):
        fill_round(round_)
