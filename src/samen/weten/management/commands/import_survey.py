"""samen import_survey: read a survey file (CSV, Excel, SPSS .sav) into a wave, all or nothing.

A new wave is stored at once. A wave that exists is replaced only after the preview (what it replaces,
per wijk, which targets are recalculated) and a yes at the terminal, or with ``--yes``; without a terminal
and without ``--yes`` nothing changes (the shape of every import command, core.management.importing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from samen.core.management.importing import confirm, report_problems
from samen.core.models import Gemeente
from samen.core.services.pending_imports import PendingImportError
from samen.weten.models import Source
from samen.weten.services import survey_preview
from samen.weten.services.survey_import import MappingError, SurveyMapping


class Command(BaseCommand):
    help = ("Import survey microdata into a wave. Replacing a wave that exists shows what changes and asks "
            "(--yes replaces without asking). Shows a progress bar.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", type=Path, required=True, help="YAML mapping (docs/survey-import.md)")
        parser.add_argument("--gemeente", default="GM0402")
        parser.add_argument("--source", choices=Source.values, default=Source.HILVERSUM_MONITOR)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--yes", action="store_true",
                            help="Replace an existing wave without asking (needed without a terminal).")

    def handle(self, *args, file, mapping, gemeente, source, year, name, **options):
        for path in (file, mapping):
            if not path.is_file():
                raise CommandError(f"{path} does not exist.")
        try:
            municipality = Gemeente.objects.get(code=gemeente.upper())
        except Gemeente.DoesNotExist:
            raise CommandError(f"There is no municipality {gemeente}.") from None
        text = mapping.read_text(encoding="utf-8")
        try:
            survey_mapping = SurveyMapping.from_yaml(text)
        except MappingError as exc:
            raise CommandError(str(exc)) from None
        plan = survey_preview.plan_survey(municipality, content=file.read_bytes(), filename=file.name,
                                          mapping=survey_mapping, source=source, year=year, name=name,
                                          mapping_text=text)
        if not plan.ok:
            report_problems(self, plan.report)
        self.stdout.write(survey_preview.describe(plan))
        if plan.replaces:
            confirm(self, options, "Replace this wave? [y/N] ")
        with tqdm(desc="respondenten opslaan", unit=" rij", file=self.stderr._out, disable=None) as bar:
            try:
                wave = survey_preview.apply_survey_plan(plan, progress=bar.update)
            except PendingImportError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{wave.name}: {wave.respondent_count} respondents imported."))
