"""Rate limits that hold under concurrency and across servers: atomic counters in the database.

Each request of a limited client is one statement on the ``core_ratecount`` table::

    INSERT INTO core_ratecount (key, count, expires) VALUES (%s, 1, %s)
    ON CONFLICT (key) DO UPDATE SET count = core_ratecount.count + 1 WHERE core_ratecount.count < %s
    RETURNING count

The database applies it to the row at once (PostgreSQL takes the row's lock, SQLite the write lock), so two
requests at the same moment never both read the old count: a row comes back when the request fits under the
cap, nothing when the window is full. The count is of accepted requests only. The database is the one store
every worker and every server shares, so a limit is one limit for the whole installation (issue 11, item 5:
DRF's cache throttles read, then write, and lost increments under 16 parallel clients).

Windows are fixed (``key:window number``) and a request is measured with a sliding-window estimate: this
window's count plus the previous window's, weighted by how much of it still overlaps. Expired rows are
deleted now and then (one request in ``CULL_EVERY``).

Also here: ``DatabaseCache``, Django's database cache with a one-statement ``set`` (an upsert instead of a
count of the table, a select and an update or insert), for the ``default`` cache that every server shares.
"""

from __future__ import annotations

import base64
import math
import pickle
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connections, router
from django.utils import timezone

CULL_EVERY = 100


def _connection():
    from samen.core.models import RateCount

    return connections[router.db_for_write(RateCount)]


def _names(connection) -> tuple[str, str, str, str]:
    from samen.core.models import RateCount

    quote = connection.ops.quote_name
    return quote(RateCount._meta.db_table), quote("key"), quote("count"), quote("expires")


def hit(key: str, cap: int, expires: datetime, *, connection=None) -> int | None:
    """Count one request under ``key`` if the count is below ``cap``: the new count, or None when it is full.
    One atomic statement (see the module's docstring)."""
    if cap <= 0:
        return None
    connection = connection or _connection()
    table, k, c, e = _names(connection)
    expires = connection.ops.adapt_datetimefield_value(expires)
    sql = (f"INSERT INTO {table} ({k}, {c}, {e}) VALUES (%s, 1, %s) ON CONFLICT ({k}) DO UPDATE "  # noqa: S608
           f"SET {c} = {table}.{c} + 1 WHERE {table}.{c} < %s RETURNING {c}")  # quoted names
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, expires, cap])
        row = cursor.fetchone()
        if random.randrange(CULL_EVERY) == 0:  # noqa: S311 -- when to tidy up, not a secret
            cursor.execute(f"DELETE FROM {table} WHERE {e} < %s",  # noqa: S608
                           [connection.ops.adapt_datetimefield_value(timezone.now())])
    return row[0] if row else None


def count(key: str, *, connection=None) -> int:
    connection = connection or _connection()
    table, k, c, _e = _names(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {c} FROM {table} WHERE {k} = %s", [key])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def give_back(key: str, *, connection=None) -> None:
    """Undo one counted request (it did not do what the limit counts, e.g. a form with an error)."""
    connection = connection or _connection()
    table, k, c, _e = _names(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {c} = {c} - 1 WHERE {k} = %s AND {c} > 0", [key])  # noqa: S608


@dataclass(frozen=True)
class Decision:
    allowed: bool
    key: str  # the counter of this window (for give_back)
    wait: float | None = None  # seconds until a request would fit again, when refused


def sliding_hit(name: str, limit: int, period: float, now: float | None = None, *, connection=None) -> Decision:
    """At most ``limit`` requests per ``period`` seconds under ``name``, as a sliding-window estimate."""
    now = timezone.now().timestamp() if now is None else now
    window, into = divmod(now / period, 1)
    window = int(window)
    current_key, previous_key = f"{name}:{window}", f"{name}:{window - 1}"
    previous = count(previous_key, connection=connection)
    cap = math.ceil(limit - previous * (1 - into))
    expires = datetime.fromtimestamp((window + 2) * period, tz=UTC)
    if hit(current_key, cap, expires, connection=connection) is not None:
        return Decision(True, current_key)
    current = count(current_key, connection=connection)
    return Decision(False, current_key, _wait_for(limit, current, previous, into, period))


def _wait_for(limit: int, current: int, previous: int, into: float, period: float) -> float:
    """Seconds until the estimate falls under the limit, if no other request comes in."""
    if current >= limit:  # wait for the next window, then for this window's weight to fall
        fraction = 1 - into + max(0.0, 1 - limit / current)
    elif previous:
        fraction = max(0.0, 1 - (limit - current) / previous - into)
    else:
        fraction = 0.0
    return math.ceil(fraction * period * 1000) / 1000


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with a one-statement ``set``: an upsert (``INSERT ... ON CONFLICT DO UPDATE``,
    PostgreSQL and SQLite). It looks whether the table needs culling on one ``set`` in ``CULL_EVERY`` only."""

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
