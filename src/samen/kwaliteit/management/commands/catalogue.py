"""samen catalogue import FILE --user USERNAME [--dry-run | --yes]
samen catalogue export --format hsds DIR | --format csv FILE | --format ical FILE [--gemeente GM0402]

Import is all or nothing (kwaliteit.services.transfer): the user's role decides the review, as on the
import screen. Export writes the public catalogue: HSDS 3.0 JSON tables (kwaliteit.services.hsds), the
CSV of the import's columns, or one iCalendar feed.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core.management.importing import confirm, report_problems
from samen.core.models import Gemeente, User
from samen.core.services.pending_imports import PendingImportError
from samen.kwaliteit.services import catalogue, hsds, transfer


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "Import activities from CSV/Excel, or export the public catalogue (HSDS 3.0 JSON, CSV, iCalendar)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="Import activities from a CSV or .xlsx file (all or nothing).")
        importing.add_argument("file", type=Path)
        importing.add_argument("--user", required=True, help="The user name the rows are submitted as.")
        importing.add_argument("--dry-run", action="store_true", help="Check the file; store nothing.")
        importing.add_argument("--yes", action="store_true", help="Store without asking (needed without a terminal).")
        exporting = actions.add_parser("export", help="Export the public catalogue.")
        exporting.add_argument("--format", choices=["hsds", "csv", "ical"], required=True)
        exporting.add_argument("target", type=Path, help="A directory for hsds, a file for csv and ical.")
        exporting.add_argument("--gemeente", help="CBS code, e.g. GM0402 (needed when there is more than one).")

    def handle(self, *args, action, **options):
        if action == "import":
            self.import_file(options["file"], options["user"], options["dry_run"], options)
        else:
            self.export(options["format"], options["target"], options.get("gemeente"))

    def import_file(self, file: Path, username: str, dry_run: bool, options: dict) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username}.")
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        plan = transfer.plan_activities(user, file.read_bytes(), file.name)
        if not plan.ok:
            report_problems(self, plan.report)
        summary = plan.summary()
        self.stdout.write(f"Would import: {summary['created']} new, {summary['changed']} changed, "
                          f"{summary['unchanged']} unchanged; nothing is removed.")
        for label, key in (("new", "new_rows"), ("changed", "changed_rows")):
            for row in summary[key]:
                self.stdout.write(f"  {label}: row {row['row']}: {row['title']} ({row['organisation']})")
        if dry_run:
            return
        confirm(self, options)
        try:
            report = transfer.apply_catalogue_plan(plan)
        except PendingImportError as exc:
            raise CommandError(str(exc)) from None
        if not report.ok:
            report_problems(self, report)
        self.stdout.write(self.style.SUCCESS(
            f"Imported: {report.created} new, {report.changed} changed, {report.unchanged} unchanged"
            + (f"; {report.pending} waiting for review." if report.pending else ".")))

    def export(self, format: str, target: Path, code: str | None) -> None:
        gemeente = _gemeente(code)
        if format == "hsds":
            counts = hsds.write_tables(gemeente, target)
            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"HSDS 3.0 written to {target}: {summary}."))
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        if format == "csv":
            activities = transfer.public_export(gemeente)
            target.write_text(transfer.export_csv(activities), encoding="utf-8")  # guarded (core.tabular)
            count = activities.count()
        else:
            activities = catalogue.public_activities(gemeente)
            target.write_bytes(transfer.feed(activities, f"Activiteiten in {gemeente.name}"))
            count = activities.count()
        self.stdout.write(self.style.SUCCESS(f"{count} activities written to {target}."))


def _gemeente(code: str | None) -> Gemeente:
    if code:
        gemeente = Gemeente.objects.filter(code=code.upper()).first()
        if gemeente is None:
            raise CommandError(f"There is no municipality {code}.")
        return gemeente
    candidates = list(Gemeente.objects.all()[:2])
    if len(candidates) != 1:
        raise CommandError("Name the municipality with --gemeente (e.g. --gemeente GM0402).")
    return candidates[0]
