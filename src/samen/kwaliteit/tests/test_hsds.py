"""The Open Referral HSDS 3.0 export and API, validated against the shared HSDS schemas."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from functools import cache
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from samen.core.models import Organisation
from samen.kwaliteit import schedule
from samen.kwaliteit.models import Activity
from samen.kwaliteit.services import catalogue, hsds, transfer

# The HSDS 3.0 schemas (openreferral/specification, branch 3.0; see SOURCE.txt): the copy shipped in
# kwaliteit/hsds3/ so that a clean clone tests without anything beside it; a test below keeps that copy
# identical to the project's shared one where the shared folder is present.
VENDORED_DIR = Path(__file__).resolve().parents[1] / "hsds3" / "schema"
SHARED_DIR = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "hsds3" / "schema"
SCHEMA_DIR = Path(os.environ.get("SAMEN_HSDS_SCHEMA_DIR") or VENDORED_DIR)


def test_the_shipped_schemas_are_the_shared_ones():
    if not SHARED_DIR.is_dir():
        pytest.skip("no shared folder beside this checkout")
    shared = {path.name: path.read_bytes() for path in SHARED_DIR.glob("*")}
    shipped = {path.name: path.read_bytes() for path in VENDORED_DIR.glob("*")}
    assert shipped == shared


@cache
def validators() -> dict[str, Draft202012Validator]:
    """One validator per schema file; "$ref": "phone.json" resolves through a registry of all the files."""
    assert SCHEMA_DIR.is_dir(), f"the HSDS schemas are not at {SCHEMA_DIR} (set SAMEN_HSDS_SCHEMA_DIR)"
    schemas = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA_DIR.glob("*.json")}
    registry = Registry().with_resources(
        (f"{name}.json", Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    return {name: Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
            for name, schema in schemas.items()}


def problems(schema: str, item: dict) -> list[str]:
    return [f"{schema} {item.get('id')}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validators()[schema].iter_errors(item)]


@pytest.fixture
def with_example(demo_user):
    """The demo plus the example import: contacts, an online activity, an end date, interventions."""
    report = transfer.import_activities(demo_user("regisseur"), transfer.EXAMPLE_FILE.read_bytes(), "voorbeeld.csv")
    assert report.ok, report.problems


# --- the export ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_object_of_the_demo_export_validates_against_the_hsds_schemas(hilversum, with_example):
    tables = hsds.tables(hilversum)
    public = catalogue.public_activities(hilversum)
    assert len(tables["services"]) == public.count() > 50
    for name in ("organizations", "locations", "addresses", "schedules", "contacts", "phones", "languages",
                 "cost_options", "attributes", "taxonomies", "taxonomy_terms", "service_at_locations",
                 "accessibility"):
        assert tables[name], f"the demo export has no {name}"
    found = [p for name, rows in tables.items() for row in rows for p in problems(hsds.SCHEMA_OF[name], row)]
    assert not found, found[:10]
    nested = hsds.services(hilversum)  # the API's fully nested services
    found = [p for service in nested for p in problems("service", service)]
    assert not found, found[:10]


@pytest.mark.django_db
def test_the_schema_check_catches_a_wrong_object():
    """The validation above can fail: a service without a status, with a bad id and a wrong freq."""
    wrong = {"id": "not-a-uuid", "name": "x", "schedules": [{"id": hsds.uid("s"), "freq": "DAILY"}]}
    found = problems("service", wrong)
    assert any("status" in p for p in found) and any("uuid" in p for p in found)
    assert any("DAILY" in p for p in found)


@pytest.mark.django_db
def test_the_tables_link_up_and_ids_are_unique(hilversum, with_example):
    tables = hsds.tables(hilversum)
    ids = {name: {row["id"] for row in rows} for name, rows in tables.items()}
    everything = [row["id"] for rows in tables.values() for row in rows]
    assert len(everything) == len(set(everything))
    assert {s["organization_id"] for s in tables["services"]} <= ids["organizations"]
    assert {s["location_id"] for s in tables["service_at_locations"]} <= ids["locations"]
    assert {s["service_id"] for s in tables["schedules"]} <= ids["services"]
    assert {a["location_id"] for a in tables["addresses"]} <= ids["locations"]
    assert {a["taxonomy_term_id"] for a in tables["attributes"]} <= ids["taxonomy_terms"]
    assert {t["taxonomy_id"] for t in tables["taxonomy_terms"]} <= ids["taxonomies"]
    assert all("schedules" not in s and "organization" not in s for s in tables["services"])  # flat


@pytest.mark.django_db
def test_the_example_activities_map_as_expected(hilversum, with_example):
    by_name = {s["name"]: s for s in hsds.services(hilversum)}
    course = by_name["Cursus Vrienden maken kun je leren"]
    schedule = course["schedules"][0]
    assert (schedule["freq"], schedule["interval"], schedule["byday"]) == ("WEEKLY", 1, "WE")
    assert (schedule["dtstart"], schedule["until"], schedule["valid_to"]) == ("2027-02-03", "2027-03-24",
                                                                               "2027-03-24")
    assert schedule["opens_at"] == "10:00+01:00" and schedule["timezone"] == 1
    assert course["minimum_age"] == 65 and "maximum_age" not in course
    assert "Vrienden maken kun je leren (Movisie: goed onderbouwd)" in course["accreditations"]
    assert course["contacts"][0]["name"] == "Fatima Bakker"
    assert course["contacts"][0]["phones"][0]["number"] == "035 123 45 67"
    online = by_name["Online spelletjesavond"]
    [place] = online["service_at_locations"]
    assert place["location"]["location_type"] == "virtual"
    assert place["location"]["url"] == "https://samen.example/spelletjesavond"
    assert "minimum_age" not in online  # youth and carers: carers have no age range
    assert {lang["code"] for lang in online["languages"]} == {"nl", "en"}
    lunch = by_name["Buurtlunch in de themaweek"]["schedules"][0]
    assert "freq" not in lunch and lunch["valid_from"] == lunch["valid_to"] == "2027-09-30"
    assert by_name["Buurtlunch in de themaweek"]["cost_options"][0]["option"] == "vrijwillige bijdrage"
    cooking = by_name["Samen koken voor beginners"]
    assert cooking["cost_options"][0]["amount"] == 3.0 and cooking["fees_description"] == "€ 3,00"
    codes = {a["taxonomy_term"]["code"] for a in cooking["attributes"]}
    assert {"65plus", "everyone", "eating", "learning", "social", "wheelchair", "public_transport"} <= codes


@pytest.mark.django_db
def test_repeated_exports_are_identical_and_ids_are_uuid5_of_the_record(hilversum, tmp_path):
    out = io.StringIO()
    call_command("catalogue", "export", "--format", "hsds", str(tmp_path / "a"), stdout=out)
    call_command("catalogue", "export", "--format", "hsds", str(tmp_path / "b"), stdout=out)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "services.json" in names and "service_at_locations.json" in names and "addresses.json" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    activity = catalogue.public_activities(hilversum).order_by("pk").first()
    services = json.loads((tmp_path / "a" / "services.json").read_text(encoding="utf-8"))
    assert services[0]["id"] == hsds.uid("GM0402", "service", activity.pk) == hsds.service_id(hilversum, activity.pk)
    found = [p for s in services for p in problems("service", s)]
    assert not found, found[:5]


@pytest.mark.django_db
def test_withdrawn_and_hidden_activities_are_not_exported(hilversum):
    hidden = Activity.objects.filter(gemeente=hilversum).exclude(
        pk__in=catalogue.public_activities(hilversum).values("pk"))
    assert hidden.exists()  # the demo has a stale-and-hidden and a draft entry
    exported = {s["id"] for s in hsds.tables(hilversum)["services"]}
    assert not exported & {hsds.service_id(hilversum, pk) for pk in hidden.values_list("pk", flat=True)}


# --- the schedule mapping (pure) -------------------------------------------------------------------


DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def rules(draw):
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 4))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    days = draw(st.lists(st.sampled_from(DAYS), min_size=0, max_size=3, unique=True))
    if freq == "MONTHLY" and days and draw(st.booleans()):
        days = [f"{draw(st.sampled_from([1, 2, 3, 4, -1]))}{day}" for day in days]
    if days:
        parts.append("BYDAY=" + ",".join(days))
    elif freq == "MONTHLY" and draw(st.booleans()):
        parts.append("BYMONTHDAY=" + ",".join(map(str, draw(st.lists(st.integers(1, 28), min_size=1,
                                                                                 max_size=3, unique=True)))))
    return ";".join(parts)


@settings(max_examples=150, deadline=None)
@given(rule=rules(), start=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
def test_hsds_schedule_fields_describe_the_same_dates_as_the_rule(rule, start):
    fields = hsds.rrule_fields(rule)
    begin = dt.datetime.combine(start, dt.time(10, 0))
    window = (begin, begin + dt.timedelta(days=400))
    original = rrulestr(rule, dtstart=begin).between(*window, inc=True)
    if not fields:  # not expressible in HSDS 3.0 (a daily rule with an interval): the notes keep the rule
        assert rule.startswith("FREQ=DAILY") and "INTERVAL" in rule
        return
    assert fields["freq"] in ("WEEKLY", "MONTHLY")
    again = rrulestr(hsds.rrule_from_fields(fields), dtstart=begin).between(*window, inc=True)
    assert again == original


def test_yearly_rules_and_unknown_parts_are_left_to_the_notes():
    assert hsds.rrule_fields("FREQ=YEARLY;BYMONTH=9") == {}
    assert hsds.rrule_fields("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2") == {}
    assert hsds.rrule_fields("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU") == {"freq": "MONTHLY", "interval": 2,
                                                                      "byday": "2TU"}


# --- the API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_service_list_is_an_hsds_page_that_validates(client, hilversum):
    response = client.get(reverse("api:hsds-service-list"), {"per_page": 20, "page": 2})
    assert response.status_code == 200
    page = response.json()
    total = catalogue.public_activities(hilversum).count()
    assert page["total_items"] == total and page["page_number"] == 2 and page["size"] == 20
    assert page["total_pages"] == -(-total // 20) and not page["first_page"] and not page["empty"]
    assert all(not problems("service", item) for item in page["contents"])
    assert all("schedules" not in item for item in page["contents"])  # one-to-one fields only
    full = client.get(reverse("api:hsds-service-list"), {"per_page": 5, "full": "true"}).json()
    assert all(item["schedules"] and not problems("service", item) for item in full["contents"])


@pytest.mark.django_db
def test_service_list_filters(client, hilversum):
    url = reverse("api:hsds-service-list")
    walking = hsds.taxonomy_term_id("samen-interesses", "walking")
    page = client.get(url, {"taxonomy_term_id": walking, "per_page": 200}).json()
    expected = catalogue.public_activities(hilversum).filter(interests__has_code="walking").count()
    assert page["total_items"] == expected > 0
    heikracht = Organisation.objects.get(gemeente=hilversum, name="Heikracht")
    page = client.get(url, {"organization_id": hsds.organization_id(hilversum, heikracht.pk)}).json()
    assert {s["name"] for s in page["contents"]} == set(
        catalogue.public_activities(hilversum).filter(organisation=heikracht).values_list("title", flat=True))
    assert client.get(url, {"search": "Bethlehemkerk"}).json()["total_items"] >= 1
    assert client.get(url, {"taxonomy_term_id": hsds.uid("nothing")}).json()["empty"] is True
    assert client.get(url, {"per_page": 1000}).status_code == 400


@pytest.mark.django_db
def test_service_detail_by_hsds_id_or_samen_number(client, hilversum):
    activity = catalogue.public_activities(hilversum).get(title="Maandelijkse maaltijd in de Bethlehemkerk")
    ident = hsds.service_id(hilversum, activity.pk)
    by_id = client.get(reverse("api:hsds-activity-detail", kwargs={"pk": ident}))
    assert by_id.status_code == 200
    service = by_id.json()
    assert service["id"] == ident and not problems("service", service)
    assert service["organization"]["name"] == "Heikracht" and service["schedules"][0]["byday"] == "3WE"
    by_number = client.get(reverse("api:hsds-activity-detail", kwargs={"pk": activity.pk}))
    assert by_number.json() == service
    assert client.get(reverse("api:hsds-activity-detail", kwargs={"pk": hsds.uid("x")})).status_code == 404
    hidden = Activity.objects.filter(gemeente=hilversum).exclude(
        pk__in=catalogue.public_activities(hilversum).values("pk")).first()
    assert client.get(reverse("api:hsds-activity-detail", kwargs={"pk": hidden.pk})).status_code == 404


@pytest.mark.django_db
def test_organizations_locations_and_taxonomies_validate(client, hilversum):
    organisations = client.get(reverse("api:hsds-organization-list")).json()
    assert organisations["total_items"] == hsds.organisations_with_activities(hilversum).count()
    assert all(not problems("organization", o) for o in organisations["contents"])
    versa = Organisation.objects.get(gemeente=hilversum, name="Versa Welzijn")
    detail = client.get(reverse("api:hsds-organisation-detail",
                                kwargs={"pk": hsds.organization_id(hilversum, versa.pk)})).json()
    assert detail["name"] == "Versa Welzijn" and not problems("organization", detail)
    assert detail["services"] and all(not problems("service", s) for s in detail["services"])
    police = Organisation.objects.get(gemeente=hilversum, name="Politie basisteam Hilversum")  # no activities
    assert client.get(reverse("api:hsds-organisation-detail", kwargs={"pk": police.pk})).status_code == 404
    locations = client.get(reverse("api:hsds-location-list"), {"per_page": 200}).json()
    assert locations["contents"] and all(not problems("location", loc) for loc in locations["contents"])
    taxonomies = client.get(reverse("api:hsds-taxonomy-list")).json()
    assert taxonomies["total_items"] == 4 and all(not problems("taxonomy", t) for t in taxonomies["contents"])
    terms = client.get(reverse("api:hsds-taxonomy-term-list"), {"per_page": 200}).json()
    assert terms["total_items"] == 26 and all(not problems("taxonomy_term", t) for t in terms["contents"])


@pytest.mark.django_db
def test_the_index_and_the_openapi_schema_describe_the_hsds_api(client):
    index = client.get(reverse("api:hsds-index")).json()
    assert index["version"] == "3.0" and index["openapi_url"].endswith("/api/v1/schema/")
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/hsds/services", "/api/v1/hsds/services/{id}", "/api/v1/hsds/organizations",
                 "/api/v1/hsds/locations", "/api/v1/hsds/taxonomy_terms"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/hsds/services"]["get"]["parameters"]}
    assert {"page", "per_page", "search", "organization_id", "taxonomy_term_id", "full"} <= parameters


def test_a_schedule_over_the_change_to_summer_time_gets_each_offset():
    """HSDS 3.0 has one fixed UTC offset per schedule: a weekly activity from winter into summer is cut in two."""
    periods = schedule.offset_periods(dt.date(2027, 3, 2), dt.time(10), "FREQ=WEEKLY;BYDAY=TU",
                                      dt.date(2027, 4, 27), today=dt.date(2027, 1, 1))
    assert [(p.valid_from, p.valid_to, p.first, p.offset) for p in periods] == [
        (dt.date(2027, 3, 2), dt.date(2027, 3, 27), dt.date(2027, 3, 2), dt.timedelta(hours=1)),
        (dt.date(2027, 3, 28), dt.date(2027, 4, 27), dt.date(2027, 3, 30), dt.timedelta(hours=2))]
    open_ended = schedule.offset_periods(dt.date(2026, 1, 5), dt.time(19), "FREQ=WEEKLY;BYDAY=MO", None,
                                         today=dt.date(2026, 12, 2))
    assert open_ended[0].valid_from <= dt.date(2026, 12, 2) and open_ended[-1].valid_to is None
    assert all(p.first.weekday() == 0 for p in open_ended)
    assert {p.offset for p in open_ended} == {dt.timedelta(hours=1), dt.timedelta(hours=2)}


@pytest.mark.django_db
def test_exported_schedules_carry_the_offset_of_their_season(hilversum, with_example):
    activity = Activity.objects.filter(gemeente=hilversum, status=Activity.Status.PUBLISHED).first()
    Activity.objects.filter(pk=activity.pk).update(start_date=dt.date(2027, 3, 2), start_time=dt.time(10),
                                                   end_time=dt.time(11), rrule="FREQ=WEEKLY;BYDAY=TU",
                                                   valid_until=dt.date(2027, 4, 27))
    [service] = [s for s in hsds.services(hilversum) if s["id"] == hsds.service_id(hilversum, activity.pk)]
    winter, summer = service["schedules"]
    assert (winter["opens_at"], winter["timezone"], winter["valid_to"]) == ("10:00+01:00", 1, "2027-03-27")
    assert (summer["opens_at"], summer["closes_at"], summer["timezone"]) == ("10:00+02:00", "11:00+02:00", 2)
    assert summer["dtstart"] == "2027-03-30" and winter["id"] != summer["id"]
    assert not problems("schedule", winter) and not problems("schedule", summer)
