"""API rate limits, counted atomically in the database (samen.core.ratelimit; ADR 22, issue 11 item 5).

- ``AnonRateThrottle``: anonymous callers, by address (DRF's rule, ``anon`` rate).
- ``UserRateThrottle``: logged-in users and token holders, by account (``user`` rate).
- ``ApiKeyRateThrottle``: an organisation's machine channel (``Authorization: Api-Key``), by the key's prefix
  (``apikey`` rate). A key is one client, wherever its requests come from: a relay with many addresses gets
  no more, and two organisations behind one address do not share a limit. The first two leave key callers
  alone.

Each request is one atomic upsert on a counter row (not DRF's read-then-write of a cached list of
timestamps, which lost increments under concurrent requests), and the count is a sliding-window estimate
(this window's count plus the previous window's, weighted by how much of it still overlaps). The database
is the one store every gunicorn worker and every server shares, so a limit is a limit for the whole
installation, exactly.
"""

from __future__ import annotations

from rest_framework import throttling

from samen.core import ratelimit


def _is_key(request) -> bool:
    from samen.vinden.models import ApiKey

    return isinstance(getattr(request, "auth", None), ApiKey)


class _AtomicThrottle:
    """DRF's SimpleRateThrottle with its counting replaced by samen.core.ratelimit.sliding_hit."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        decision = ratelimit.sliding_hit(self.key, self.num_requests, self.duration, self.timer())
        self._wait = decision.wait
        return True if decision.allowed else self.throttle_failure()

    def wait(self):
        return getattr(self, "_wait", None)


class AnonRateThrottle(_AtomicThrottle, throttling.AnonRateThrottle):
    def get_cache_key(self, request, view):
        return None if _is_key(request) else super().get_cache_key(request, view)


class UserRateThrottle(_AtomicThrottle, throttling.UserRateThrottle):
    def get_cache_key(self, request, view):
        return None if _is_key(request) else super().get_cache_key(request, view)


class ApiKeyRateThrottle(_AtomicThrottle, throttling.SimpleRateThrottle):
    """At most ``apikey`` requests per period per API key (sliding-window estimate)."""

    scope = "apikey"

    def get_cache_key(self, request, view):
        if not _is_key(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
