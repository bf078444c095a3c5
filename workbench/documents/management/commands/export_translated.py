"""`manage.py export_translated --document ID -o FILE`: the "Download translated file"
button for the command line: the imported file in its own format, translations in."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from workbench.documents.importers.base import ImportRejected
from workbench.documents.models import Document
from workbench.documents.translated import translated_file

from .import_document import Refused


class Command(BaseCommand):
    help = "Write the translated original of an imported document (same format, targets in)."

    def add_arguments(self, parser):
        parser.add_argument("--document", required=True, type=int, metavar="ID")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, document, output, **options):
        found = Document.objects.select_related("project").filter(pk=document).first()
        if found is None:
            raise Refused(f"There is no document {document}; give the id shown in its address.")
        try:
            translated = translated_file(found)
        except ImportRejected as refused:
            raise Refused(" ".join(str(refused).split())) from None
        path = Path(output)
        _write(path, translated.data)
        untranslated = (
            f", {translated.untranslated} segment(s) not translated yet kept their source"
            if translated.untranslated
            else ""
        )
        self.stdout.write(
            f"Wrote the translated “{found.original_filename}” ({found.get_format_display()}"
            f"{untranslated}) to {path}."
        )


def _write(path, data):
    """Write beside `path` and rename, so a failure leaves no half-written file."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as error:
        raise Refused(
            f"Cannot write to {path.parent} ({error.strerror}); choose another folder."
        ) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
