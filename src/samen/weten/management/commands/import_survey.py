"""samen import_survey: read a survey file (CSV, Excel, SPSS .sav) into a wave, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from samen.core.models import Gemeente
from samen.weten.models import Source
from samen.weten.services.survey_import import MappingError, SurveyMapping, import_survey


class Command(BaseCommand):
    help = "Import survey microdata into a wave (replaces the wave if it exists). Shows a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", type=Path, required=True, help="YAML mapping (docs/survey-import.md)")
        parser.add_argument("--gemeente", default="GM0402")
        parser.add_argument("--source", choices=Source.values, default=Source.HILVERSUM_MONITOR)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--name", default="")

    def handle(self, *args, file, mapping, gemeente, source, year, name, **options):
        for path in (file, mapping):
            if not path.is_file():
                raise CommandError(f"{path} does not exist.")
        try:
            municipality = Gemeente.objects.get(code=gemeente.upper())
        except Gemeente.DoesNotExist:
            raise CommandError(f"There is no municipality {gemeente}.") from None
        try:
            survey_mapping = SurveyMapping.from_yaml(mapping.read_text(encoding="utf-8"))
        except MappingError as exc:
            raise CommandError(str(exc)) from None
        with tqdm(desc="respondenten opslaan", unit=" rij", file=self.stderr._out, disable=None) as bar:
            report, wave = import_survey(municipality, content=file.read_bytes(), filename=file.name,
                                         mapping=survey_mapping, source=source, year=year, name=name,
                                         progress=bar.update)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            if report.more_problems:
                self.stderr.write(f"... and {report.more_problems} more problems.")
            raise CommandError("Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{wave.name}: {report.imported} respondents imported."))
