"""GET /api/v1/activities/: the public search API, its errors (problem+json naming the parameter),
one activity, and its OpenAPI description."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samen.kwaliteit.models import Activity
from samen.kwaliteit.services.search import search
from samen.kwaliteit.tests.factories import InterventionFactory
from samen.kwaliteit.tests.test_search import Town

URL = "/api/v1/activities/"


@pytest.fixture
def town(db):
    return Town()


@pytest.fixture
def api():
    return Client(HTTP_HOST="localhost")


def get(api, town, **params):
    return api.get(URL, {"gemeente": town.gemeente.code, **params})


def test_anyone_searches_with_the_same_result_as_the_finder(api, town):
    walk = town.activity(town.a1, title="Wandelen", interests=["walking"])
    town.activity(town.c1, title="Ver wandelen", interests=["walking"])
    town.activity(town.a1, title="Eten", interests=["eating"])
    response = get(api, town, interest="walking", postcode="1000AA", house_number="3")
    assert response.status_code == 200
    body = response.json()
    expected = [a.pk for a in search(town.gemeente, interest="walking", postcode="1000AA",
                                     house_number="3").activities]
    assert [row["id"] for row in body["results"]] == expected and body["count"] == 2
    first = body["results"][0]
    assert first["id"] == walk.pk and first["proximity"] == 0 and first["wijk"]["code"] == town.a.code
    assert first["schedule"] == "elke week op dinsdag, 10:00-12:00"
    assert first["next_date"] is not None and first["organiser"]["name"] == "Buurtkracht"
    assert first["url"].endswith(f"/activiteiten/{walk.pk}/")
    assert first["calendar_url"].endswith(f"/activiteiten/{walk.pk}/agenda.ics")


def test_interest_repeated_or_comma_separated(api, town):
    walk = town.activity(town.a1, interests=["walking"])
    meal = town.activity(town.a1, interests=["eating"])
    town.activity(town.a1, interests=["music"])
    for query in ({"interest": ["walking", "eating"]}, {"interest": "walking,eating"}):
        assert {row["id"] for row in get(api, town, **query).json()["results"]} == {walk.pk, meal.pk}


def test_pages_of_results(api, town):
    for index in range(23):
        town.activity(town.a1, title=f"Activiteit {index}")
    body = get(api, town, page_size=3, page=2).json()
    assert body["count"] == 23 and len(body["results"]) == 3 and body["next"] and body["previous"]
    assert len(get(api, town).json()["results"]) == 20  # as the finder's page


@pytest.mark.parametrize(("params", "parameter"), [
    ({"wjik": "WK040201"}, "wjik"),
    ({"wijk": "WK999999"}, "wijk"),
    ({"postcode": "1234"}, "postcode"),
    ({"postcode": "9999XX"}, "postcode"),
    ({"postcode": "1000AA", "house_number": "0"}, "house_number"),
    ({"day": "31-12-2026"}, "day"),
    ({"part": "nacht"}, "part"),
    ({"interest": "knitting"}, "interest"),
    ({"target_group": "65+"}, "target_group"),
    ({"free": "misschien"}, "free"),
])
def test_a_bad_parameter_is_a_problem_naming_it(api, town, params, parameter):
    response = get(api, town, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert list(body["errors"]) == [parameter] and body["detail"].startswith(f"{parameter}:")
    assert body["title"] == "Ongeldige invoer"


def test_one_activity_with_its_dates_and_interventions(api, town):
    activity = town.activity(town.a1, title="Zin in vriendschap", how_to_join="Bel Anne.",
                             contact_phone="035 123 45 67")
    activity.interventions.add(InterventionFactory(gemeente=town.gemeente, name="Zin in vriendschap",
                                                   recognition="good"))
    response = api.get(f"{URL}{activity.pk}/", {"gemeente": town.gemeente.code})
    assert response.status_code == 200
    body = response.json()
    assert body["how_to_join"] == "Bel Anne." and body["contact_phone"] == "035 123 45 67"
    assert body["interventions"][0]["recognition_label"] == "effectief volgens goede aanwijzingen"
    assert len(body["next_dates"]) == 5 and body["next_dates"][0] == body["next_date"]
    assert body["next_dates"] == sorted(body["next_dates"])
    assert dt.date.fromisoformat(body["next_date"]) >= timezone.localdate()


@pytest.mark.parametrize("change", [{"status": Activity.Status.DRAFT}, {"status": Activity.Status.WITHDRAWN},
                                    {"confirmed_at": "stale"}])
def test_an_activity_off_the_public_site_is_not_found(api, town, change):
    if change.get("confirmed_at") == "stale":
        change = {"confirmed_at": timezone.now() - dt.timedelta(days=400)}
    activity = town.activity(town.a1, **change)
    response = api.get(f"{URL}{activity.pk}/", {"gemeente": town.gemeente.code})
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert activity.pk not in [row["id"] for row in get(api, town).json()["results"]]


def test_the_demo_needs_no_municipality_parameter(api, hilversum):
    body = api.get(URL, {"wijk": "WK040204"}).json()
    assert body["count"] > 0 and {row["wijk"]["code"] for row in body["results"]} == {"WK040204"}


def catalogue_queries(api, town, **params) -> list[str]:
    """The queries of one request, without the rate limit's bookkeeping (core_ratecount), the shared cache's
    (samen_cache) and savepoints."""
    with CaptureQueriesContext(connection) as context:
        response = get(api, town, **params)
    assert response.status_code == 200
    return [q["sql"] for q in context.captured_queries
            if "samen_cache" not in q["sql"] and "core_ratecount" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


def test_a_page_costs_a_fixed_number_of_queries(api, town):
    for index in range(30):
        town.activity([town.a1, town.b1, town.c1][index % 3], title=f"Activiteit {index}")
    from django.core.cache import cache

    catalogue_queries(api, town)  # the first search of the process builds its index (two queries more)
    cache.clear()
    small = catalogue_queries(api, town, postcode="1000AA", page_size=3)
    cache.clear()
    large = catalogue_queries(api, town, postcode="1000AA", page_size=30)
    # gemeente, postcode, the wijken's order (else cached), the catalogue's token, the page's activities
    assert len(large) == len(small) == 5


def test_the_schema_documents_the_search_parameters(api, hilversum):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/activities/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "wijk", "postcode", "house_number", "day", "part", "interest", "target_group", "free",
            "accessible", "online", "page", "page_size"} <= names
    assert "/api/v1/activities/{id}/" in schema["paths"]


def test_the_written_out_representation_is_what_drf_would_write(town, rf):
    """The serializers write their fields out by hand for speed; DRF's generic machinery, on the same
    declared fields, must give the same JSON for every kind of activity."""
    from rest_framework import serializers

    from samen.kwaliteit.api import ActivityDetailSerializer, ActivitySerializer

    town.activity(town.a1, cost_type="amount", cost_amount="4.5", end_time=None, capacity=12)
    town.activity(None, rrule="", start_date=timezone.localdate() + dt.timedelta(days=3), cost_type="donation")
    town.activity(town.c1, valid_until=timezone.localdate() + dt.timedelta(days=90), hearing_loop=True,
                  target_groups=["65plus", "carers"], languages=["nl", "ar"])
    request = rf.get("/api/v1/activities/", HTTP_HOST="localhost")
    found = search(town.gemeente, postcode="1000AA")
    for activity in found.results[0:10]:
        for kind in (ActivitySerializer, ActivityDetailSerializer):
            activity.upcoming = list(activity.occurrences.order_by("date")[:5])
            serializer = kind(activity, context={"request": request})
            assert serializer.data == serializers.Serializer.to_representation(serializer, activity)


def test_an_anonymous_search_is_counted_once_and_still_limited(api, town, monkeypatch):
    from samen.vinden.throttling import AnonRateThrottle

    town.activity(town.a1)
    with CaptureQueriesContext(connection) as context:
        assert get(api, town).status_code == 200
    cache_keys = " ".join(q["sql"] for q in context.captured_queries if "core_ratecount" in q["sql"])
    assert "throttle_anon" in cache_keys and "throttle_user" not in cache_keys
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/minute"})
    statuses = [get(api, town).status_code for _ in range(3)]
    assert statuses[-1] == 429
