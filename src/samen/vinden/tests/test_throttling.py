"""Rate limits: an organisation's key is limited by its prefix (not by address), every limit is an atomic
counter in the database that all workers and servers share (parallel requests get exactly the limit, on
SQLite and PostgreSQL), and the intake does not hold the counter's row for the whole request."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client
from django.urls import resolve, reverse

from samen.core import ratelimit
from samen.core.models import Organisation, RateCount
from samen.vinden.models import Signal
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


def test_the_limits_are_counters_in_the_database(keys):
    post(keys[0], "10.0.0.4")
    prefix = keys[0].split(".")[0]
    rows = RateCount.objects.filter(key__startswith=f"throttle_apikey_{prefix}:")
    assert [row.count for row in rows] == [1]
    assert "samen_cache" in connection.introspection.table_names(), "the migration made the cache's table"


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
    clock = Clock((time.time() // 60 + 1) * 60)  # the start of a window (real time: old counters are culled)
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

    from samen.core import ratelimit as throttling

    store = caches["default"]
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


# --- concurrency: the limit holds exactly --------------------------------------------------------------------

def _sqlite_file_connections(tmp_path):
    """A factory of connections, one per thread, to an SQLite file (the test database is in memory, and an
    in-memory database shared between threads reports "table is locked" instead of waiting its turn), with the
    production options (WAL, BEGIN IMMEDIATE) and the counter table."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "counters.sqlite3"), "TEST": {}}

    def make():
        return DatabaseWrapper(dict(settings_dict), alias=f"counters-{threading.get_ident()}")

    with make().schema_editor(atomic=False) as editor:
        editor.create_model(RateCount)
    return make


def _hammer(make_connection, threads: int, each: int, limit: int) -> int:
    """``threads`` threads, each making ``each`` requests under one limit; the number accepted."""
    accepted = []
    start = threading.Barrier(threads)
    window_start = (time.time() // 3600 + 1) * 3600  # the next hour: nothing from the previous window counts

    def client():
        own = make_connection()
        try:
            start.wait(10)
            for _ in range(each):
                decision = ratelimit.sliding_hit("hammer", limit, 3600, window_start + 1, connection=own)
                accepted.append(decision.allowed)
        finally:
            own.close()

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert len(accepted) == threads * each, "every request got an answer"
    return sum(accepted)


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_get_exactly_the_limit(tmp_path):
    if connection.vendor == "sqlite":
        make = _sqlite_file_connections(tmp_path)
    else:
        def make():
            return connections.create_connection("default")
    assert _hammer(make, threads=8, each=25, limit=60) == 60
    assert _hammer(make, threads=8, each=5, limit=60) == 0, "the window is full"


def _parallel(n: int, threads: int, request) -> list[int]:
    statuses, lock, todo = [], threading.Lock(), list(range(n))

    def worker():
        try:
            while True:
                with lock:
                    if not todo:
                        return
                    i = todo.pop()
                status = request(i)
                with lock:
                    statuses.append(status)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(120)
    return statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="requests in threads need PostgreSQL (the SQLite "
                    "test database is in memory); the counter itself is tested on an SQLite file above")
def test_parallel_posts_to_the_public_form_store_exactly_five(hilversum):
    before = Signal.objects.count()

    def concern(i):
        return Client(REMOTE_ADDR="10.7.7.7").post(reverse("vinden:concern"), {
            "postcode": "1211BJ", "house_number": str(i + 1), "description": f"parallel {i}"}).status_code

    statuses = _parallel(40, 8, concern)
    assert sorted(set(statuses)) == [302, 429] and statuses.count(302) == 5
    assert Signal.objects.count() - before == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="requests in threads need PostgreSQL")
def test_parallel_calls_with_one_api_key_get_exactly_its_limit(hilversum, monkeypatch):
    monkeypatch.setattr(ApiKeyRateThrottle, "rate", raising=False, value="12/hour")
    key = apikeys.issue(Organisation.objects.get(gemeente=hilversum, name="PostNL"))

    def call(i):
        return Client(REMOTE_ADDR=f"10.8.0.{i % 200}").post(
            reverse("api:signal-list"), json.dumps({"postcode": "1211AB", "description": f"parallel {i}"}),
            content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code

    statuses = _parallel(40, 8, call)
    assert statuses.count(201) == 12 and statuses.count(429) == 28
