"""The one write path for the yearly 75+ home visits: the register import, rounds, assignment to
volunteers, the visit report, letters and coverage (docs/huisbezoeken.md).

Rules, in short:

* The register holds residents who are 75 or older on 1 January of the import year. Younger people in
  the extract are skipped and counted (not reported as problems: an extract may be broader).
* Only name, postcode, house number (+ addition), birth YEAR and buurt are kept. The street comes from
  the postcode table when a letter is printed; the birth date and the address column are not stored.
* An import is all or nothing: with any problem (with its row and column) nothing changes.
* Someone in the register who is not in the next extract (moved away, died) leaves the register: their
  open visits are removed, and their resident record is erased when the import made it and nothing
  else (a signal, a reported visit) refers to it.
* Every read of a resident's data for display or export goes through policy.visible() and leaves an
  access-log entry with purpose *huisbezoek*.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, disclosure, policy, tabular
from samen.core.models import (
    AccessAction,
    Buurt,
    Gemeente,
    PendingImport,
    PostcodeRange,
    Purpose,
    Resident,
    User,
    Wijk,
)
from samen.core.reports import ImportReport
from samen.core.services import pending_imports
from samen.core.services.geography import InvalidPostcode, UnknownAddress, clean_postcode, locate
from samen.core.services.pending_imports import PendingImportError, fingerprint
from samen.vinden import matching, visit_workflow
from samen.vinden.visit_models import (
    DEFAULT_CAPACITY,
    MAX_WISHES,
    RegisterEntry,
    Visit,
    VisitRound,
    VisitStatus,
    VolunteerCapacity,
)
from samen.weten.scales import DJG6_ITEMS, InvalidAnswer, normalise_answer, score_djg6

MIN_AGE = 75
ANSWERS = ("ja", "min of meer", "nee")
OPEN = (VisitStatus.PLANNED, VisitStatus.NOT_HOME)
FINAL = (VisitStatus.DECLINED, VisitStatus.VISITED)

# Column names of the extract; the English names are accepted too (case and spaces do not matter).
COLUMNS = {
    "naam": ("naam", "name"),
    "adres": ("adres", "address", "straat"),
    "postcode": ("postcode",),
    "huisnummer": ("huisnummer", "house_number"),
    "toevoeging": ("toevoeging", "huisnummer_toevoeging", "house_number_addition"),
    "geboortedatum": ("geboortedatum", "birth_date", "date_of_birth"),
}
REQUIRED = ("naam", "postcode", "huisnummer", "geboortedatum")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d")
REGISTER_IMPORT = "register"  # the kind of its PendingImport
PREVIEW_NAMES = 200  # the preview names at most this many people who leave the register


# --- the register ----------------------------------------------------------------------------------

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

    def as_payload(self) -> list:
        return [self.number, self.name, self.postcode, self.house_number, self.addition, self.birth_year,
                self.buurt.pk]


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
        row = _Row(number, name, postcode, house_number, addition, born.year, buurt)
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
    for number, name, postcode, house_number, addition, birth_year, buurt_id in payload["rows"]:
        row = _Row(number, name, postcode, house_number, addition, birth_year, buurten[buurt_id])
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
                                         "last_seen": today, "active": True})
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
        _fill_round(round_)


def _fill_round(round_: VisitRound) -> int:
    have = set(round_.visits.values_list("resident_id", flat=True))
    residents = (RegisterEntry.objects.filter(gemeente=round_.gemeente, active=True,
                                              resident__buurt__wijk=round_.wijk)
                 .exclude(resident_id__in=have).values_list("resident_id", flat=True))
    Visit.objects.bulk_create([Visit(round=round_, resident_id=pk) for pk in residents])
    return len(residents)


# --- rounds and assignment -------------------------------------------------------------------------

def _check_wijk(user: User, wijk: Wijk) -> None:
    """The regisseur manages every wijk of the municipality; a social worker their own wijken."""
    if not policy.can(user, "visit.manage") or wijk.gemeente_id != user.gemeente_id:
        raise PermissionDenied(_("U mag de huisbezoeken in deze wijk niet beheren."))
    if policy.scope(user) != "gemeente" and not user.wijken.filter(pk=wijk.pk).exists():
        raise PermissionDenied(_("U mag alleen de huisbezoeken in uw eigen wijken beheren."))


def get_round(user: User, pk: int) -> VisitRound:
    """A round the user may manage; VisitRound.DoesNotExist (404) or PermissionDenied (403)."""
    round_ = policy.visible(user, VisitRound).select_related("wijk").get(pk=pk)
    _check_wijk(user, round_.wijk)
    return round_


@transaction.atomic
def create_round(user: User, wijk: Wijk, year: int, starts_on: datetime.date, ends_on: datetime.date) -> VisitRound:
    """A new round for one wijk and year, with a planned visit for everyone of the register there."""
    _check_wijk(user, wijk)
    errors = {}
    if not 2000 <= int(year) <= 2100:
        errors["year"] = [_("Kies een jaar van 2000 tot en met 2100.")]
    elif starts_on.year != int(year):
        errors["starts_on"] = [_("De ronde begint in het jaar %(year)s.") % {"year": year}]
    if ends_on < starts_on:
        errors["ends_on"] = [_("De einddatum ligt vóór de begindatum.")]
    if not errors and VisitRound.objects.filter(wijk=wijk, year=year).exists():
        errors["year"] = [_("Er is al een ronde voor %(wijk)s in %(year)s.") % {"wijk": wijk.display_name,
                                                                              "year": year}]
    if errors:
        raise ValidationError(errors)
    round_ = VisitRound.objects.create(gemeente=wijk.gemeente, wijk=wijk, year=year, starts_on=starts_on,
                                       ends_on=ends_on, created_by=user)
    _fill_round(round_)
    return round_


def volunteers_for(round_: VisitRound):
    """The active volunteer buurtmakers of the round's wijk."""
    return (User.objects.filter(gemeente=round_.gemeente_id, role__in=policy.roles_with("visit.report"), is_active=True,
                                wijken=round_.wijk).order_by("username").select_related("visit_capacity"))


