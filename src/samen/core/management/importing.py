"""Shared shape of the import commands that replace data (postcodes, 75+ register, catalogue): read and
check the file, print what would change, ask for confirmation (``--yes`` skips the question; without a
terminal the command refuses unless ``--yes`` is given), then apply all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core.models import Gemeente
from samen.core.reports import ImportReport
from samen.core.services.pending_imports import PendingImportError


def confirm(command: BaseCommand, options: dict, question: str = "Apply these changes? [y/N] ") -> None:
    """Raise CommandError unless --yes was given or the user at the terminal answers yes."""
    if options.get("yes"):
        return
    stdin = options.get("stdin") or sys.stdin
    if not stdin.isatty():
        raise CommandError("Nothing was changed: not at a terminal, so confirm with --yes.")
    command.stdout.write(question, ending="")
    command.stdout.flush()
    if stdin.readline().strip().lower() not in ("y", "yes", "j", "ja"):
        raise CommandError("Nothing was changed.")


def report_problems(command: BaseCommand, report: ImportReport) -> None:
    for problem in report.problems:
        command.stderr.write(str(problem))
    if report.more_problems:
        command.stderr.write(f"... and {report.more_problems} more problems.")
    raise CommandError("Nothing was imported.")


class ImportCommand(BaseCommand):
    """Subclasses implement ``plan(gemeente, content, filename, options)`` (an object with ``report``),
    ``describe(plan) -> str`` (what would change), ``apply(plan) -> ImportReport`` and
    ``success(report) -> str``."""

    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("gemeente", help="CBS code, e.g. GM0402")
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="Apply without asking (needed without a terminal).")

    def handle(self, *args, gemeente, file, **options):
        try:
            municipality = Gemeente.objects.get(code=gemeente.upper())
        except Gemeente.DoesNotExist:
            raise CommandError(f"There is no municipality {gemeente}.") from None
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        plan = self.plan(municipality, file.read_bytes(), file.name, options)
        if not plan.report.ok:
            report_problems(self, plan.report)
        self.stdout.write(self.describe(plan))
        confirm(self, options)
        try:
            report = self.apply(plan)
        except PendingImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(self.success(report)))
