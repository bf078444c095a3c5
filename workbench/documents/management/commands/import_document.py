"""`manage.py import_document --project SLUG FILE`: the upload page for the command line,
through the same service, so a file is refused or imported by the same rules."""

import stat
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workbench.documents.importers.base import ImportRejected
from workbench.documents.services import check_upload, import_document
from workbench.projects.models import Project


class Refused(CommandError):
    """Django prints a CommandError as "<class name>: <message>" and exits with status 1,
    so this name makes the one line a person reads "Refused: <reason>"."""


class Command(BaseCommand):
    help = "Import a document (TXT, DOCX, PDF or XLIFF) into a project and cut it into segments."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the document to import.")
        parser.add_argument(
            "--project", required=True, metavar="SLUG", help="Slug of the project to import into."
        )
        parser.add_argument(
            "--format",
            help="txt, docx, pdf or xliff; by default recognised from the content and name.",
        )
        parser.add_argument(
            "--encoding",
            help="Encoding of a text file, e.g. utf-8, big5hkscs, gb18030; by default detected.",
        )

    def handle(self, *args, file, project, format, encoding, **options):
        target = Project.objects.filter(slug=project).first()
        if target is None:
            known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)[:20])
            raise Refused(
                f"There is no project with the slug “{project}”; "
                + (f"choose one of: {known}." if known else "create the project first.")
            )
        path = Path(file)
        try:
            document = import_document(
                target,
                data=read_upload(path),
                filename=path.name,
                format=format or None,
                encoding=encoding or None,
            )
        except ImportRejected as rejected:
            raise Refused(" ".join(str(rejected).split())) from None
        segments = document.segments.count()
        self.stdout.write(
            f"Imported {segments} segment{'' if segments == 1 else 's'} into "
            f"“{document.title}” (document {document.pk})."
        )


def read_upload(path):
    """The file's bytes, once its name and size pass `check_upload` (which raises
    ImportRejected); never more than one byte over the upload limit, so the service still
    refuses a file that grew in the meantime."""
    shown = _shown(path)
    try:
        path.name.encode()
    except UnicodeEncodeError:
        raise Refused(
            f"The name of {shown} is not valid UTF-8; rename the file and run the command again."
        ) from None
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise Refused(f"{shown} is not a file; give the path of a document.")
        check_upload(path.name, status.st_size)
        with path.open("rb") as original:
            return original.read(settings.MAX_UPLOAD_BYTES + 1)
    except FileNotFoundError:
        raise Refused(f"There is no file at {shown}; check the path.") from None
    except OSError as error:
        raise Refused(
            f"{shown} cannot be read ({error.strerror}); check the path and the file's permissions."
        ) from None


def _shown(path):
    """The path as a person can read it, quoted; undecodable bytes of a name become �."""
    return "“" + str(path).encode(errors="surrogateescape").decode(errors="replace") + "”"