def capacity_of(volunteer: User) -> int:
    try:
        return volunteer.visit_capacity.visits_per_round
    except VolunteerCapacity.DoesNotExist:
        return DEFAULT_CAPACITY


@transaction.atomic
def set_capacity(user: User, round_: VisitRound, volunteer: User, visits_per_round) -> VolunteerCapacity:
    _check_wijk(user, round_.wijk)
    if volunteer not in volunteers_for(round_):
        raise ValidationError({"volunteer": [_("Kies een vrijwilliger van deze wijk.")]})
    try:
        value = int(visits_per_round)
        if not 0 <= value <= 200:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({"visits_per_round": [_("Vul een heel getal in van 0 tot en met 200.")]}) from None
    capacity, _created = VolunteerCapacity.objects.update_or_create(user=volunteer,
                                                                    defaults={"visits_per_round": value})
    return capacity


@dataclass
class Assignment:
    assigned: int
    unassigned: int
    volunteers: int


@transaction.atomic
def assign(user: User, round_: VisitRound) -> Assignment:
    """Give the round's unassigned open visits to the wijk's volunteers, each within their capacity.

    Visits are taken in address order, so a volunteer gets neighbouring addresses. Visits assigned
    to someone who is no longer a volunteer of the wijk are given out again.
    """
    _check_wijk(user, round_.wijk)
    round_ = VisitRound.objects.select_for_update().get(pk=round_.pk)
    volunteers = list(volunteers_for(round_))
    open_visits = round_.visits.filter(status__in=OPEN)
    open_visits.exclude(volunteer__in=volunteers).exclude(volunteer=None).update(volunteer=None)
    load = dict(round_.visits.exclude(volunteer=None).values_list("volunteer").annotate(n=Count("pk")))
    todo = list(open_visits.filter(volunteer=None).order_by("resident__buurt__code", "resident__postcode",
                                                            "resident__house_number", "pk"))
    assigned = 0
    for volunteer in volunteers:
        room = max(capacity_of(volunteer) - load.get(volunteer.pk, 0), 0)
        batch, todo = todo[:room], todo[room:]
        for visit in batch:
            visit.volunteer = volunteer
        Visit.objects.bulk_update(batch, ["volunteer"])
        assigned += len(batch)
    return Assignment(assigned=assigned, unassigned=len(todo), volunteers=len(volunteers))


