"""Import of activities from CSV or Excel, and export of the public catalogue as CSV and iCalendar.

An import is all or nothing. Every row is read into the flat content of ``ActivityForm`` and checked
by ``catalogue.validate()`` (the one validator); only when every row of the file is right are the rows
written, each through ``catalogue.submit()`` so that the importer's role decides the review (a
regisseur's rows are published at once, a provider's wait for review). Problems name their row (the
spreadsheet's row number, the header is row 1) and the Dutch column name.

Importing the same file again changes nothing: a row is matched to an existing activity by its ``id``
column, else by organisation + title + place + first date, and a row whose content equals what the
activity shows (or what is waiting for review) is left alone. The CSV export has the same columns, so an
export can be edited and imported again (docs/catalogus-import.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from samen.core import policy, tabular
from samen.core.models import Gemeente, Organisation, User
from samen.core.reports import ImportReport
from samen.core.services import pending_imports
from samen.core.services.pending_imports import PendingImportError
from samen.kwaliteit import schedule
from samen.kwaliteit.forms import initial_from
from samen.kwaliteit.models import Activity, ActivityVersion, Intervention
from samen.kwaliteit.review import VersionStatus
from samen.kwaliteit.services import catalogue
from samen.kwaliteit.vocabulary import CostType, Interest, Language, LonelinessKind, TargetGroup

# --- the columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the Dutch column header
    field: str  # the ActivityForm field ("" for id and organisatie)
    kind: str = "text"  # text, bool, date, time, int, decimal, cost, list, interventions
    vocabulary: type | None = None


COLUMNS: tuple[Column, ...] = (
    Column("id", "", "int"),
    Column("organisatie", ""),
    Column("titel", "title"),
    Column("omschrijving", "description"),
    Column("online", "online", "bool"),
    Column("online_link", "online_url"),
    Column("plek", "location_name"),
    Column("straat", "location_street"),
    Column("huisnummer", "location_house_number", "int"),
    Column("toevoeging", "location_addition"),
    Column("postcode", "location_postcode"),
    Column("plaats", "location_city"),
    Column("datum", "start_date", "date"),
    Column("begintijd", "start_time", "time"),
    Column("eindtijd", "end_time", "time"),
    Column("herhaling", "rrule"),
    Column("geldig_tot", "valid_until", "date"),
    Column("kosten", "cost_type", "cost", CostType),
    Column("bedrag", "cost_amount", "decimal"),
    Column("aanmelden_nodig", "registration_required", "bool"),
    Column("zo_doet_u_mee", "how_to_join"),
    Column("aantal_plaatsen", "capacity", "int"),
    Column("rolstoeltoegankelijk", "wheelchair_accessible", "bool"),
    Column("ringleiding", "hearing_loop", "bool"),
    Column("openbaar_vervoer", "near_public_transport", "bool"),
    Column("doelgroepen", "target_groups", "list", TargetGroup),
    Column("soort_eenzaamheid", "loneliness_kinds", "list", LonelinessKind),
    Column("interesses", "interests", "list", Interest),
    Column("talen", "languages", "list", Language),
    Column("themaweek", "theme_week", "bool"),
    Column("interventies", "interventions", "interventions"),
    Column("contactpersoon", "contact_name"),
    Column("telefoon", "contact_phone"),
    Column("email", "contact_email"),
    Column("website", "website"),
)
HEADERS = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS = ("organisatie", "titel", "omschrijving", "datum", "begintijd", "doelgroepen", "interesses")
COLUMN_OF_FIELD = {c.field: c.name for c in COLUMNS if c.field}
LIST_SEPARATOR = "|"
MAX_INT = 2**31 - 1  # the range of the integer columns in the database
CATALOGUE_IMPORT = "catalogue"  # the kind of its PendingImport
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")
COST_WORDS = {"bedrag": CostType.AMOUNT, "donatie": CostType.DONATION, "vrije gift": CostType.DONATION}
EXAMPLE_FILE = Path(__file__).resolve().parent.parent / "demo" / "activiteiten_voorbeeld.csv"


def describe_columns() -> list[dict]:
    """Each column with what it holds (the form's label) and whether the file must have it."""
    from samen.kwaliteit.forms import ActivityForm

    own = {"id": _("Nummer van de activiteit in Samen; leeg voor een nieuwe activiteit"),
           "organisatie": _("Naam van de organisatie die de activiteit organiseert")}
    return [{"name": c.name, "label": own.get(c.name) or ActivityForm.base_fields[c.field].label,
             "required": c.name in REQUIRED_COLUMNS} for c in COLUMNS]


@dataclass
class CatalogueImportReport(ImportReport):
    """``imported`` = rows that made a new activity or a new version; the rest says what happened."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    pending: int = 0  # new versions waiting for the regisseur's review
    dry_run: bool = False


@dataclass
class _Row:
    number: int
    raw: dict  # the ActivityForm content
    organisation: Organisation
    activity: Activity | None = None
    content: dict = field(default_factory=dict)
    unchanged: bool = False


# --- reading a file --------------------------------------------------------------------------------


def read_table(content: bytes | str, filename: str, report: ImportReport) -> list[list[str]] | None:
    """The file as rows of text cells (the header first); None with a reported problem (core.tabular)."""
    try:
        return tabular.read_rows(content, filename)
    except tabular.TableProblem as problem:
        report.add(problem.row, problem.column, problem.message)
        return None


def _check_header(header: list[str], report: ImportReport) -> dict[str, int] | None:
    """Column name → position; one problem naming every missing, unknown and doubled column."""
    found = tabular.map_header(header, dict.fromkeys(HEADERS, ()), REQUIRED_COLUMNS)
    problem = found.problem(hint=_("Het voorbeeldbestand op het scherm Activiteiten inlezen heeft alle kolommen."))
    if problem:
        report.add(problem.row, problem.column, problem.message)
        return None
    return found.positions


# --- one row -> the form's content -------------------------------------------------------------------


def _choices_lookup(vocabulary) -> dict[str, str]:
    """Code, Dutch label and the label's first part (before ':') → code, case-insensitive."""
    lookup = {}
    with translation.override("nl"):
        for code, label in vocabulary.choices:
            label = str(label).lower()
            lookup[code.lower()] = code
            lookup[label] = code
            lookup[label.split(":")[0].strip()] = code
    return lookup


def _parse_cell(column: Column, value: str, context: dict):
    """The form value of one cell; raises ValueError with a Dutch message."""
    value = tabular.unguard((value or "").strip())  # the export's guard against formulas
    kind = column.kind
    if kind == "text":
        return value
    if kind == "bool":
        return tabular.parse_bool(value)
    if not value:
        return [] if kind in ("list", "interventions") else ""
    if kind == "int":
        return tabular.parse_int(value, minimum=0, maximum=MAX_INT)
    if kind == "date":
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(value, fmt).date().isoformat()
            except ValueError:
                continue
        raise ValueError(_("'%(value)s' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ).") % {"value": value})
    if kind == "time":
        match = TIME_RE.match(value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueError(_("'%(value)s' is geen tijd (UU:MM, bijvoorbeeld 14:30).") % {"value": value})
        return f"{int(match[1]):02d}:{match[2]}"
    if kind == "decimal":
        text = value.replace("€", "").replace(" ", "").replace(",", ".")
        try:
            return str(Decimal(text))
        except InvalidOperation:
            raise ValueError(_("'%(value)s' is geen bedrag (bijvoorbeeld 4,50).") % {"value": value}) from None
    if kind == "cost":
        lookup = {**_choices_lookup(column.vocabulary), **COST_WORDS}
        if value.lower() not in lookup:
            raise ValueError(_("'%(value)s' kennen we niet; kies gratis, vast bedrag of vrijwillige bijdrage.")
                             % {"value": value})
        return lookup[value.lower()]
    if kind == "list":
        lookup = context.setdefault(column.name, _choices_lookup(column.vocabulary))
        codes, unknown = [], []
        for part in (p.strip() for p in value.split(LIST_SEPARATOR)):
            if part and part.lower() in lookup:
                codes.append(lookup[part.lower()])
            elif part:
                unknown.append(part)
        if unknown:
            with translation.override("nl"):
                allowed = ", ".join(str(label) for _code, label in column.vocabulary.choices)
            raise ValueError(_("'%(values)s' kennen we niet; kies uit: %(allowed)s (gescheiden door |).")
                             % {"values": "', '".join(unknown), "allowed": allowed})
        return list(dict.fromkeys(codes))
    if kind == "interventions":
        interventions = context["interventions"]
        found, unknown = [], []
        for part in (p.strip() for p in value.split(LIST_SEPARATOR)):
            key = part.lower()
            if key in interventions:
                found.append(interventions[key])
            elif part:
                unknown.append(part)
        if unknown:
            raise ValueError(_("de interventie '%(values)s' staat niet in de catalogus.")
                             % {"values": "', '".join(unknown)})
        return list(dict.fromkeys(found))
    raise AssertionError(kind)


def _defaults(raw: dict) -> dict:
    """What an empty cell means where the form would otherwise refuse it."""
    if not raw.get("cost_type"):
        raw["cost_type"] = CostType.FREE
    if not raw.get("languages"):
        raw["languages"] = [Language.DUTCH]
    return raw


# --- the import ------------------------------------------------------------------------------------


@dataclass
class CataloguePlan:
    """A checked file and what it would do; ``apply_catalogue_plan`` submits its rows."""

    user: User
    rows: list[_Row]
    report: CatalogueImportReport
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return self.report.ok

    def summary(self) -> dict:
        def titles(rows):
            return [{"row": r.number, "title": r.raw.get("title", ""), "organisation": r.organisation.name}
                    for r in rows[:PREVIEW_ROWS]]

        new = [r for r in self.rows if r.activity is None]
        changed = [r for r in self.rows if r.activity is not None and not r.unchanged]
        review = not policy.can(self.user, "catalogue.review")
        return {"created": len(new), "changed": len(changed), "unchanged": self.report.unchanged,
                "new_rows": titles(new), "changed_rows": titles(changed), "needs_review": review}


PREVIEW_ROWS = 200


def catalogue_fingerprint(gemeente: Gemeente) -> str:
    """What an import could change: every activity of the municipality and every version waiting."""
    activities = Activity.objects.filter(gemeente=gemeente).order_by("pk").values_list(
        "pk", "organisation_id", "status", "title")
    versions = (ActivityVersion.objects.filter(activity__gemeente=gemeente).order_by("pk")
                .values_list("pk", "activity_id", "status"))
    return pending_imports.fingerprint([*(["a", *a] for a in activities), *(["v", *v] for v in versions)])


def plan_activities(user: User, content: bytes | str, filename: str = "") -> CataloguePlan:
    """Read and check every row of the file and compare it with the catalogue; nothing is stored."""
    report = CatalogueImportReport(dry_run=True)
    plan = CataloguePlan(user, [], report)
    if not policy.can(user, "catalogue.edit"):
        report.add(0, "-", _("u mag geen activiteiten invoeren."))
        return plan
    table = read_table(content, filename, report)
    if table is None:
        return plan
    if not table:
        report.add(1, "-", _("het bestand is leeg."))
        return plan
    positions = _check_header(table[0], report)
    if positions is None:
        return plan
    plan.fingerprint = catalogue_fingerprint(user.gemeente)
    rows = _parse_rows(user, table[1:], positions, report)
    if report.ok and not rows:
        report.add(2, "-", _("het bestand bevat geen activiteiten."))
    if not report.ok:
        return plan
    for row in rows:
        _compare(user.gemeente, row)
    plan.rows = rows
    report.unchanged = sum(row.unchanged for row in rows)
    report.created = sum(row.activity is None for row in rows)
    report.changed = len(rows) - report.unchanged - report.created
    report.imported = report.created + report.changed
    return plan


def import_activities(user: User, content: bytes | str, filename: str = "", *,
                      dry_run: bool = False) -> CatalogueImportReport:
    """Read, check and (unless ``dry_run``) store every row of the file; with any problem nothing is stored."""
    plan = plan_activities(user, content, filename)
    if plan.ok and not dry_run:
        apply_catalogue_plan(plan)
    plan.report.dry_run = dry_run
    return plan.report


def apply_catalogue_plan(plan: CataloguePlan) -> CatalogueImportReport:
    """Submit the plan's rows in one transaction (catalogue.submit: the user's role decides the review);
    refused (PendingImportError) when the catalogue changed since the plan was made."""
    user, report = plan.user, plan.report
    report.dry_run = False
    with transaction.atomic():
        Activity.objects.select_for_update().filter(gemeente=user.gemeente).exists()
        if catalogue_fingerprint(user.gemeente) != plan.fingerprint:
            raise PendingImportError(_("De catalogus is veranderd sinds het bestand werd ingelezen. Er is niets "
                                       "veranderd; lees het bestand opnieuw in."))
        for row in plan.rows:
            if row.unchanged:
                continue
            try:
                version = catalogue.submit(user, row.raw, activity=row.activity, organisation=row.organisation,
                                           notify=False)
            except ValidationError as exc:  # the same check passed a moment ago; report, store nothing
                _report_validation(report, row.number, exc)
                transaction.set_rollback(True)
                report.created = report.changed = report.imported = 0
                return report
            report.pending += version.status == VersionStatus.PENDING
        if report.pending:
            from samen.kwaliteit.services import notify

            notify.import_waiting(user, report.pending)
    return report


def stage_catalogue_plan(plan: CataloguePlan):
    payload = [[r.number, r.raw, r.organisation.pk, r.activity.pk if r.activity else None, r.unchanged]
               for r in plan.rows]
    return pending_imports.stage(plan.user, CATALOGUE_IMPORT, payload, plan.summary(), plan.fingerprint)


def confirm_catalogue_import(user: User, token: str) -> CatalogueImportReport:
    """Submit the rows the user previewed (PendingImportError, in Dutch, when that cannot be)."""
    with transaction.atomic():
        pending = pending_imports.claim(user, CATALOGUE_IMPORT, token,
                                        lambda pending: catalogue_fingerprint(pending.gemeente))
        organisations = Organisation.objects.in_bulk({item[2] for item in pending.payload})
        activities = policy.visible(user, Activity).in_bulk({item[3] for item in pending.payload if item[3]})
        rows = []
        for number, raw, organisation, activity, unchanged in pending.payload:
            if activity and activity not in activities:
                raise PendingImportError(_("U mag activiteit %(id)s niet meer wijzigen.") % {"id": activity})
            rows.append(_Row(number, raw, organisations[organisation], activities.get(activity) if activity else None,
                             unchanged=unchanged))
        summary = pending.summary
        report = CatalogueImportReport(created=summary["created"], changed=summary["changed"],
                                       unchanged=summary["unchanged"],
                                       imported=summary["created"] + summary["changed"])
        return apply_catalogue_plan(CataloguePlan(user, rows, report, pending.fingerprint))


def _parse_rows(user: User, table: list[list[str]], positions: dict[str, int],
                report: CatalogueImportReport) -> list[_Row]:
    gemeente = user.gemeente
    organisations = {o.name.casefold(): o for o in Organisation.objects.filter(gemeente=gemeente)}
    interventions = {}
    for item in Intervention.objects.filter(gemeente=gemeente):
        interventions[item.name.casefold()] = item.pk
        interventions[str(item.pk)] = item.pk
    visible = policy.visible(user, Activity).filter(gemeente=gemeente).select_related("organisation", "location")
    by_key = {_key_of_activity(a): a for a in visible}
    context = {"interventions": interventions}
    rows: list[_Row] = []
    seen: dict[tuple, int] = {}
    for number, values in enumerate(table, start=2):
        if not any((v or "").strip() for v in values):
            continue
        before = len(report.problems) + report.more_problems
        raw, ident, organisation_name = {}, None, ""
        for column in COLUMNS:
            position = positions.get(column.name)
            cell = values[position] if position is not None and position < len(values) else ""
            try:
                value = _parse_cell(column, cell, context)
            except ValueError as exc:
                report.add(number, column.name, str(exc))
                continue
            if column.name == "id":
                ident = value or None
            elif column.name == "organisatie":
                organisation_name = value
            else:
                raw[column.field] = value
        raw = _defaults(raw)
        activity, organisation = _owner(user, number, ident, organisation_name, organisations, visible, report)
        content = None
        try:
            content, _buurt = catalogue.validate(gemeente, raw)
        except ValidationError as exc:
            _report_validation(report, number, exc)
        if len(report.problems) + report.more_problems > before:
            continue
        key = _key_of_content(organisation, raw)
        if activity is None:
            activity = by_key.get(key)
        marker = ("id", activity.pk) if activity is not None else key
        if marker in seen:
            report.add(number, "titel", _("deze activiteit staat al in rij %(row)s.") % {"row": seen[marker]})
            continue
        seen[marker] = number
        rows.append(_Row(number, raw, organisation, activity, content))
    return rows


def _owner(user, number, ident, organisation_name, organisations, visible, report):
    """The activity a row changes (by id) and the organisation it belongs to; problems are reported."""
    activity = organisation = None
    if ident is not None:
        activity = visible.filter(pk=ident).first()
        if activity is None:
            report.add(number, "id", _("activiteit %(id)s bestaat niet (of u mag haar niet wijzigen).")
                       % {"id": ident})
            return None, None
        organisation = activity.organisation
    if organisation_name:
        named = organisations.get(organisation_name.casefold())
        if named is None:
            report.add(number, "organisatie", _("de organisatie '%(name)s' kennen we niet in %(gemeente)s.")
                       % {"name": organisation_name, "gemeente": user.gemeente.name})
            return activity, None
        if organisation is not None and named.pk != organisation.pk:
            report.add(number, "organisatie", _("activiteit %(id)s hoort bij %(name)s; een activiteit verhuist "
                                                "niet naar een andere organisatie.")
                       % {"id": activity.pk, "name": organisation.name})
            return activity, None
        organisation = named
    elif organisation is None:
        report.add(number, "organisatie", _("vul de organisatie in."))
        return None, None
    if not catalogue.may_edit(user, activity, organisation):
        report.add(number, "organisatie", _("u mag geen activiteiten van %(name)s invoeren of wijzigen.")
                   % {"name": organisation.name})
        return activity, None
    return activity, organisation


def _key_of_content(organisation: Organisation, raw: dict) -> tuple:
    postcode = re.sub(r"\s", "", raw.get("location_postcode") or "").upper()
    return (organisation.pk, (raw.get("title") or "").strip().casefold(), postcode,
            raw.get("location_house_number") or None, raw.get("start_date") or "")


def _key_of_activity(activity: Activity) -> tuple:
    location = activity.location
    return (activity.organisation_id, activity.title.strip().casefold(), location.postcode if location else "",
            location.house_number if location else None, activity.start_date.isoformat())


def _comparable(content: dict) -> dict:
    return {key: sorted(value) if isinstance(value, list) else value for key, value in content.items()}


def _compare(gemeente: Gemeente, row: _Row) -> None:
    """Mark a row unchanged when its content is what the activity shows or what waits for review."""
    activity = row.activity
    if activity is None:
        return
    new = _comparable(row.content)
    try:
        live, _buurt = catalogue.validate(gemeente, initial_from(activity))
    except ValidationError:  # the live content no longer passes (the postcode table changed): resubmit
        live = None
    pending = activity.versions.filter(status=VersionStatus.PENDING).order_by("-number").first()
    row.unchanged = (live is not None and _comparable(live) == new) or (
        pending is not None and _comparable(pending.data) == new)


def _report_validation(report: ImportReport, number: int, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for name, messages in errors.items():
        for message in messages:
            report.add(number, COLUMN_OF_FIELD.get(name, "-"), message)


# --- export ----------------------------------------------------------------------------------------


def export_rows(activities: Iterable[Activity]) -> Iterable[list[str]]:
    """The header and one row per activity, in the import's columns (Dutch labels for word lists)."""
    yield list(HEADERS)
    with translation.override("nl"):
        labels = {c.name: dict(c.vocabulary.choices) for c in COLUMNS if c.vocabulary is not None}
        for activity in activities:
            values = _values(activity)
            row = []
            for column in COLUMNS:
                if column.name == "id":
                    row.append(str(activity.pk))
                elif column.name == "organisatie":
                    row.append(activity.organisation.name)
                else:
                    row.append(_cell(column, values.get(column.field), labels.get(column.name)))
            yield row


def _values(activity: Activity) -> dict:
    """Like forms.initial_from, with the prefetched interventions' names (no query per activity)."""
    values = {name: getattr(activity, name) for name in (
        *catalogue.PLAIN_FIELDS, "start_date", "start_time", "end_time", "valid_until", "cost_amount")}
    values["interventions"] = [i.name for i in activity.interventions.all()]
    location = activity.location
    if location:
        values.update(location_name=location.name, location_street=location.street,
                      location_house_number=location.house_number, location_addition=location.house_number_addition,
                      location_postcode=location.postcode, location_city=location.city)
    return values


def _cell(column: Column, value, labels: dict | None) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "bool":
        return "ja" if value else "nee"
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "time":
        return f"{value:%H:%M}"
    if column.kind == "decimal":
        return f"{value:.2f}".replace(".", ",")
    if column.kind == "cost":
        return str(labels.get(value, value))
    if column.kind == "list":
        return LIST_SEPARATOR.join(str(labels.get(code, code)) for code in value)
    if column.kind == "interventions":
        return LIST_SEPARATOR.join(value)
    return str(value)


def export_csv(activities: Iterable[Activity]) -> str:
    """CSV with ';' (what Dutch spreadsheet programs expect) and a byte-order mark, so Excel reads UTF-8.

    core.tabular guards every cell against formulas; the import takes that guard off again, so every cell
    survives export → import unchanged."""
    return tabular.write_csv(export_rows(activities))


def public_export(gemeente: Gemeente):
    """The public catalogue in a stable order, with what the export needs fetched at once."""
    return (catalogue.public_activities(gemeente).select_related("organisation", "location")
            .prefetch_related("interventions").order_by("pk"))


def feed(activities, name: str, uid_domain: str = "samen") -> bytes:
    """An iCalendar feed of the activities (schedule.ical), locations fetched at once."""
    return schedule.ical(activities.select_related("location").order_by("pk"), name, uid_domain)
