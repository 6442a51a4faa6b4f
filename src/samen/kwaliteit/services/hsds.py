"""The public catalogue as Open Referral HSDS 3.0: organizations, services, locations and what hangs off them.

One activity is one HSDS *service*. Its organiser is the *organization*; its place a physical *location*
(with its *address* and the *accessibility* its providers declare), an online activity also a virtual
location; *service_at_location* links the two. The schedule becomes an HSDS *schedule* (the RRULE's parts
in freq/interval/byday/...), the cost a *cost_option*, the languages *language* rows, the contact person a
*contact* with a *phone*. Target groups, interests, kinds of loneliness and accessibility are *attributes*
pointing at *taxonomy_terms* of four small Samen taxonomies.

Every id is a UUID5 of a fixed namespace and the record's municipality, kind and primary key, so the same
catalogue always exports the same ids and files. ``services()`` builds the nested services of the HSDS API;
``tables()`` flattens them into one list per HSDS table (the files of ``samen catalogue export --format
hsds``). The mapping is documented in docs/hsds.md.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samen.core.models import Gemeente, Organisation
from samen.kwaliteit import schedule
from samen.kwaliteit.models import Activity, Location
from samen.kwaliteit.services import catalogue
from samen.kwaliteit.vocabulary import CostType, Interest, Language, LonelinessKind, TargetGroup

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("5b0c3e8e-2f7a-5d1c-9a64-3d2f8c1e7b40")  # Samen's; never change it (ids would change)
# ISO 639 codes where Samen's code is not one (Nederlandse Gebarentaal is ISO 639-3 'dse').
LANGUAGE_CODES = {"sgn": "dse"}
# Keyed by the plain code: an enum member hashes by its name, so a stored code would not find it.
AGE_RANGES = {TargetGroup.YOUTH.value: (16, 25), TargetGroup.SENIORS_65.value: (65, None),
              TargetGroup.SENIORS_75.value: (75, None)}
WEEK = "MO,TU,WE,TH,FR,SA,SU"


class Accessibility:
    """The fourth taxonomy: accessibility as the providers declare it."""

    choices = [("wheelchair", "rolstoeltoegankelijk"), ("hearing_loop", "ringleiding"),
               ("public_transport", "dicht bij openbaar vervoer")]
    fields = {"wheelchair": "wheelchair_accessible", "hearing_loop": "hearing_loop",
              "public_transport": "near_public_transport"}


TAXONOMIES = {  # name → (vocabulary, the activity's field, description)
    "samen-doelgroepen": (TargetGroup, "target_groups", "Voor wie een activiteit bedoeld is."),
    "samen-interesses": (Interest, "interests", "Waar een activiteit over gaat."),
    "samen-soort-eenzaamheid": (LonelinessKind, "loneliness_kinds",
                                "Welk gemis een activiteit beantwoordt: een grotere kring (sociaal), een hechte "
                                "band (emotioneel) of zin en betekenis (existentieel)."),
    "samen-toegankelijkheid": (Accessibility, None, "Toegankelijkheid zoals de aanbieder die opgeeft."),
}

# Where a nested property's objects go when the nested services are flattened into tables.
TABLE_OF = {"organization": "organizations", "service_at_locations": "service_at_locations",
            "location": "locations", "addresses": "addresses", "accessibility": "accessibility",
            "schedules": "schedules", "phones": "phones", "contacts": "contacts", "languages": "languages",
            "cost_options": "cost_options", "attributes": "attributes", "taxonomy_term": "taxonomy_terms"}
# Each table and the schema file its objects validate against.
SCHEMA_OF = {"organizations": "organization", "services": "service", "locations": "location",
             "addresses": "address", "accessibility": "accessibility", "service_at_locations": "service_at_location",
             "schedules": "schedule", "phones": "phone", "contacts": "contact", "languages": "language",
             "cost_options": "cost_option", "attributes": "attribute", "taxonomies": "taxonomy",
             "taxonomy_terms": "taxonomy_term"}


def uid(*parts) -> str:
    """A stable UUID5 for a record: the same parts always give the same id."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def service_id(gemeente: Gemeente, activity_pk: int) -> str:
    return uid(gemeente.code, "service", activity_pk)