def round_summary(user: User, round_: VisitRound) -> dict:
    """Counts per status and per volunteer (no resident data)."""
    visits = round_.visits.all()
    by_status = dict(visits.values_list("status").annotate(n=Count("pk")))
    per_volunteer = dict(visits.exclude(volunteer=None).values_list("volunteer").annotate(n=Count("pk")))
    volunteers = [{"user": v, "capacity": capacity_of(v), "assigned": per_volunteer.get(v.pk, 0)}
                  for v in volunteers_for(round_)]
    return {"total": visits.count(), "unassigned": visits.filter(volunteer=None, status__in=OPEN).count(),
            "by_status": [(label, by_status.get(value, 0)) for value, label in VisitStatus.choices],
            "volunteers": volunteers}


# --- letters ---------------------------------------------------------------------------------------

def _streets(visits) -> dict[tuple[str, int], str]:
    postcodes = {v.resident.postcode for v in visits}
    ranges = list(PostcodeRange.objects.filter(postcode__in=postcodes))
    out = {}
    for visit in visits:
        r = visit.resident
        out[(r.postcode, r.house_number)] = next(
            (x.street for x in ranges if x.postcode == r.postcode and r.house_number and x.contains(r.house_number)),
            "")
    return out


def letters(user: User, round_: VisitRound, *, route: str = "") -> list[dict]:
    """The invitation letter list: one entry per resident the user may see, logged as an export."""
    visits = list(policy.visible(user, Visit).filter(round=round_).select_related("resident", "volunteer"))
    streets = _streets(visits)
    rows = []
    for visit in visits:
        r = visit.resident
        number = f"{r.house_number or ''}{(' ' + r.house_number_addition) if r.house_number_addition else ''}"
        street = streets.get((r.postcode, r.house_number), "")
        rows.append({"name": r.name, "address": f"{street} {number}".strip(),
                     "postcode": f"{r.postcode[:4]} {r.postcode[4:]}" if r.postcode else "",
                     "place": round_.gemeente.name, "volunteer": visit.volunteer.get_full_name()
                     or visit.volunteer.username if visit.volunteer else ""})
    if visits:
        accesslog.record(actor=user, action=AccessAction.EXPORT, records=[v.resident for v in visits],
                         purpose=Purpose.HUISBEZOEK, route=route)
    return rows


LETTER_COLUMNS = ("name", "address", "postcode", "place", "volunteer")


def letters_rows(rows: list[dict]) -> list[list]:
    """The letter list as a table (header first); the export guards every cell (core.tabular)."""
    return [["naam", "adres", "postcode", "plaats", "vrijwilliger"], *([row[k] for k in LETTER_COLUMNS]
                                                                          for row in rows)]


def letters_csv(rows: list[dict]) -> str:
    return tabular.write_csv(letters_rows(rows))


def letters_pdf(round_: VisitRound, rows: list[dict]) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("vinden/visits/letters_pdf.html", {"round": round_, "rows": rows,
                                                               "today": timezone.localdate()})
    return HTML(string=html).write_pdf()


# --- the volunteer's list and the report -----------------------------------------------------------

def my_visits(volunteer: User, *, year: int | None = None, route: str = "") -> list[Visit]:
    """The volunteer's visits of this year: open ones first. Logged as views of the residents shown."""
    year = year or timezone.localdate().year
    visits = list(policy.visible(volunteer, Visit).filter(round__year=year, volunteer=volunteer)
                  .select_related("resident", "round__wijk"))
    visits.sort(key=lambda v: (not v.is_open, v.resident.postcode, v.resident.house_number or 0))
    streets = _streets(visits)
    for visit in visits:
        visit.street = streets.get((visit.resident.postcode, visit.resident.house_number), "")
    if visits:
        accesslog.record(actor=volunteer, action=AccessAction.VIEW, records=[v.resident for v in visits],
                         purpose=Purpose.HUISBEZOEK, route=route)
    return visits


