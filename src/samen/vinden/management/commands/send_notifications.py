"""samen send_notifications: the look-again reminders and the outbox, now (kept for old cron lines).

The same work as the jobs ``look_again`` and ``outbox`` of ``samen jobs run``, under the same leases: while
another process runs either job this command leaves it to that process.
"""

from django.core.management.base import BaseCommand, CommandError

from samen.core import jobs, outbox


class Command(BaseCommand):
    help = ("Queue the reminders of maatwerk whose date to look again has come, then send the e-mails that are "
            "due. Kept for old cron lines: `samen jobs run` (every minute) does this and every other job. Two "
            "runs at the same time never send the same e-mail.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=outbox.BATCH_SIZE,
                            help="e-mails per claim (default %(default)s)")
        parser.add_argument("--max-attempts", type=int, default=outbox.MAX_ATTEMPTS,
                            help="give an e-mail up after this many failed attempts (default %(default)s)")

    def handle(self, *args, batch_size, max_attempts, **options):
        if batch_size < 1 or max_attempts < 1:
            raise CommandError("--batch-size and --max-attempts must be at least 1.")
        reminders = jobs.run_one(jobs.get("look_again"))
        reminded = (reminders.result or {}).get("signals", 0)
        if reminded and options["verbosity"] >= 1:
            self.stdout.write(f"{reminded} signal(s) due to be looked at again: reminders queued.")
        send = jobs.Job("outbox", lambda: outbox.send_due(batch_size=batch_size, max_attempts=max_attempts)
                        .as_dict(), every=jobs.get("outbox").every, lease=outbox.LEASE)
        outcome = jobs.run_one(send)
        for failed in (reminders, outcome):
            if failed.ran and not failed.ok:
                raise CommandError(f"{failed.job} failed: {failed.error.strip().splitlines()[-1]}")
        report = outbox.SendReport(**(outcome.result or {}))
        if options["verbosity"] >= 1 and (report.sent or report.failed or report.given_up or report.skipped
                                          or options["verbosity"] >= 2):
            self.stdout.write(f"{report.sent} sent, {report.failed} failed (tried again later), "
                              f"{report.given_up} given up, {report.skipped} skipped (account closed or no address).")
        if report.failed or report.given_up:
            self.stderr.write(f"{report.failed + report.given_up} e-mail(s) could not be sent; see "
                              "core_outboxmessage.last_error.")
