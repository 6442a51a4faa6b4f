from samen.core.management.importing import ImportCommand
from samen.core.services import geography


class Command(ImportCommand):
    help = ("Replace a municipality's postcode table with a CSV or .xlsx: shows what changes, asks, then applies "
            "all or nothing.")

    def plan(self, gemeente, content, filename, options):
        return geography.plan_postcodes(gemeente, content, filename)

    def describe(self, plan) -> str:
        lines = [f"The new table has {len(plan.ranges)} postcode ranges: {len(plan.added)} new or changed, "
                 f"{len(plan.removed)} removed from the current table, {plan.unchanged} unchanged."]
        lines += [f"  + {geography.describe_range(t)}" for t in plan.added[:geography.PREVIEW_RANGES]]
        lines += [f"  - {geography.describe_range(t)}" for t in plan.removed[:geography.PREVIEW_RANGES]]
        return "\n".join(lines)

    def apply(self, plan):
        return geography.apply_postcode_plan(plan)

    def success(self, report) -> str:
        return f"{report.imported} postcode ranges imported."
