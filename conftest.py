"""Shared test fixtures: the Hilversum demo (loaded once per database), users per role, and
clients that are logged in as a role, with the second factor given."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from samen.core.models import Gemeente, User
from samen.core.roles import Role
from samen.core.services.demo import load_demo
from samen.core.tests.clients import verified_client

ROLES = [role.value for role in Role]

# Tests render templates without running collectstatic first.
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def fresh_cache(request, django_db_blocker):
    """Tests roll their database changes back; no cache may remember them (the per-process ones neither:
    a rolled-back change leaves their version token as it was). The `default` cache is a table in the test
    database: emptied around the tests that use the database (a transactional test commits into it)."""
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    uses_db = bool(DB_FIXTURES & set(request.fixturenames)) or "django_db" in request.keywords

    def clear():
        for each in caches.all():
            if not isinstance(each, BaseDatabaseCache):
                each.clear()
            elif uses_db:
                with django_db_blocker.unblock():
                    each.clear()

    def forget_indexes():  # the catalogue search's per-process index (ids and token can come back after a rollback)
        from samen.kwaliteit.services import search_index

        search_index.forget()

    clear()
    forget_indexes()
    yield
    clear()
    forget_indexes()


@pytest.fixture
def sent_mail(mailoutbox, db):
    """``sent_mail()``: run the outbox's sender (every e-mail goes through samen.core.outbox), then the e-mails
    this test sent so far. What the demo data queued before the test is put aside (rolled back after it)."""
    from samen.core import outbox
    from samen.core.models import OutboxMessage

    OutboxMessage.objects.filter(sent_at__isnull=True).update(next_attempt_at=None)

    def send():
        outbox.send_due()
        return mailoutbox

    return send


@pytest.fixture(autouse=True)
def dutch():
    """Every test starts in Dutch, the site's first language."""
    from django.utils import translation

    with translation.override("nl"):
        yield


def load_demo_gemeente():
    load_demo()
    return Gemeente.objects.get(code="GM0402")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from samen.weten.services.demo import load_monitor_demo

    with django_db_blocker.unblock():
        gemeente = load_demo_gemeente()
        load_monitor_demo(gemeente, years=MONITOR_YEARS, n=MONITOR_N)


@pytest.fixture
def hilversum(db) -> Gemeente:
    # A transactional test may have flushed the session's demo data: load it again then.
    if not Gemeente.objects.filter(code="GM0402").exists():
        load_demo()
    return Gemeente.objects.get(code="GM0402")


MONITOR_YEARS = (2016, 2019, 2022)
MONITOR_N = 1500


@pytest.fixture
def monitor_data(hilversum):
    """Three synthetic waves of 1,500 respondents (smaller than the demo's, enough for every wijk)."""
    from samen.weten.models import Wave
    from samen.weten.services.demo import load_monitor_demo

    if not Wave.objects.filter(gemeente=hilversum).exists():
        load_monitor_demo(hilversum, years=MONITOR_YEARS, n=MONITOR_N)
    return hilversum


@pytest.fixture
def demo_user(hilversum):
    def get(role: str) -> User:
        return User.objects.get(username=role)

    return get




@pytest.fixture
def client_as(demo_user):
    def make(role: str) -> Client:
        return verified_client(demo_user(role))

    return make
