"""samen catalogue_refresh: the catalogue's nightly job.

Rolls every published activity's planned dates forward (catalogue.refresh_all_occurrences) and sends the
reminders for entries their providers have not confirmed for a while (freshness.remind_stale). Safe to
run more than once a day: the dates are replaced, and a reminder goes out once per stale period.
"""

from django.core.management.base import BaseCommand

from samen.kwaliteit.services import catalogue, freshness


class Command(BaseCommand):
    help = "Nightly: roll the activities' planned dates forward and remind providers of unconfirmed entries."

    def add_arguments(self, parser):
        parser.add_argument("--no-reminders", action="store_true", help="Only roll the planned dates forward.")

    def handle(self, *args, **options):
        dates = catalogue.refresh_all_occurrences()
        self.stdout.write(f"Planned dates: {dates}")
        if not options["no_reminders"]:
            reminded = freshness.remind_stale()
            self.stdout.write(f"Activities reminded: {reminded}")
