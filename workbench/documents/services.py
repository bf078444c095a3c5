"""Importing a document: the one entry point for the upload page and the command line.

`check_upload` refuses what can be refused before reading (name, size); `import_document`
parses, segments and stores in one transaction, so a document gets all its segments or
none, and a rejected file leaves nothing behind: no row, no segment, no stored file.
"""

import logging
import unicodedata
from functools import partial
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Min

from agents.languages import DETECTION_SAMPLE, primary_language, scripts_differ, text_mismatch
from workbench import audit
from workbench.audit.models import AuditEvent

from . import importers, lifecycle
from .importers.base import ImportRejected
from .models import Document, Revision, Segment
from .placeholders import TOKEN
from .segmentation import SegmentTooLong, bounded_segments, count_words
from .signals import document_imported

logger = logging.getLogger(__name__)

MAX_FILENAME = 255
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = set("\t\n\r")


def check_upload(filename, size):
    """Refuse a file by its name and size alone. Returns the cleaned display name."""
    if not filename or "\x00" in filename:
        raise ImportRejected("The file name contains a NUL character; rename the file and retry.")
    if len(filename) > MAX_FILENAME:
        raise ImportRejected(
            f"The file name is {len(filename)} characters long; shorten it to at most "
            f"{MAX_FILENAME} and retry."
        )
    if "/" in filename or "\\" in filename or filename in {".", ".."}:
        raise ImportRejected(
            "The file name contains a path (“/”, “\\” or “..”); upload the file under its "
            "plain name."
        )
    if any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in filename):
        raise ImportRejected(
            "The file name contains control or bidirectional-override characters; rename it."
        )
    if size == 0:
        raise ImportRejected("The file is empty.")
    if size > settings.MAX_UPLOAD_BYTES:
        raise ImportRejected(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is {settings.MAX_UPLOAD_MB} MB. "
            "Split the document or ask an administrator to raise WORKBENCH_MAX_UPLOAD_MB."
        )
    return unicodedata.normalize("NFC", filename)


def check_text(blocks):
    """Control and bidi-override characters hide or reorder text: refuse, naming where."""
    for number, block in enumerate(blocks, start=1):
        for char in block.text + block.target:
            if char in BIDI_CONTROLS:
                raise ImportRejected(
                    f"Paragraph {number} contains the bidirectional control character "
                    f"U+{ord(char):04X}, which can make text read differently from how it is "
                    "stored. Remove it and upload again."
                )
            if unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS:
                raise ImportRejected(
                    f"Paragraph {number} contains the control character U+{ord(char):04X}; "
                    "the file is damaged or not a text document."
                )


def check_languages(parsed, project):
    """A file must be in the project's language pair: the languages it declares (a
    regional variant that differs, zh-HK for zh-Hant-HK, is only worth a warning, but
    another script, zh-CN for zh-Hant-HK, is refused), and the languages its text is
    actually written in (`agents.languages.detect`), source and, for a bilingual file, target."""
    pairs = [
        ("source", parsed.source_language, project.source_language),
        ("target", parsed.target_language, project.target_language),
    ]
    for side, found, expected in pairs:
        if not found:
            continue
        if primary_language(found) != primary_language(expected) or scripts_differ(found, expected):
            raise ImportRejected(
                f"The file's {side} language is {found}, but this project translates "
                f"{project.language_pair}. Upload it to a project with that language pair."
            )
        if found.lower() != expected.lower():
            parsed.warnings.append(
                f"The file's {side} language is {found}; the project's is {expected}."
            )
    texts = [
        ("text", [block.text for block in parsed.blocks], project.source_language),
        ("translated text", [block.target for block in parsed.blocks], project.target_language),
    ]
    for what, pieces, expected in texts:
        found = text_mismatch(TOKEN.sub("", "\n".join(pieces))[:DETECTION_SAMPLE], expected)
        if found:
            raise ImportRejected(
                f"The file's {what} {found}, but this project translates "
                f"{project.language_pair} ({what} in {expected}). Nothing was imported; "
                "upload the file to a project for its language pair."
            )


