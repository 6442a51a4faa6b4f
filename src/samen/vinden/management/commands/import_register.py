from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core.models import Gemeente
from samen.vinden.services.visits import import_register


class Command(BaseCommand):
    help = "Replace a municipality's 75+ register with a population register extract (CSV, all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("gemeente", help="CBS code, e.g. GM0402")
        parser.add_argument("file", type=Path)

    def handle(self, *args, gemeente, file, **options):
        try:
            municipality = Gemeente.objects.get(code=gemeente.upper())
        except Gemeente.DoesNotExist:
            raise CommandError(f"There is no municipality {gemeente}.") from None
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        report = import_register(municipality, file.read_bytes(), route="command:import_register")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            if report.more_problems:
                self.stderr.write(f"... and {report.more_problems} more problems.")
            raise CommandError("Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(
            f"Register: {report.imported} residents aged 75+ ({report.added} new, {report.kept} unchanged, "
            f"{report.removed} removed, {report.too_young} under 75 skipped)."))