def get_visit(user: User, pk: int, *, route: str = "") -> Visit:
    """One visit the user may see (Visit.DoesNotExist otherwise), logged as a view."""
    visit = policy.visible(user, Visit).select_related("resident", "round__wijk").get(pk=pk)
    visit.street = _streets([visit]).get((visit.resident.postcode, visit.resident.house_number), "")
    accesslog.record(actor=user, action=AccessAction.VIEW, records=[visit.resident], purpose=Purpose.HUISBEZOEK,
                     route=route)
    return visit


def clean_answers(answers) -> list[str | None]:
    """Answers to items 3, 4, 7, 8, 9, 10, as a dict {item: answer} or a list of six; '' = not answered."""
    if answers is None:
        answers = {}
    if isinstance(answers, (list, tuple)):
        if len(answers) != len(DJG6_ITEMS):
            raise ValidationError({"answers": [_("Geef zes antwoorden.")]})
        answers = dict(zip(DJG6_ITEMS, answers, strict=True))
    errors, out = {}, []
    for item in DJG6_ITEMS:
        value = answers.get(item, answers.get(str(item), answers.get(f"djg_{item}")))
        if value in (None, ""):
            out.append(None)
            continue
        if str(value).strip().lower() not in ANSWERS:
            errors[f"djg_{item}"] = [_("Kies ja, min of meer of nee.")]
            continue
        try:
            out.append(normalise_answer(str(value).strip().lower(), f"djg_{item}"))
        except InvalidAnswer:
            errors[f"djg_{item}"] = [_("Kies ja, min of meer of nee.")]
    if errors:
        raise ValidationError(errors)
    return out


@dataclass
class ReportResult:
    visit: Visit
    signal_created: bool


@transaction.atomic
def report_visit(volunteer: User, visit_id: int, status: str, *, answers=None, wishes: str = "",
                 wants_contact: bool | None = None, route: str = "") -> ReportResult:
    """Record how a visit went. A visit where the resident wants contact sends a signal to social work."""
    from samen.vinden.services.signals import submit_signal

    if not policy.can(volunteer, "visit.report"):
        raise PermissionDenied(_("U mag geen huisbezoeken melden."))
    visit = policy.visible(volunteer, Visit).select_for_update().select_related("resident", "round").get(pk=visit_id)
    if visit.status in FINAL:
        raise ValidationError({"status": [_("Dit bezoek is al gemeld als '%(status)s'.")
                                          % {"status": visit.get_status_display()}]})
    if status not in (VisitStatus.NOT_HOME, VisitStatus.DECLINED, VisitStatus.VISITED):
        raise ValidationError({"status": [_("Kies niet thuis, wil geen bezoek of bezocht.")]})
    wishes = (wishes or "").strip()
    errors = {}
    if len(wishes) > MAX_WISHES:
        errors["wishes"] = [_("Hoogstens %(n)s tekens.") % {"n": MAX_WISHES}]
    if status == VisitStatus.VISITED:
        try:
            cleaned = clean_answers(answers)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    visit_workflow.WORKFLOW.apply(visit, status, by=volunteer)  # the decision is named after the outcome
    visit.reported_at = timezone.now()
    visit.djg6_total = visit.djg6_emotional = visit.djg6_social = None
    visit.wishes, visit.wants_contact = "", None
    created = False
    if status == VisitStatus.VISITED:
        score = score_djg6(cleaned)
        if score is not None:
            visit.djg6_total, visit.djg6_emotional, visit.djg6_social = score.total, score.emotional, score.social
        visit.wishes, visit.wants_contact = wishes, wants_contact
        if wants_contact and visit.signal_id is None:
            visit.signal = _signal_for(visit, volunteer, submit_signal)
            created = True
    visit.save()
    accesslog.record(actor=volunteer, action=AccessAction.CHANGE, records=[visit.resident],
                     purpose=Purpose.HUISBEZOEK, route=route)
    return ReportResult(visit=visit, signal_created=created)


