from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core.models import Gemeente
from samen.core.services.geography import import_postcodes


class Command(BaseCommand):
    help = "Replace a municipality's postcode table with a CSV (all or nothing)."

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
        report = import_postcodes(municipality, file.read_bytes())
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError("Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{report.imported} postcode ranges imported."))