def organization_id(gemeente: Gemeente, organisation_pk: int) -> str:
    return uid(gemeente.code, "organization", organisation_pk)


def location_id(gemeente: Gemeente, location_pk: int) -> str:
    return uid(gemeente.code, "location", location_pk)


def taxonomy_id(name: str) -> str:
    return uid("taxonomy", name)


def taxonomy_term_id(name: str, code: str) -> str:
    return uid("taxonomy", name, code)


# --- what is published -------------------------------------------------------------------------------


def published(gemeente: Gemeente, now: dt.datetime | None = None) -> QuerySet[Activity]:
    """The public catalogue (catalogue.public_activities), with what the mapping needs fetched at once."""
    return (catalogue.public_activities(gemeente, now)
            .select_related("organisation", "location__buurt__wijk")
            .prefetch_related("interventions").order_by("pk"))


# Per process: service id → activity pk, per municipality. A UUID5 cannot be turned back into its pk, and
# computing 20,000 of them takes a fifth of a second, so each is computed once; a miss reads the pks and
# computes only the ones not seen before.
_SERVICE_PKS: dict[str, dict[str, int]] = {}


def find_activity(gemeente: Gemeente, ident: str, now: dt.datetime | None = None) -> Activity | None:
    """A public activity by its HSDS service id (or, for convenience, Samen's own number)."""
    activities = published(gemeente, now)
    if ident.isdigit():
        return activities.filter(pk=int(ident)).first()
    known = _SERVICE_PKS.setdefault(gemeente.code, {})
    if ident not in known:
        seen = set(known.values())
        for pk in Activity.objects.filter(gemeente=gemeente).values_list("pk", flat=True):
            if pk not in seen:
                known[service_id(gemeente, pk)] = pk
    pk = known.get(ident)
    return activities.filter(pk=pk).first() if pk is not None else None


def organisations_with_activities(gemeente: Gemeente, now: dt.datetime | None = None) -> QuerySet[Organisation]:
    ids = catalogue.public_activities(gemeente, now).values("organisation_id")
    return Organisation.objects.filter(gemeente=gemeente, pk__in=ids).order_by("pk")


def find_organisation(gemeente: Gemeente, ident: str, now: dt.datetime | None = None) -> Organisation | None:
    organisations = organisations_with_activities(gemeente, now)
    if ident.isdigit():
        return organisations.filter(pk=int(ident)).first()
    return next((o for o in organisations if organization_id(gemeente, o.pk) == ident), None)


def locations_with_activities(gemeente: Gemeente, now: dt.datetime | None = None) -> QuerySet[Location]:
    ids = catalogue.public_activities(gemeente, now).values("location_id")
    return Location.objects.filter(gemeente=gemeente, pk__in=ids).select_related("buurt__wijk").order_by("pk")


# --- the mapping -----------------------------------------------------------------------------------


