"""Documents and segments for the export tests, written straight to the database so
each test says exactly what the corpus holds. (No tests here; the export test modules
import these builders.)"""

import datetime
import io

from django.utils import timezone

from workbench.documents.models import Document, Revision, Segment
from workbench.feedback.exports import Corpus, export_corpus

# A bold run and a standalone code, as the XLIFF importer stores them.
BOLD_AND_BREAK = {"⟦1⟧": '<g id="1" ctype="bold">', "⟦/1⟧": "</g>", "⟦2⟧": '<x id="2"/>'}
CONTROL_CHARACTERS = "".join(chr(code) for code in range(0x01, 0x20)) + "\ufffe"


def make_document(project, title="HCAL 1234/2024", format="xliff"):
    return Document.objects.create(
        project=project,
        title=title,
        original_filename=f"judgment.{format}",
        format=format,
        status=Document.Status.READY,
    )


def add_segment(document, source, target="", status="approved", **fields):
    position = document.segments.count() + 1
    fields.setdefault("block", position - 1)
    return Segment.objects.create(
        document=document,
        position=position,
        source=source,
        target=target,
        status=status,
        source_hash=Segment.hash_source(source),
        **fields,
    )


def changed_on(segment, day):
    """Pretend the segment was last changed at noon on `day` (a date)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Segment.objects.filter(pk=segment.pk).update(updated_at=moment)


def revise(segment, origin, text, author=None):
    return Revision.objects.create(
        segment=segment,
        origin=origin,
        author=author,
        new_target=text,
        new_status=segment.status,
        version=segment.revisions.count() + 1,
    )


def exported(project, format_name, **filters):
    """(bytes written, tally) of exporting the project's corpus."""
    out = io.BytesIO()
    tally = export_corpus(Corpus(project, **filters), format_name, out)
    return out.getvalue(), tally


def without_control_characters(text):
    """What an XML export keeps of `text`: tab, newline and carriage return only."""
    return "".join(
        char for char in text if char in "\t\n\r" or (char >= "\x20" and char not in "\ufffe\uffff")
    )
