from django.core.management.base import CommandError

from samen.core.management.importing import ImportCommand
from samen.core.models import Wijk
from samen.vinden.visits import services as visits


class Command(ImportCommand):
    help = ("Replace a municipality's 75+ register (or one wijk of it, --wijk) with a population register "
            "extract (CSV or .xlsx): shows what changes, asks, then applies all or nothing.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--wijk", help="The file covers only this wijk (CBS code, e.g. WK040204).")

    def plan(self, gemeente, content, filename, options):
        wijk = None
        if options.get("wijk"):
            wijk = Wijk.objects.filter(gemeente=gemeente, code=options["wijk"].upper()).first()
            if wijk is None:
                raise CommandError(f"{gemeente.name} has no wijk {options['wijk']}.")
        return visits.plan_register(gemeente, content, filename=filename, wijk=wijk)

    def describe(self, plan) -> str:
        r = plan.report
        part = f"wijk {plan.wijk.display_name} only" if plan.wijk else "the whole municipality"
        lines = [f"The file covers {part}.",
                 f"You are about to remove {r.removed} people from the register; {r.visits_cancelled} open visits "
                 f"will lapse.",
                 f"New: {r.added}; staying: {r.kept} ({r.changed} in another buurt); under 75 skipped: "
                 f"{r.too_young}; in the register afterwards: {r.imported}."]
        lines += [f"  leaves: {e.resident.name}" for e in plan.leaving[:visits.PREVIEW_NAMES]]
        return "\n".join(lines)

    def apply(self, plan):
        return visits.apply_register_plan(plan, route="command:import_register")

    def success(self, report) -> str:
        return (f"Register: {report.imported} residents aged 75+ ({report.added} new, {report.kept} unchanged, "
                f"{report.removed} removed, {report.visits_cancelled} open visits lapsed, {report.too_young} under "
                f"75 skipped).")
