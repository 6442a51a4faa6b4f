"""The job runner: every scheduled job of every building block, run by one cron line.

    * * * * *  samen jobs run

Each app registers its jobs from its own code (``<app>/jobs.py``, imported from its ``AppConfig.ready()``)::

    jobs.register("catalogue_refresh", refresh, daily_at="03:00", help="...")
    jobs.register("outbox", send, every=timedelta(minutes=1))

A job's callable takes no arguments and returns a dict of counts (kept with the run).

**Due slots.** A job's schedule cuts time into slots: every minute (or hour, ...) counted from midnight, or
once a day from HH:MM (Europe/Amsterdam). A job is due when the slot ``now`` falls in is not yet taken. A
missed night is caught up once by the next run, not once per missed night.

**Leases.** ``JobLease`` has one row per job. A process takes a job with one conditional UPDATE::

    UPDATE core_joblease SET holder = me, lease_until = now + lease, last_slot = slot
    WHERE name = job AND (last_slot IS NULL OR last_slot < slot)
      AND (lease_until IS NULL OR lease_until < now)

The database applies it atomically (a row lock on PostgreSQL, the write lock on SQLite), so of two machines
that run ``samen jobs run`` at the same moment against one database, exactly one gets 1 row back and runs the
job; the other skips it. No transaction is held while the job runs (a job commits its own work in batches,
and on SQLite a long transaction would stop every other writer), and a crashed process loses its lease when
``lease_until`` passes. A lease must be longer than the job takes. Jobs are in any case written to be safe to
run twice (the outbox claims its messages, the reminders mark what they did in the same transaction).

Every run leaves a ``JobRun`` row: when, where, ok or the error, and the counts. ``samen jobs list`` shows them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

DEFAULT_LEASE = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], dict | None]
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None
    lease: dt.timedelta = DEFAULT_LEASE
    help: str = ""

    @property
    def schedule(self) -> str:
        if self.daily_at is not None:
            return f"daily at {self.daily_at:%H:%M}"
        minutes = int(self.every.total_seconds() // 60)
        return "every minute" if minutes == 1 else f"every {minutes} minutes"

    def slot(self, now: dt.datetime) -> dt.datetime:
        """The start of the slot ``now`` falls in (local time, stored as an aware datetime)."""
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.daily_at is not None:
            at = {"hour": self.daily_at.hour, "minute": self.daily_at.minute}
            start = midnight.replace(**at)
            return start if start <= local else (midnight - dt.timedelta(days=1)).replace(**at)
        step = self.every.total_seconds()
        return midnight + dt.timedelta(seconds=((local - midnight).total_seconds() // step) * step)


_registry: dict[str, Job] = {}


def register(name: str, run: Callable[[], dict | None], *, every: dt.timedelta | None = None,
             daily_at: str | None = None, lease: dt.timedelta = DEFAULT_LEASE, help: str = "") -> Job:  # noqa: A002
    """Register a job; a second registration under the same name with another callable is refused."""
    if (every is None) == (daily_at is None):
        raise ValueError(f"job {name}: give either every= or daily_at=")
    if every is not None and (every < dt.timedelta(minutes=1) or dt.timedelta(days=1) % every):
        raise ValueError(f"job {name}: every= must be at least a minute and divide a day")
    at = dt.time.fromisoformat(daily_at) if daily_at is not None else None
    job = Job(name, run, every, at, lease, help)
    existing = _registry.get(name)
    if existing is not None and existing.run is not run:
        raise ValueError(f"a job named {name!r} is registered already")
    _registry[name] = job
    return job


def registered() -> list[Job]:
    return sorted(_registry.values(), key=lambda job: job.name)


def get(name: str) -> Job:
    try:
        return _registry[name]
    except KeyError:
        raise KeyError(f"no job named {name!r} (known: {', '.join(sorted(_registry))})") from None


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _take(job: Job, now: dt.datetime, me: str, slot: dt.datetime | None) -> bool:
    """The lease on ``job`` (and, with ``slot``, that slot) for ``me``, or False when another holds it."""
    from samen.core.models import JobLease

    try:
        with transaction.atomic():
            JobLease.objects.get_or_create(name=job.name)
    except IntegrityError:  # made by another process at the same moment
        pass
    rows = JobLease.objects.filter(name=job.name).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    fields = {"holder": me, "lease_until": now + job.lease}
    if slot is not None:
        rows = rows.filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
        fields["last_slot"] = slot
    return rows.update(**fields) == 1


def _release(job: Job, me: str) -> None:
    from samen.core.models import JobLease

    JobLease.objects.filter(name=job.name, holder=me).update(holder="", lease_until=None)


@dataclass(frozen=True)
class Outcome:
    job: str
    ran: bool
    ok: bool = True
    result: dict | None = None
    error: str = ""


def run_one(job: Job, *, now: dt.datetime | None = None, slot: dt.datetime | None = None) -> Outcome:
    """Run ``job`` under its lease: for ``slot`` (the scheduled run), or now regardless of its schedule
    (``slot=None``, a run by hand) unless another process runs it at this moment."""
    from samen.core.models import JobRun

    now = now or timezone.now()
    me = holder()
    if not _take(job, now, me, slot):
        return Outcome(job.name, ran=False)
    record = JobRun.objects.create(job=job.name, slot=slot, host=me, started_at=timezone.now())
    try:
        result = job.run() or {}
    except Exception as exc:  # noqa: BLE001 -- one failing job must not stop the others; kept with the run
        log.exception("job %s failed", job.name)
        record.ok, record.error = False, "".join(traceback.format_exception(exc))[-4000:]
        result = {}
    else:
        record.ok = True
    finally:
        record.finished_at = timezone.now()
        _release(job, me)
    record.result = result
    record.save(update_fields=["ok", "error", "finished_at", "result"])
    return Outcome(job.name, ran=True, ok=bool(record.ok), result=result, error=record.error)


def run_due(now: dt.datetime | None = None, names: list[str] | None = None) -> list[Outcome]:
    """Run every registered job (or the named ones) whose current slot is not yet taken."""
    now = now or timezone.now()
    chosen = [get(name) for name in names] if names else registered()
    return [run_one(job, now=now, slot=job.slot(now)) for job in chosen]


def last_runs() -> dict[str, object]:
    """{job name: its last JobRun} for the registered jobs that ran."""
    from samen.core.models import JobRun

    out = {}
    for job in registered():
        run = JobRun.objects.filter(job=job.name).order_by("-started_at", "-id").first()
        if run is not None:
            out[job.name] = run
    return out
