from samen.core.management.importing import ImportCommand
from samen.vinden.services.visits import import_register


class Command(ImportCommand):
    help = "Replace a municipality's 75+ register with a population register extract (CSV, all or nothing)."

    def run(self, gemeente, content):
        return import_register(gemeente, content, route="command:import_register")

    def success(self, report) -> str:
        return (f"Register: {report.imported} residents aged 75+ ({report.added} new, {report.kept} unchanged, "
                f"{report.removed} removed, {report.too_young} under 75 skipped).")
