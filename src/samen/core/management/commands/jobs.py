"""samen jobs run | list: the scheduled jobs of every building block (samen.core.jobs).

One cron line runs them all: ``* * * * * samen jobs run``. A run with nothing to report prints nothing (cron
mails any output); a failed job is reported on stderr and makes the exit status 1.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from samen.core import jobs


class Command(BaseCommand):
    help = ("Scheduled jobs. `samen jobs run` (from cron, every minute) runs every job that is due; safe on "
            "several machines at once. `samen jobs run NAME --now` runs one job now. `samen jobs list` shows "
            "the jobs and their last run.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "list"],
                            help="run: the jobs that are due; list: the jobs with their schedule and last run")
        parser.add_argument("names", nargs="*", help="run only these jobs")
        parser.add_argument("--now", action="store_true",
                            help="run the named jobs now, whatever their schedule (still one process at a time)")

    def handle(self, *args, action, **options):
        if action == "list":
            if options["names"] or options["now"]:
                raise CommandError("`samen jobs list` takes no names and no --now.")
            return self._list()
        names = options["names"]
        try:
            chosen = [jobs.get(name) for name in names]
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        if options["now"]:
            if not chosen:
                raise CommandError("--now needs the name of a job (see `samen jobs list`).")
            outcomes = [jobs.run_one(job) for job in chosen]
        else:
            outcomes = jobs.run_due(names=names or None)
        failed = False
        for outcome in outcomes:
            if outcome.ran and not outcome.ok:
                failed = True
                self.stderr.write(f"{outcome.job}: failed: {outcome.error.strip().splitlines()[-1]}")
            elif outcome.ran and (options["verbosity"] >= 2 or (options["now"] and options["verbosity"] >= 1)):
                counts = ", ".join(f"{key} {value}" for key, value in (outcome.result or {}).items())
                self.stdout.write(f"{outcome.job}: ok{': ' + counts if counts else ''}")
            elif not outcome.ran and options["now"]:
                self.stdout.write(f"{outcome.job}: runs elsewhere at this moment; not started again.")
        if failed:
            raise SystemExit(1)

    def _list(self):
        last = jobs.last_runs()
        for job in jobs.registered():
            run = last.get(job.name)
            if run is None:
                when = "never run"
            else:
                state = "running" if run.ok is None else ("ok" if run.ok else "FAILED")
                counts = ", ".join(f"{key} {value}" for key, value in run.result.items())
                when = f"last run {timezone.localtime(run.started_at):%Y-%m-%d %H:%M:%S} on {run.host}: {state}"
                if counts:
                    when += f" ({counts})"
            self.stdout.write(f"{job.name:<20} {job.schedule:<16} {when}")
            if job.help:
                self.stdout.write(f"    {job.help}")
