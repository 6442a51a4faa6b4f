"""API rate limits, kept in the `throttle` cache (a DatabaseCache, settings.CACHES; ADR 22).

- ``AnonRateThrottle``: anonymous callers, by address (DRF's rule, ``anon`` rate).
- ``UserRateThrottle``: logged-in users and token holders, by account (``user`` rate).
- ``ApiKeyRateThrottle``: an organisation's machine channel (``Authorization: Api-Key``), by the key's prefix
  (``apikey`` rate). A key is one client, wherever its requests come from: a relay with many addresses gets
  no more, and two organisations behind one address do not share a limit. The first two leave key callers
  alone.

The database is the one store every gunicorn worker (and every server) shares, so a limit is a limit for the
whole installation, not per process. DRF's read-then-write counting is not atomic: under concurrent requests
a few more than the limit may pass (DRF documents the same for every cache).

``DatabaseCache`` (the ``throttle`` alias's backend) is Django's, with a ``set`` of one statement: an upsert
(``INSERT ... ON CONFLICT DO UPDATE``, PostgreSQL and SQLite) instead of a count of the table, a select and an
update or insert in a transaction (five round trips to the database on every throttled request). It looks
whether the table needs culling on one ``set`` in ``CULL_EVERY`` only.

The key throttle counts with a sliding-window estimate (this window's count plus the previous window's,
weighted by how much of it still overlaps) in one small cache entry per key, instead of DRF's list of every
request's timestamp, which at hundreds of requests a minute would be a large value to rewrite on each request.
"""

from __future__ import annotations

import base64
import math
import pickle
import random
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connections, router
from django.utils import timezone
from django.utils.connection import ConnectionProxy
from rest_framework import throttling

CULL_EVERY = 100


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with a one-statement ``set`` (see the module's docstring)."""

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        if connection.vendor not in ("postgresql", "sqlite"):
            return self._base_set("set", key, value, timeout)
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        table, k, v, e = (connection.ops.quote_name(name) for name in (self._table, "cache_key", "value", "expires"))
        upsert = f"INSERT INTO {table} ({k}, {v}, {e}) VALUES (%s, %s, %s) ON CONFLICT ({k}) DO UPDATE SET {v} = excluded.{v}, {e} = excluded.{e}"  # noqa: E501,S608 -- quoted names
        with connection.cursor() as cursor:
            cursor.execute(upsert, [key, encoded, expires])
            if random.randrange(CULL_EVERY) == 0:  # noqa: S311 -- when to tidy up, not a secret
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 -- the table name is quoted
                number = cursor.fetchone()[0]
                if number > self._max_entries:
                    self._cull(alias, cursor, timezone.now().replace(microsecond=0), number)

throttle_cache = ConnectionProxy(caches, "throttle")


def _is_key(request) -> bool:
    from samen.vinden.models import ApiKey

    return isinstance(getattr(request, "auth", None), ApiKey)


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = throttle_cache

    def get_cache_key(self, request, view):
        return None if _is_key(request) else super().get_cache_key(request, view)


class UserRateThrottle(throttling.UserRateThrottle):
    cache = throttle_cache

    def get_cache_key(self, request, view):
        return None if _is_key(request) else super().get_cache_key(request, view)


class ApiKeyRateThrottle(throttling.SimpleRateThrottle):
    """At most ``apikey`` requests per period per API key (sliding-window estimate)."""

    cache = throttle_cache
    scope = "apikey"

    def get_cache_key(self, request, view):
        if not _is_key(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window, into = divmod(now / self.duration, 1)
        window = int(window)
        current, previous = self._counts(self.cache.get(self.key), window)
        estimate = previous * (1 - into) + current
        if estimate >= self.num_requests:
            self._wait = self._wait_for(current, previous, into)
            return self.throttle_failure()
        self.cache.set(self.key, (window, current + 1, previous), 2 * self.duration)
        return True

    @staticmethod
    def _counts(state, window: int) -> tuple[int, int]:
        """(this window's count, the previous window's count) from the stored (window, count, previous)."""
        if not state:
            return 0, 0
        stored, count, previous = state
        if stored == window:
            return count, previous
        if stored == window - 1:
            return 0, count
        return 0, 0

    def _wait_for(self, current: int, previous: int, into: float) -> float:
        """Seconds until the estimate falls under the limit, if no other request comes in."""
        if current >= self.num_requests:  # wait for the next window, then for this window's weight to fall
            fraction = 1 - into + max(0.0, 1 - self.num_requests / current)
        else:
            fraction = max(0.0, 1 - (self.num_requests - current) / previous - into)
        return math.ceil(fraction * self.duration * 1000) / 1000

    def wait(self):
        return getattr(self, "_wait", None)
