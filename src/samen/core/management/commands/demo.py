from django.core.management.base import BaseCommand, CommandError

from samen.core.services.demo import load_demo


class Command(BaseCommand):
    help = "Load (idempotently) the Hilversum demo data and print the demo logins."

    def handle(self, *args, **options):
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError("samen demo creates accounts with a published password; it refuses to run "
                               "in production mode (SAMEN_ENV=production).")

        lines: list[str] = []
        logins = load_demo(everything=True, say=lines.append)
        self.stdout.write(self.style.SUCCESS("Demo data for Hilversum loaded."))
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"\nDemo logins (password for all: {logins[0].password}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.role}")
        if settings.REQUIRE_SECOND_FACTOR:
            self.stdout.write("\nSecond factor (TOTP) keys for the users who see personal data — add one to an "
                              "authenticator app:")
            for login in (item for item in logins if item.totp_secret):
                self.stdout.write(f"  {login.username:<16} {login.totp_secret}")
        else:
            self.stdout.write("\nSAMEN_REQUIRE_2FA=false: the second factor is switched off (local demo only).")