def import_document(project, *, data, filename, user=None, format=None, encoding=None, title=""):
    """Import one file into `project`; return the ready Document or raise ImportRejected."""
    filename = check_upload(filename, len(data))
    format = format or importers.detect_format(filename, data)
    parsed = importers.parse(format, data, encoding=encoding)
    check_languages(parsed, project)
    check_text(parsed.blocks)
    rows = _segments_from_blocks(parsed.blocks, project)
    if not rows:
        raise ImportRejected("The file contains no text to translate.")

    document = Document(
        project=project,
        title=(title or PurePath(filename).stem)[:255],
        original_filename=filename,
        format=parsed.format,
        encoding=parsed.encoding,
        status=Document.Status.IMPORTING,
        import_warnings=parsed.warnings,
        created_by=user,
    )
    document.original_file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
            for row in rows:
                row.document = document
            lifecycle.record_import(Segment.objects.bulk_create(rows, batch_size=2000))
            document.status = Document.Status.READY
            document.save(update_fields=["status"])
            audit.record(
                AuditEvent.Kind.DOCUMENT_IMPORTED,
                user=user,
                project=project,
                target=document,
                details={"file": filename, "segments": len(rows)},
            )
    except BaseException:
        document.original_file.delete(save=False)
        raise
    transaction.on_commit(partial(_tell_imported, document))
    return document


def _pieces(block, number, project):
    """The segments of one block, none longer than WORKBENCH_MAX_SEGMENT_CHARS; an
    ImportRejected naming the paragraph when that cannot be."""
    limit = settings.WORKBENCH_MAX_SEGMENT_CHARS
    if block.presegmented:
        if len(block.text.strip()) > limit:
            raise ImportRejected(
                f"Segment {number} of the file is {len(block.text.strip()):,} characters long; "
                f"the workbench takes segments of at most {limit:,}. Split it in the tool that "
                "made the file and upload again."
            )
        return [block.text]
    try:
        return bounded_segments(block.text, project.source_language, project.segmentation, limit)
    except SegmentTooLong as too_long:
        raise ImportRejected(
            f"Paragraph {number} cannot be cut into segments: {too_long} (it begins "
            f"“{too_long.run[:60]}…”). Break it up with full stops or new paragraphs, or ask "
            "an administrator to raise WORKBENCH_MAX_SEGMENT_CHARS, and upload again."
        ) from None


def _segments_from_blocks(blocks, project):
    language = project.source_language
    rows = []
    for block_index, block in enumerate(blocks):
        pieces = [piece.strip() for piece in _pieces(block, block_index + 1, project)]
        for piece in pieces:
            if not piece:
                continue
            target = block.target if block.presegmented else ""
            rows.append(
                Segment(
                    position=len(rows) + 1,
                    source=piece,
                    target=target,
                    status=(block.target_status or Segment.Status.DRAFTED) if target else "new",
                    draft_origin=Segment.DraftOrigin.IMPORT if target else "",
                    locked=block.locked,
                    source_hash=Segment.hash_source(piece),
                    word_count=count_words(piece, language),
                    char_count=len(piece),
                    kind=block.kind,
                    paragraph_number=block.paragraph_number,
                    block=block_index,
                    hidden=block.hidden,
                    structure=block.structure,
                    placeholders=block.placeholders,
                )
            )
    return rows


def _tell_imported(document):
    for receiver, outcome in document_imported.send_robust(sender=Document, document=document):
        if isinstance(outcome, Exception):
            logger.error(
                "After importing document %s, %s failed.",
                document.pk,
                getattr(receiver, "__qualname__", receiver),
                exc_info=outcome,
            )


@transaction.atomic
def delete_document(document):
    """Delete a document with its segments and their history; its original and exports
    go once the deletion commits. The audit log keeps what the history was, without
    the text: how many segments, who changed them how often and when (each QA override
    was logged as it happened, and stays)."""
    revisions = Revision.objects.filter(segment__document=document)
    span = revisions.aggregate(first=Min("created_at"), last=Max("created_at"))
    by_whom = (
        revisions.values("origin", "author__username")
        .annotate(changes=Count("pk"))
        .order_by("origin", "author__username")
    )
    audit.record(
        AuditEvent.Kind.DOCUMENT_DELETED,
        project=document.project,
        target=document,
        details={
            "file": document.original_filename,
            "segments": document.status_counts(),
            "changes": {
                row["author__username"] or row["origin"]: row["changes"] for row in by_whom
            },
            "first_change": span["first"],
            "last_change": span["last"],
        },
    )
    document.delete()
