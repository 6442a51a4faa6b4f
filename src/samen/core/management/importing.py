"""Shared shape of the all-or-nothing CSV import commands (postcodes, 75+ register)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core.models import Gemeente
from samen.core.reports import ImportReport


class ImportCommand(BaseCommand):
    """Subclasses implement ``run(gemeente, content) -> ImportReport`` and ``success(report) -> str``."""

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
        report = self.run(municipality, file.read_bytes())
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            if report.more_problems:
                self.stderr.write(f"... and {report.more_problems} more problems.")
            raise CommandError("Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(self.success(report)))

    run: Callable[[Gemeente, bytes], ImportReport]
    success: Callable[[ImportReport], str]
