from samen.core.management.importing import ImportCommand
from samen.core.services.geography import import_postcodes


class Command(ImportCommand):
    help = "Replace a municipality's postcode table with a CSV (all or nothing)."

    def run(self, gemeente, content):
        return import_postcodes(gemeente, content)

    def success(self, report) -> str:
        return f"{report.imported} postcode ranges imported."
