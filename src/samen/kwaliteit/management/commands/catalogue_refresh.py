"""samen catalogue_refresh: the catalogue's nightly job, now (kept for old cron lines).

The same work as the ``catalogue_refresh`` job of ``samen jobs run`` (kwaliteit.jobs), under the same lease:
while another process runs it, this command leaves it to that process. Safe to run more than once a day:
the dates are replaced, and a reminder is queued once per stale period.
"""

from django.core.management.base import BaseCommand, CommandError

from samen.core import jobs
from samen.kwaliteit import jobs as kwaliteit_jobs


class Command(BaseCommand):
    help = ("Roll the activities' planned dates forward and remind providers of unconfirmed entries, now. "
            "`samen jobs run` does this every night.")

    def add_arguments(self, parser):
        parser.add_argument("--no-reminders", action="store_true", help="Only roll the planned dates forward.")

    def handle(self, *args, **options):
        registered = jobs.get("catalogue_refresh")
        job = jobs.Job(registered.name, lambda: kwaliteit_jobs.catalogue_refresh(not options["no_reminders"]),
                       daily_at=registered.daily_at, lease=registered.lease)
        outcome = jobs.run_one(job)
        if not outcome.ran:
            self.stdout.write("The catalogue refresh runs elsewhere at this moment; not started again.")
            return
        if not outcome.ok:
            raise CommandError(f"The catalogue refresh failed: {outcome.error.strip().splitlines()[-1]}")
        self.stdout.write(f"Planned dates: {outcome.result['planned_dates']}")
        if "reminded" in outcome.result:
            self.stdout.write(f"Activities reminded: {outcome.result['reminded']}")
