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

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from samen.core import policy
from samen.core.models import Gemeente, Organisation, User
from samen.core.reports import ImportReport
from samen.kwaliteit import schedule
from samen.kwaliteit.forms import initial_from
from samen.kwaliteit.models import Activity, Intervention
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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", ""}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")
COST_WORDS = {"bedrag": CostType.AMOUNT, "donatie": CostType.DONATION, "vrije gift": CostType.DONATION}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
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
    """The file as rows of text cells (the header first); None with a reported problem."""
    name = (filename or "").lower()
    if isinstance(content, bytes) and (name.endswith(EXCEL_SUFFIXES) or content[:4] == b"PK\x03\x04"):
        return _read_excel(content, report)
    if name.endswith(".xls"):
        report.add(0, "-", _("oude Excel-bestanden (.xls) worden niet gelezen; sla het op als .xlsx of CSV."))
        return None
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.add(0, "-", _("het bestand is geen UTF-8-tekst; sla het op als CSV UTF-8 of als .xlsx."))
            return None
    content = content.lstrip("\ufeff")
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(content), delimiter=delimiter))


def _read_excel(content: bytes, report: ImportReport) -> list[list[str]] | None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        report.add(0, "-", _("het bestand kan niet als Excel (.xlsx) worden gelezen (%(error)s).")
                   % {"error": str(exc)[:200]})
        return None
    try:
        sheet = workbook.worksheets[0]
        return [[_excel_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _excel_text(value) -> str:
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


def _normalise_header(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", (value or "").strip().lower())


def _check_header(header: list[str], report: ImportReport) -> dict[str, int] | None:
    """Column name → position; one problem naming every missing, unknown and doubled column."""
    names = [_normalise_header(h) for h in header]
    known = set(HEADERS)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [header[i].strip() for i, n in enumerate(names) if n and n not in known]  # blank: ignored
    doubled = sorted({n for n in names if n in known and names.count(n) > 1})
    parts = []
    if missing:
        parts.append(_("deze kolommen ontbreken: %(columns)s") % {"columns": ", ".join(missing)})
    if unknown:
        parts.append(_("deze kolommen kennen we niet: %(columns)s") % {"columns": ", ".join(unknown)})
    if doubled:
        parts.append(_("deze kolommen staan er twee keer in: %(columns)s") % {"columns": ", ".join(doubled)})
    if parts:
        report.add(1, _("kopregel"), "; ".join(parts) + ". "
                   + _("Zie docs/catalogus-import.md voor de kolommen."))
        return None
    return {name: index for index, name in enumerate(names)}


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
    value = (value or "").strip()
    if value[:1] == "'" and _needs_guard(value[1:]):  # the export's guard against formulas (see _safe)
        value = value[1:]
    kind = column.kind
    if kind == "text":
        return value
    if kind == "bool":
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("'%(value)s' is geen ja of nee.") % {"value": value})
    if not value:
        return [] if kind in ("list", "interventions") else ""
    if kind == "int":
        if not value.isdigit():
            raise ValueError(_("'%(value)s' is geen heel getal.") % {"value": value})
        return int(value)
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


def import_activities(user: User, content: bytes | str, filename: str = "", *,
                      dry_run: bool = False) -> CatalogueImportReport:
    """Read, check and (unless ``dry_run``) store every row of the file; with any problem nothing is stored."""
    report = CatalogueImportReport(dry_run=dry_run)
    if not policy.can(user, "catalogue.edit"):
        report.add(0, "-", _("u mag geen activiteiten invoeren."))
        return report
    table = read_table(content, filename, report)
    if table is None:
        return report
    if not table:
        report.add(1, "-", _("het bestand is leeg."))
        return report
    positions = _check_header(table[0], report)
    if positions is None:
        return report
    rows = _parse_rows(user, table[1:], positions, report)
    if report.ok and not rows:
        report.add(2, "-", _("het bestand bevat geen activiteiten."))
    if not report.ok:
        return report
    for row in rows:
        _compare(user.gemeente, row)
    report.unchanged = sum(row.unchanged for row in rows)
    report.created = sum(row.activity is None for row in rows)
    report.changed = len(rows) - report.unchanged - report.created
    report.imported = report.created + report.changed
    if dry_run:
        return report
    with transaction.atomic():
        for row in rows:
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
    """CSV with ';' (what Dutch spreadsheet programs expect) and a byte-order mark, so Excel reads UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in export_rows(activities):
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue()


def _safe(cell: str) -> str:
    """No formula runs when the file is opened in a spreadsheet: a cell starting with = + - @ gets a quote
    in front. The import takes exactly one such quote off again (a cell that starts with quotes before
    one of those characters gets one more), so every cell survives export → import unchanged."""
    return "'" + cell if _needs_guard(cell) else cell


def _needs_guard(cell: str) -> bool:
    while cell[:1] == "'":
        cell = cell[1:]
    return bool(cell) and cell[0] in FORMULA_STARTS


def public_export(gemeente: Gemeente):
    """The public catalogue in a stable order, with what the export needs fetched at once."""
    return (catalogue.public_activities(gemeente).select_related("organisation", "location")
            .prefetch_related("interventions").order_by("pk"))


def feed(activities, name: str, uid_domain: str = "samen") -> bytes:
    """An iCalendar feed of the activities (schedule.ical), locations fetched at once."""
    return schedule.ical(activities.select_related("location").order_by("pk"), name, uid_domain)
