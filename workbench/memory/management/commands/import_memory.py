"""`manage.py import_memory --project SLUG FILE`: the memory's import page for the command
line: TMX, CSV, XLSX or a bilingual file (XLIFF, SDLXLIFF, MQXLIFF) into the project's
memory, all or nothing, by the same rules."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand

from workbench.documents.importers.base import ImportRejected
from workbench.documents.management.commands.import_document import Refused, read_upload
from workbench.memory.services import project_memory
from workbench.memory.tm_io import import_memory_file
from workbench.projects.models import Project


class Command(BaseCommand):
    help = "Import a translation memory or bilingual file into a project's memory."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the TMX, CSV, XLSX or bilingual file.")
        parser.add_argument("--project", required=True, metavar="SLUG")

    def handle(self, *args, file, project, **options):
        target = project_of(project)
        path = Path(file)
        data = read_upload(path)
        memory = project_memory(target)
        try:
            result = import_memory_file(memory, io.BytesIO(data), path.name)
        except ImportRejected as rejected:
            problems = "".join(f"\n  {problem}" for problem in getattr(rejected, "problems", []))
            raise Refused(" ".join(str(rejected).split()) + problems) from None
        self.stdout.write(f"Imported “{path.name}” into {memory}: {result.summary()}")


def project_of(slug):
    found = Project.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)[:20])
        raise Refused(
            f"There is no project with the slug “{slug}”; "
            + (f"choose one of: {known}." if known else "create the project first.")
        )
    return found
