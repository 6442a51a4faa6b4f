from pathlib import Path

from django.core.management.base import BaseCommand

from samen.conf.env import markdown_table


class Command(BaseCommand):
    help = "Write docs/settings.md from the declared environment settings."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path("docs/settings.md"))

    def handle(self, *args, output, **options):
        output.write_text(markdown_table() + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
