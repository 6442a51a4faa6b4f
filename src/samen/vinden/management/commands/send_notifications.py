from django.core.management.base import BaseCommand, CommandError

from samen.vinden import notifications


class Command(BaseCommand):
    help = ("Send the e-mails waiting in the outbox (new signals, assignments, linked signals), after queueing "
            "the reminders of maatwerk whose date to look again has come. Run it from cron every minute; two "
            "runs at the same time never send the same e-mail. A failed e-mail is tried again by the next runs, "
            "at most --max-attempts times in all.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=notifications.BATCH_SIZE,
                            help="e-mails per transaction (default %(default)s)")
        parser.add_argument("--max-attempts", type=int, default=notifications.MAX_ATTEMPTS,
                            help="give an e-mail up after this many failed attempts (default %(default)s)")

    def handle(self, *args, batch_size, max_attempts, **options):
        if batch_size < 1 or max_attempts < 1:
            raise CommandError("--batch-size and --max-attempts must be at least 1.")
        reminded = notifications.queue_look_again()
        if reminded and options["verbosity"] >= 1:
            self.stdout.write(f"{reminded} signal(s) due to be looked at again: reminders queued.")
        report = notifications.send_pending(batch_size=batch_size, max_attempts=max_attempts)
        if options["verbosity"] >= 1 and (report.sent or report.failed or report.given_up or report.skipped
                                          or options["verbosity"] >= 2):
            self.stdout.write(f"{report.sent} sent, {report.failed} failed (tried again next run), "
                              f"{report.given_up} given up, {report.skipped} skipped (account closed or no address).")
        if report.failed or report.given_up:
            self.stderr.write(f"{report.failed + report.given_up} e-mail(s) could not be sent; see "
                              "vinden_notification.last_error.")
