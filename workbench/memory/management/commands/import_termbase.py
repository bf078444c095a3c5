"""`manage.py import_termbase --project SLUG FILE`: the glossary's import page for the
command line: TBX (TBX-Basic, TBX v3) or CSV, all or nothing, by the same rules."""

from pathlib import Path

from django.core.management.base import BaseCommand

from workbench.documents.importers.base import ImportRejected
from workbench.documents.management.commands.import_document import Refused, read_upload
from workbench.memory.glossary_io import import_glossary

from .import_memory import project_of


class Command(BaseCommand):
    help = "Import a termbase (TBX or CSV) into a project's glossary."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .tbx or .csv file.")
        parser.add_argument("--project", required=True, metavar="SLUG")

    def handle(self, *args, file, project, **options):
        target = project_of(project)
        path = Path(file)
        try:
            result = import_glossary(target, data=read_upload(path), filename=path.name)
        except ImportRejected as rejected:
            problems = "".join(f"\n  {problem}" for problem in getattr(rejected, "problems", []))
            raise Refused(" ".join(str(rejected).split()) + problems) from None
        self.stdout.write(
            f"Imported “{path.name}” into the glossary of “{target.name}”: "
            f"{result.added} new terms, {result.updated} updated."
        )