def _signal_for(visit: Visit, volunteer: User, submit_signal):
    r = visit.resident
    text = _("Huisbezoek 75+: de inwoner wil graag contact met sociaal werk.")
    if visit.wishes:
        text += "\n" + _("Wat de inwoner graag zou willen:") + " " + visit.wishes
    data = {"name": r.name, "postcode": r.postcode, "house_number": r.house_number,
            "house_number_addition": r.house_number_addition, "birth_year": r.birth_year, "age_group": "75+",
            "phone": r.phone, "email": r.email, "observations": ["75_plus"], "description": text[:MAX_WISHES],
            "consent": "yes"}
    return submit_signal(visit.round.gemeente, channel="home_visit", data=data, reporter=volunteer).signal


# --- coverage --------------------------------------------------------------------------------------

COVERAGE_COUNTS = ("residents", "visited", "declined", "open", "overdue", "not_in_round")


def coverage(user: User, gemeente: Gemeente, year: int, *, today: datetime.date | None = None) -> dict:
    """Per wijk: residents of 75+ in the register, visits per outcome, open and overdue, and the totals. Counts
    only. Who may not see the visits themselves (the beleidsadviseur) gets small counts hidden (None), with
    the cells that would give them back (core.disclosure): residents = visited + declined + open + not in a
    round, in every wijk and in the totals."""
    if not policy.can(user, "visit.stats") or gemeente.pk != user.gemeente_id:
        raise PermissionDenied(_("U mag de voortgang van de huisbezoeken niet zien."))
    today = today or timezone.localdate()
    register = dict(RegisterEntry.objects.filter(gemeente=gemeente, active=True)
                    .values_list("resident__buurt__wijk").annotate(n=Count("pk")))
    visits = Visit.objects.filter(round__gemeente=gemeente, round__year=year, resident__register_entry__active=True)
    counts = {}
    for row in visits.values("round__wijk").annotate(
            visited=Count("pk", filter=Q(status=VisitStatus.VISITED)),
            declined=Count("pk", filter=Q(status=VisitStatus.DECLINED)),
            open=Count("pk", filter=Q(status__in=OPEN)),
            overdue=Count("pk", filter=Q(status__in=OPEN, round__ends_on__lt=today)),
            in_round=Count("pk")):
        counts[row.pop("round__wijk")] = row
    rounds = {r.wijk_id: r for r in VisitRound.objects.filter(gemeente=gemeente, year=year)}
    rows = []
    for wijk in Wijk.objects.filter(gemeente=gemeente).order_by("code"):
        total = register.get(wijk.pk, 0)
        c = counts.get(wijk.pk, {"visited": 0, "declined": 0, "open": 0, "overdue": 0, "in_round": 0})
        in_round = c.pop("in_round")
        rows.append({"wijk": wijk, "round": rounds.get(wijk.pk), "residents": total, **c,
                     "not_in_round": max(total - in_round, 0)})
    totals = {key: sum(r[key] for r in rows) for key in COVERAGE_COUNTS}
    protected = not policy.can(user, "visit.view")
    if protected:
        rows, totals = disclosure.protect(rows, COVERAGE_COUNTS, whole="residents",
                                          parts=("visited", "declined", "open", "not_in_round"))
    for row in (*rows, totals):
        row["share"] = (round(100 * row["visited"] / row["residents"])
                        if row["visited"] is not None and row["residents"] else None)
    return {"rows": rows, "totals": totals, "protected": protected}


def overdue_visits(user: User, gemeente: Gemeente, year: int, *, today: datetime.date | None = None,
                   route: str = "") -> list[Visit]:
    """The overdue visits the user may see by name (none for a role without visit.view), logged as views."""
    today = today or timezone.localdate()
    visits = list(policy.visible(user, Visit).filter(round__gemeente=gemeente, round__year=year, status__in=OPEN,
                                                     round__ends_on__lt=today)
                  .select_related("resident", "round__wijk", "volunteer"))
    if visits:
        accesslog.record(actor=user, action=AccessAction.VIEW, records=[v.resident for v in visits],
                         purpose=Purpose.HUISBEZOEK, route=route)
    return visits
