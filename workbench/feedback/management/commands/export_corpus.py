"""Export a project's reviewed corpus (or one translated document) to a file.

python manage.py export_corpus --project hk --format tmx -o hk.tmx
python manage.py export_corpus --project hk --format jsonl-sft --since 2024-01-01 -o sft.jsonl
python manage.py export_corpus --project hk --format docx --document 12 -o judgment.docx
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.feedback.exports import FORMATS, Corpus, ExportRefused, export_corpus
from workbench.feedback.exports.corpus import date_from
from workbench.projects.models import Project


class Command(BaseCommand):
    help = "Write a project's segments (approved only by default) to a TMX, XLIFF, JSONL, CSV, XLSX or DOCX file."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="The project's slug")
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--document", type=int, help="Only this document (its id)")
        parser.add_argument(
            "--status",
            action="append",
            help="A status to include (repeat, or separate with commas); default approved",
        )
        parser.add_argument("--since", help="Only segments changed on or after YYYY-MM-DD")
        parser.add_argument("--until", help="Only segments changed on or before YYYY-MM-DD")
        parser.add_argument("-o", "--output", required=True, help="The file to write")

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(
                f"There is no project “{options['project']}”; give the slug shown in its address."
            )
        document = None
        if options["document"] is not None:
            document = project.documents.filter(pk=options["document"]).first()
            if document is None:
                raise CommandError(
                    f"Project “{project.slug}” has no document {options['document']}; "
                    f"its documents are {_ids(project)}."
                )
        elif FORMATS[options["format"]].whole_document:
            raise CommandError(
                f"A {options['format'].upper()} file is one document: add --document ID "
                f"(documents of “{project.slug}”: {_ids(project)})."
            )
        try:
            corpus = Corpus(
                project,
                document=document,
                statuses=",".join(options["status"] or ["approved"]),
                since=date_from(options["since"], "--since"),
                until=date_from(options["until"], "--until"),
            )
            tally = _write(corpus, options["format"], Path(options["output"]))
        except ExportRefused as refusal:
            raise CommandError(str(refusal)) from None
        audit.record(
            AuditEvent.Kind.EXPORT_CREATED,
            project=project,
            target=document or project,
            details={
                "format": options["format"],
                "units": tally.units,
                "via": "manage.py export_corpus",
                "file": str(Path(options["output"]).resolve()),
            },
        )
        message = f"Wrote {tally.units} units to {options['output']}."
        if tally.untranslated:
            message += f" {tally.untranslated} segment(s) kept their source text (untranslated)."
        self.stdout.write(message)


def _write(corpus, format_name, path):
    """Write next to `path` and rename at the end, so a refused or failed export leaves
    no half-written file behind."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as error:
        raise ExportRefused(
            f"Cannot write to {path.parent} ({error.strerror}); choose another folder."
        ) from None
    try:
        with os.fdopen(handle, "wb") as out:
            tally = export_corpus(corpus, format_name, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return tally


def _ids(project):
    return ", ".join(str(pk) for pk in project.documents.values_list("pk", flat=True)) or "none"
