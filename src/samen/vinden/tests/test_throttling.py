"""API rate limits: an organisation's key is limited by its prefix (not by address), every limit lives in the
database cache that all workers share, and the intake does not hold the counter's row for the whole request."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse

from samen.core.models import Organisation
from samen.vinden.services import apikeys
from samen.vinden.throttling import AnonRateThrottle, ApiKeyRateThrottle, UserRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(hilversum):
    postnl = Organisation.objects.get(gemeente=hilversum, name="PostNL")
    return apikeys.issue(postnl), apikeys.issue(postnl)


def post(key, address, n=1):
    statuses = []
    for i in range(n):
        response = Client(REMOTE_ADDR=address).post(
            reverse("api:signal-list"), json.dumps({"postcode": "1211AB", "description": f"throttle {i}"}),
            content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}")
        statuses.append(response.status_code)
    return statuses, response


def test_a_key_is_limited_by_its_prefix_wherever_it_comes_from(keys, monkeypatch):
    monkeypatch.setattr(ApiKeyRateThrottle, "rate", raising=False, value="3/minute")
    first, second = keys
    assert post(first, "10.0.0.1", 2)[0] == [201, 201]
    assert post(first, "10.0.0.2")[0] == [201]
    statuses, refused = post(first, "10.0.0.3")
    assert statuses == [429], "a new address does not reset the key's count"
    assert refused["Content-Type"] == "application/problem+json" and int(refused["Retry-After"]) >= 1
    assert post(second, "10.0.0.1")[0] == [201], "another key from the same address has its own limit"


def test_key_calls_are_not_counted_per_address(keys, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", raising=False, value="2/minute")
    monkeypatch.setattr(UserRateThrottle, "rate", raising=False, value="2/minute")
    assert post(keys[0], "10.0.0.9", 4)[0] == [201] * 4
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.request import Request as DrfRequest
    from rest_framework.test import APIRequestFactory

    request = DrfRequest(APIRequestFactory().get("/", REMOTE_ADDR="10.0.0.9"))
    request.user = AnonymousUser()
    anonymous = [AnonRateThrottle().allow_request(request, None) for _ in range(3)]
    assert anonymous == [True, True, False], "anonymous callers are still limited by address"


def test_the_limits_live_in_the_database_cache(keys):
    post(keys[0], "10.0.0.4")
    prefix = keys[0].split(".")[0]
    assert caches["throttle"].get(f"throttle_apikey_{prefix}")[1:] == (1, 0)
    assert cache.get(f"throttle_apikey_{prefix}") is None, "not in the file cache any more"
    assert "samen_cache" in connection.introspection.table_names(), "the migration made the table"


def test_the_intake_is_not_one_long_transaction():
    view = resolve(reverse("api:signal-list")).func
    assert view._non_atomic_requests == {"default"}


class Clock:
    def __init__(self, t):
        self.t = t

    def __call__(self):
        return self.t


class Key:
    prefix = "abcd1234"


class Request:
    def __init__(self):
        from samen.vinden.models import ApiKey

        self.auth = ApiKey(prefix=Key.prefix)


def test_the_key_limit_is_a_sliding_window(db, monkeypatch):
    monkeypatch.setattr(ApiKeyRateThrottle, "rate", raising=False, value="10/minute")
    clock = Clock(60 * 1000.0)  # the start of a window
    monkeypatch.setattr(ApiKeyRateThrottle, "timer", clock)

    def allowed(n):
        return sum(ApiKeyRateThrottle().allow_request(Request(), None) for _ in range(n))

    assert allowed(12) == 10
    clock.t += 30  # half-way the window: still 10 counted
    assert allowed(1) == 0
    clock.t += 30 + 15  # a quarter into the next window: 10 × 0.75 = 7.5 of the previous window still count
    assert allowed(5) == 3
    throttle = ApiKeyRateThrottle()
    assert not throttle.allow_request(Request(), None) and 0 < throttle.wait() <= 60
    clock.t += 3 * 60  # a quiet spell: everything forgotten
    assert allowed(10) == 10


def test_the_throttle_cache_writes_in_one_statement_and_still_culls(db, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from samen.vinden import throttling

    store = caches["throttle"]
    with CaptureQueriesContext(connection) as queries:
        store.set("one", {"n": 1}, 60)
        store.set("one", {"n": 2}, 60)
    assert len(queries.captured_queries) == 2 and "ON CONFLICT" in queries.captured_queries[0]["sql"]
    assert store.get("one") == {"n": 2}
    store.set("forever", "x", None)
    store.set("gone", "x", -1)
    assert store.get("forever") == "x" and store.get("gone") is None
    assert store.add("one", "not over an existing key") is False and store.get("one") == {"n": 2}
    monkeypatch.setattr(throttling, "CULL_EVERY", 1)
    monkeypatch.setattr(store, "_max_entries", 3)
    for i in range(6):
        store.set(f"many{i}", i, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM samen_cache")
        assert cursor.fetchone()[0] <= 4
