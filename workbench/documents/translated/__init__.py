"""Return to sender: the translated original of an imported document, in its own format.

    translated = translated_file(document)
    translated.filename, translated.content_type, translated.data

A bilingual file (XLIFF, SDLXLIFF, MQXLIFF) goes back as the same file with its targets
and states filled in, under its own name, as the tool that wrote it expects. A Word file
goes back as the original document with each paragraph's text replaced in place. A text
file goes back as text. A PDF cannot be written into, so it gives a Word file rebuilt
from its blocks.

Segments not translated yet keep their source text (a bilingual file keeps its target
as it was); `untranslated` counts them, so the person downloading is told.
"""

from dataclasses import dataclass
from pathlib import PurePath

from ..models import Document
from .docx import write_docx, write_rebuilt_docx
from .text import write_text
from .xliff import write_xliff

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {
    Document.Format.XLIFF: "application/x-xliff+xml",
    Document.Format.DOCX: DOCX,
    Document.Format.PDF: DOCX,
    Document.Format.TXT: "text/plain; charset=utf-8",
}


@dataclass
class TranslatedFile:
    filename: str
    content_type: str
    data: bytes
    untranslated: int


def translated_file(document):
    segments = list(document.segments.order_by("position"))
    untranslated = sum(1 for segment in segments if not segment.target.strip())
    language = document.project.target_language
    original = PurePath(document.original_filename)
    if document.format == Document.Format.XLIFF:
        data, filename = write_xliff(document, segments), original.name
    elif document.format == Document.Format.DOCX:
        data, filename = write_docx(document, segments), f"{original.stem}.{language}.docx"
    elif document.format == Document.Format.PDF:
        data = write_rebuilt_docx(document, segments)
        filename = f"{original.stem}.{language}.docx"
    else:
        data, filename = write_text(segments), f"{original.stem}.{language}.txt"
    return TranslatedFile(filename, CONTENT_TYPES[document.format], data, untranslated)
