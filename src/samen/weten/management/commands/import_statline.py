"""samen import_statline: CBS StatLine 50120NED (OData export folder or CSV with titles)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.weten.services.statline import import_statline


class Command(BaseCommand):
    help = "Import CBS StatLine table 50120NED 'Gezondheid per wijk en buurt' (replaces earlier figures)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a folder with DataProperties.json and TypedDataSet.json, "
                                                    "or a StatLine CSV download with titles")

    def handle(self, *args, path, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        report = import_statline(path)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError("Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{report.imported} figures imported from 50120NED."))