class Builder:
    """Maps activities, organisations and places of one municipality to HSDS objects.

    Location accessibility is what any public activity at the place declares; it is read for all the
    builder's places in one query.
    """

    def __init__(self, gemeente: Gemeente, now: dt.datetime | None = None):
        self.gemeente = gemeente
        self.now = now
        self._place_flags: dict[int, set[str]] | None = None
        self._place_ids: set[int] = set()

    def prepare(self, activities: Iterable[Activity], locations: Iterable[Location] = ()) -> Builder:
        self._place_ids = {a.location_id for a in activities if a.location_id} | {loc.pk for loc in locations}
        self._place_flags = None
        return self

    # -- organizations

    def organization(self, organisation: Organisation) -> dict:
        with translation.override("nl"):
            description = organisation.description or f"{organisation.name} ({organisation.get_type_display()})"
        item = {"id": organization_id(self.gemeente, organisation.pk), "name": organisation.name,
                "description": description}
        if organisation.website:
            item["website"] = organisation.website
        if organisation.phone:
            item["phones"] = [{"id": uid(self.gemeente.code, "organization-phone", organisation.pk),
                               "organization_id": item["id"], "number": organisation.phone}]
        return item

    # -- locations

    def location(self, place: Location) -> dict:
        ident = location_id(self.gemeente, place.pk)
        item = {"id": ident, "location_type": "physical", "name": place.name}
        if place.buurt_id:
            wijk = place.buurt.wijk
            item["description"] = _("Buurt %(buurt)s, wijk %(wijk)s") % {"buurt": place.buurt.name,
                                                                         "wijk": wijk.display_name}
            item["external_identifier"] = place.buurt.code
            item["external_identifier_type"] = "CBS-buurtcode"
        if place.latitude is not None and place.longitude is not None:
            item["latitude"], item["longitude"] = float(place.latitude), float(place.longitude)
        flags = self._flags().get(place.pk, set())
        if "public_transport" in flags:
            item["transportation"] = _("Dicht bij openbaar vervoer (volgens de aanbieder).")
        item["addresses"] = [{
            "id": uid(self.gemeente.code, "address", place.pk), "location_id": ident,
            "address_1": place.address_line or place.name, "city": place.city or self.gemeente.name,
            "state_province": self.gemeente.province,  # per municipality (its settings)
            "postal_code": f"{place.postcode[:4]} {place.postcode[4:]}", "country": "NL", "address_type": "physical",
        }]
        labels = dict(Accessibility.choices)
        item["accessibility"] = [
            {"id": uid(self.gemeente.code, "accessibility", place.pk, code), "location_id": ident,
             "description": labels[code], "details": _("Opgegeven door de aanbieder van een activiteit op deze plek.")}
            for code in ("wheelchair", "hearing_loop") if code in flags]
        return item

    def _flags(self) -> dict[int, set[str]]:
        if self._place_flags is None:
            self._place_flags = {}
            rows = (catalogue.public_activities(self.gemeente, self.now).filter(location_id__in=self._place_ids)
                    .values_list("location_id", *Accessibility.fields.values()))
            for location_pk, *values in rows:
                flags = self._place_flags.setdefault(location_pk, set())
                flags.update(code for code, on in zip(Accessibility.fields, values, strict=True) if on)
        return self._place_flags

    def virtual_location(self, activity: Activity) -> dict:
        item = {"id": uid(self.gemeente.code, "virtual-location", activity.pk), "location_type": "virtual",
                "name": _("Online: %(title)s") % {"title": activity.title}}
        if activity.online_url:
            item["url"] = activity.online_url
        return item

    # -- services

    def service(self, activity: Activity, *, full: bool = True) -> dict:
        """One activity as an HSDS service; ``full=False`` gives only the one-to-one fields (API lists)."""
        with translation.override("nl"):
            return self._service(activity, full)

    def _service(self, activity: Activity, full: bool) -> dict:
        ident = service_id(self.gemeente, activity.pk)
        item = {"id": ident, "organization_id": organization_id(self.gemeente, activity.organisation_id),
                "name": activity.title, "description": activity.description, "status": "active"}
        url = activity.website or activity.online_url
        if url:
            item["url"] = url
        if activity.contact_email:
            item["email"] = activity.contact_email
        process = [activity.how_to_join] if activity.how_to_join else []
        if activity.registration_required:
            process.append(_("Aanmelden is nodig."))
        if activity.capacity:
            process.append(_("Er zijn %(n)s plaatsen.") % {"n": activity.capacity})
        if process:
            item["application_process"] = " ".join(process)
        item["fees_description"] = _fees(activity)
        groups = dict(TargetGroup.choices)
        if activity.target_groups:
            item["eligibility_description"] = ", ".join(str(groups.get(c, c)) for c in activity.target_groups)
        item.update(_ages(activity.target_groups))
        interventions = list(activity.interventions.all())
        if interventions:
            item["accreditations"] = "; ".join(
                _("Werkt volgens %(name)s (Movisie: %(level)s)")
                % {"name": i.name, "level": i.get_recognition_display()} for i in interventions)
        if activity.confirmed_at:
            item["assured_date"] = timezone.localdate(activity.confirmed_at).isoformat()
        changed = activity.published_at or activity.confirmed_at
        if changed:
            item["last_modified"] = (changed.astimezone(dt.UTC).isoformat(timespec="milliseconds")
                                     .replace("+00:00", "Z"))
        if not full:
            return item
        item["organization"] = self.organization(activity.organisation)
        at_locations = []
        if activity.location_id:
            at_locations.append(self._at_location(activity, ident, self.location(activity.location)))
        if activity.online:
            at_locations.append(self._at_location(activity, ident, self.virtual_location(activity)))
        item["service_at_locations"] = at_locations
        item["schedules"] = self.schedules(activity, ident, at_locations)
        item["languages"] = [self._language(activity, ident, code) for code in activity.languages]
        item["cost_options"] = [self._cost_option(activity, ident)]
        if activity.contact_name or activity.contact_phone or activity.contact_email:
            item["contacts"] = [self._contact(activity, ident)]
        item["attributes"] = self._attributes(activity, ident)
        return item

    def _at_location(self, activity: Activity, service: str, location: dict) -> dict:
        return {"id": uid(self.gemeente.code, "service-at-location", activity.pk, location["id"]),
                "service_id": service, "location_id": location["id"], "location": location}

    def schedules(self, activity: Activity, service: str, at_locations: list[dict]) -> list[dict]:
        """One schedule per stretch with one UTC offset: HSDS 3.0 has a fixed offset per schedule, and Dutch
        time is +01:00 in winter and +02:00 in summer (schedule.offset_periods)."""
        periods = schedule.offset_periods(activity.start_date, activity.start_time, activity.rrule,
                                          activity.valid_until, timezone.localdate())
        return [self.schedule(activity, service, at_locations, period, index)
                for index, period in enumerate(periods)]

    def schedule(self, activity: Activity, service: str, at_locations: list[dict], period: schedule.Period,
                 index: int = 0) -> dict:
        ident = uid(self.gemeente.code, "schedule", activity.pk, *([index] if index else []))
        item = {"id": ident, "service_id": service}
        if len(at_locations) == 1:
            item["service_at_location_id"] = at_locations[0]["id"]
        item["valid_from"] = period.valid_from.isoformat()
        item["dtstart"] = period.first.isoformat()  # a date the rule produces
        if period.valid_to is not None:
            item["valid_to"] = period.valid_to.isoformat()
        minutes = int(period.offset.total_seconds() // 60)
        hours = minutes / 60
        item["timezone"] = int(hours) if hours.is_integer() else hours
        sign = "+" if minutes >= 0 else "-"
        suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        item["opens_at"] = f"{activity.start_time:%H:%M}{suffix}"
        if activity.end_time:
            item["closes_at"] = f"{activity.end_time:%H:%M}{suffix}"
        if activity.rrule:
            item.update(rrule_fields(activity.rrule))
            if period.valid_to is not None:
                item["until"] = period.valid_to.isoformat()
            item["notes"] = "RRULE:" + activity.rrule + (
                f";UNTIL={activity.valid_until:%Y%m%d}T235900" if activity.valid_until else "")  # local time
        item["description"] = schedule.describe(activity)
        if activity.location_id and activity.online:
            item["attending_type"] = _("ter plekke en online")
        elif activity.location_id or activity.online:
            item["attending_type"] = _("ter plekke") if activity.location_id else _("online")
        return item

    def _language(self, activity: Activity, service: str, code: str) -> dict:
        names = dict(Language.choices)
        return {"id": uid(self.gemeente.code, "language", activity.pk, code), "service_id": service,
                "name": str(names.get(code, code)), "code": LANGUAGE_CODES.get(code, code)}

    def _cost_option(self, activity: Activity, service: str) -> dict:
        item = {"id": uid(self.gemeente.code, "cost-option", activity.pk), "service_id": service,
                "option": str(CostType(activity.cost_type).label), "currency": "EUR"}
        if activity.cost_type == CostType.FREE:
            item["amount"] = 0
        elif activity.cost_type == CostType.AMOUNT and activity.cost_amount is not None:
            item["amount"] = float(activity.cost_amount)
        else:
            item["amount_description"] = _("Wat u wilt en kunt geven.")
        return item

    def _contact(self, activity: Activity, service: str) -> dict:
        ident = uid(self.gemeente.code, "contact", activity.pk)
        item = {"id": ident, "service_id": service}
        if activity.contact_name:
            item["name"] = activity.contact_name
        if activity.contact_email:
            item["email"] = activity.contact_email
        if activity.contact_phone:
            item["phones"] = [{"id": uid(self.gemeente.code, "contact-phone", activity.pk), "contact_id": ident,
                               "number": activity.contact_phone}]
        return item

    def _attributes(self, activity: Activity, service: str) -> list[dict]:
        attributes = []
        for name, (vocabulary, field, _description) in TAXONOMIES.items():
            if field is None:
                codes = [code for code, attr in Accessibility.fields.items() if getattr(activity, attr)]
            else:
                codes = getattr(activity, field) or []
            labels = dict(vocabulary.choices)
            for code in codes:
                if code not in labels:
                    continue
                term = taxonomy_term(name, code, str(labels[code]))
                attributes.append({"id": uid(self.gemeente.code, "attribute", activity.pk, name, code),
                                   "link_id": service, "link_entity": "service", "taxonomy_term_id": term["id"],
                                   "taxonomy_term": term})
        return attributes


def _fees(activity: Activity) -> str:
    if activity.cost_type == CostType.AMOUNT and activity.cost_amount is not None:
        return "€ " + f"{activity.cost_amount:.2f}".replace(".", ",")
    return str(CostType(activity.cost_type).label).capitalize()


def _ages(target_groups: list[str]) -> dict:
    """minimum_age/maximum_age when every target group has an age range (youth 16-25, 65+, 75+)."""
    if not target_groups or any(code not in AGE_RANGES for code in target_groups):
        return {}
    ranges = [AGE_RANGES[code] for code in target_groups]
    ages = {"minimum_age": min(low for low, _high in ranges)}
    if all(high is not None for _low, high in ranges):
        ages["maximum_age"] = max(high for _low, high in ranges)
    return ages


def rrule_fields(rrule: str) -> dict:
    """The HSDS schedule fields of an RRULE (without UNTIL, which comes from the activity's last date).

    HSDS 3.0 knows only WEEKLY and MONTHLY: a daily rule becomes a weekly one on the days it allows (every
    day, or its BYDAY) when that is the same series; otherwise freq is left out and the full rule stays in
    the schedule's notes and description.
    """
    parts = dict(part.split("=", 1) for part in rrule.upper().split(";") if "=" in part)
    freq = parts.pop("FREQ", "")
    interval = int(parts.pop("INTERVAL", "1"))
    fields: dict = {}
    if freq == "DAILY" and interval == 1 and set(parts) <= {"BYDAY", "WKST", "COUNT"}:
        freq, parts["BYDAY"] = "WEEKLY", parts.get("BYDAY") or WEEK
    names = {"BYDAY": "byday", "BYMONTHDAY": "bymonthday", "BYWEEKNO": "byweekno", "BYYEARDAY": "byyearday",
             "WKST": "wkst"}
    if freq not in ("WEEKLY", "MONTHLY") or set(parts) - set(names) - {"COUNT"}:
        return {}
    fields["freq"], fields["interval"] = freq, interval
    for key, name in names.items():
        if key in parts:
            fields[name] = parts[key]
    if "COUNT" in parts:
        fields["count"] = int(parts["COUNT"])
    return fields


def rrule_from_fields(fields: dict) -> str:
    """The RRULE an HSDS schedule's fields describe (the inverse of rrule_fields; for tests and consumers)."""
    if not fields.get("freq"):
        return ""
    parts = [f"FREQ={fields['freq']}"]
    if fields.get("interval", 1) != 1:
        parts.append(f"INTERVAL={int(fields['interval'])}")
    for name in ("byday", "bymonthday", "byweekno", "byyearday", "wkst"):
        if fields.get(name):
            parts.append(f"{name.upper()}={fields[name]}")
    if fields.get("count"):
        parts.append(f"COUNT={int(fields['count'])}")
    return ";".join(parts)


def taxonomy(name: str) -> dict:
    return {"id": taxonomy_id(name), "name": name, "description": TAXONOMIES[name][2], "version": "1"}


def taxonomy_term(name: str, code: str, label: str) -> dict:
    return {"id": taxonomy_term_id(name, code), "code": code, "name": label, "description": label,
            "taxonomy": name, "taxonomy_id": taxonomy_id(name), "language": "nl"}


def taxonomy_terms() -> list[dict]:
    with translation.override("nl"):
        return [taxonomy_term(name, code, str(label)) for name, (vocabulary, _field, _d) in TAXONOMIES.items()
                for code, label in vocabulary.choices]


# --- whole catalogue -------------------------------------------------------------------------------


def services(gemeente: Gemeente, activities: Iterable[Activity] | None = None, *, full: bool = True,
             now: dt.datetime | None = None) -> list[dict]:
    activities = list(published(gemeente, now) if activities is None else activities)
    builder = Builder(gemeente, now).prepare(activities)
    return [builder.service(activity, full=full) for activity in activities]


def organizations(gemeente: Gemeente, items: Iterable[Organisation] | None = None,
                  now: dt.datetime | None = None) -> list[dict]:
    items = organisations_with_activities(gemeente, now) if items is None else items
    builder = Builder(gemeente, now)
    return [builder.organization(item) for item in items]


def locations(gemeente: Gemeente, items: Iterable[Location] | None = None,
              now: dt.datetime | None = None) -> list[dict]:
    items = list(locations_with_activities(gemeente, now) if items is None else items)
    builder = Builder(gemeente, now).prepare([], items)
    with translation.override("nl"):
        return [builder.location(item) for item in items]


def tables(gemeente: Gemeente, now: dt.datetime | None = None) -> dict[str, list[dict]]:
    """Every HSDS table of the public catalogue: flat objects (no nested lists), linked by their ids."""
    result: dict[str, dict[str, dict]] = {name: {} for name in SCHEMA_OF}
    for service in services(gemeente, now=now):
        _flatten(service, "services", result)
    for name in TAXONOMIES:
        result["taxonomies"][taxonomy_id(name)] = taxonomy(name)
    for term in taxonomy_terms():
        result["taxonomy_terms"][term["id"]] = term
    return {name: list(rows.values()) for name, rows in result.items()}


def _flatten(item: dict, table: str, result: dict[str, dict[str, dict]]) -> None:
    flat = {}
    for key, value in item.items():
        if key in TABLE_OF:
            for child in value if isinstance(value, list) else [value]:
                _flatten(child, TABLE_OF[key], result)
        else:
            flat[key] = value
    result[table].setdefault(flat["id"], flat)


def write_tables(gemeente: Gemeente, directory: Path, now: dt.datetime | None = None) -> dict[str, int]:
    """One JSON file per HSDS table (organizations.json, services.json, ...); returns the row counts."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, rows in tables(gemeente, now).items():
        (directory / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
        counts[name] = len(rows)
    return counts
