"""The job runner: due slots, one lease per job (two processes never run a job at once, a crashed one loses
its lease), a record of every run, and the commands `samen jobs run` / `samen jobs list`."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command

from samen.core import jobs
from samen.core.models import JobLease, JobRun

pytestmark = pytest.mark.django_db
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def counting():
    """A job registered for the test only, that counts its runs."""
    calls = []

    def run():
        calls.append(1)
        return {"done": len(calls)}

    job = jobs.register("test_counting", run, every=dt.timedelta(minutes=5))
    yield job, calls
    jobs._registry.pop("test_counting", None)


def at(hour, minute, day=2):
    return dt.datetime(2026, 12, day, hour, minute, 30, tzinfo=AMSTERDAM)


def test_slots_of_every_and_daily_jobs():
    every = jobs.Job("a", lambda: None, every=dt.timedelta(minutes=5))
    assert every.slot(at(10, 7)) == at(10, 5).replace(second=0)
    nightly = jobs.Job("b", lambda: None, daily_at=dt.time(3, 0))
    assert nightly.slot(at(12, 0)) == at(3, 0).replace(second=0), "later the same day: today's slot"
    assert nightly.slot(at(2, 59)) == at(3, 0, day=1).replace(second=0), "before 03:00: yesterday's"
    assert (every.schedule, nightly.schedule) == ("every 5 minutes", "daily at 03:00")


def test_registration_is_checked():
    with pytest.raises(ValueError, match="either"):
        jobs.register("x", lambda: None)
    with pytest.raises(ValueError, match="divide a day"):
        jobs.register("x", lambda: None, every=dt.timedelta(minutes=7))
    with pytest.raises(ValueError, match="registered already"):
        jobs.register("outbox", lambda: None, every=dt.timedelta(minutes=1))


def test_every_app_registers_its_jobs():
    assert {"outbox", "look_again", "catalogue_refresh"} <= {job.name for job in jobs.registered()}


def test_a_slot_is_run_once_and_the_next_slot_again(counting):
    job, calls = counting
    now = at(10, 7)
    assert [o.ran for o in jobs.run_due(now, ["test_counting"])] == [True]
    assert [o.ran for o in jobs.run_due(now + dt.timedelta(minutes=2), ["test_counting"])] == [False]
    assert jobs.run_due(now + dt.timedelta(minutes=3), ["test_counting"])[0].ran, "10:10, a new slot"
    assert len(calls) == 2
    runs = JobRun.objects.filter(job="test_counting").order_by("started_at")
    assert [(r.ok, r.result, r.slot) for r in runs] == [(True, {"done": 1}, job.slot(now)),
                                                        (True, {"done": 2}, job.slot(now + dt.timedelta(minutes=3)))]
    assert all(r.finished_at and r.host for r in runs)


def test_a_job_another_process_holds_is_not_started(counting):
    job, calls = counting
    now = at(10, 7)
    JobLease.objects.create(name=job.name, holder="elders:1", lease_until=now + dt.timedelta(minutes=10))
    assert not jobs.run_due(now, [job.name])[0].ran and not jobs.run_one(job, now=now).ran
    assert calls == []
    later = now + dt.timedelta(minutes=11)  # the holder died: its lease has passed
    assert jobs.run_due(later, [job.name])[0].ran and calls == [1]
    assert JobLease.objects.get(name=job.name).lease_until is None, "released after the run"


def test_a_failing_job_is_recorded_and_the_others_still_run(counting, capsys):
    def broken():
        raise RuntimeError("kapot")

    jobs.register("test_broken", broken, every=dt.timedelta(minutes=1))
    try:
        with pytest.raises(SystemExit) as exit_:
            call_command("jobs", "run", "test_broken", "test_counting")
        assert exit_.value.code == 1
        assert "test_broken: failed: RuntimeError: kapot" in capsys.readouterr().err
        run = JobRun.objects.get(job="test_broken")
        assert run.ok is False and "RuntimeError: kapot" in run.error
        assert counting[1] == [1]
    finally:
        jobs._registry.pop("test_broken", None)


def test_jobs_run_is_silent_and_jobs_list_shows_the_last_run(counting, capsys):
    call_command("jobs", "run", "test_counting")
    assert capsys.readouterr().out == "", "cron mails any output"
    call_command("jobs", "list")
    listing = capsys.readouterr().out
    line = next(row for row in listing.splitlines() if row.startswith("test_counting"))
    assert "every 5 minutes" in line and ": ok (done 1)" in line
    assert "never run" in next(row for row in listing.splitlines() if row.startswith("catalogue_refresh"))


def test_run_now_ignores_the_schedule_but_not_the_lease(counting, capsys):
    job, calls = counting
    call_command("jobs", "run", "test_counting")
    call_command("jobs", "run", "test_counting", "--now")
    assert "test_counting: ok: done 2" in capsys.readouterr().out and len(calls) == 2
    JobLease.objects.filter(name=job.name).update(holder="elders:1",
                                                  lease_until=dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=1))
    call_command("jobs", "run", "test_counting", "--now")
    assert "runs elsewhere" in capsys.readouterr().out and len(calls) == 2
