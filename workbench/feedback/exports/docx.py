"""The translated document as a Word file, rebuilt from its segments.

One Word paragraph per block of the original (segments of a block joined by a space, or
by nothing between two texts in a language written without spaces), in the original's
order: headings in Word's "Heading N" styles, paragraph numbers typed at the start of
their paragraph ("12.<tab>"), table cells in tables of the right rows and columns, and
footnotes and endnotes as real Word notes, cited where the translation has their mark.

A segment whose status is not among the chosen ones, or that has no translation yet,
keeps its source text, highlighted in yellow so a reader sees what is still to be
translated; the file's comments say how many there are.

Why not write into a copy of the original: finding the original paragraph of each block
would repeat every decision of the importer (empty paragraphs skipped, merged cells read
once, nested tables after their table, typed numbers split off, notes placed after their
paragraph), and any disagreement would silently put a translation into the wrong
paragraph of a judgment. A rebuilt file is predictable; the original's page layout and
fonts are not carried over.
"""

from dataclasses import dataclass, field

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.text.paragraph import Paragraph

from agents.languages import written_without_spaces
from workbench.documents.placeholders import TOKEN

from .corpus import COLUMNS
from .inline import xml_safe

NOTES = {
    "footnote": (RT.FOOTNOTES, CT.WML_FOOTNOTES, "/word/footnotes.xml"),
    "endnote": (RT.ENDNOTES, CT.WML_ENDNOTES, "/word/endnotes.xml"),
}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Word expects the two separator notes before the real ones.
NOTES_SKELETON = (
    '<w:{kind}s xmlns:w="' + W + '">'
    '<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
    '<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:{kind}></w:{kind}s>"
)


@dataclass
class _Block:
    kind: str
    paragraph_number: str
    structure: dict
    placeholders: dict = field(default_factory=dict)
    pieces: list = field(default_factory=list)  # (text, language, translated)


def save_docx(corpus, tally, out):
    # One document's blocks fit in memory; tables need all their cells to be laid out.
    blocks = list(_blocks(corpus, tally))
    word = _TranslatedDocument(_table_sizes(blocks))
    for block in blocks:
        word.add(block)
    word.finish(tally.untranslated)
    word.document.save(out)


def _table_sizes(blocks):
    """{the original's table number: (rows, columns)} from where its cells were."""
    sizes = {}
    for block in blocks:
        where = block.structure
        if block.kind == "table_cell" and "table" in where:
            rows, columns = sizes.get(where["table"], (0, 0))
            sizes[where["table"]] = (max(rows, where["row"] + 1), max(columns, where["col"] + 1))
    return sizes


def _blocks(corpus, tally):
    """The document's blocks in order, each with the text to write for its segments."""
    source, target = corpus.source_language, corpus.target_language
    segments = corpus.document.segments.order_by("position").only(*COLUMNS)
    current, index = None, None
    for segment in corpus.stream(segments):
        tally.read()
        if segment.block != index:
            if current is not None:
                yield current
            index = segment.block
            current = _Block(segment.kind, segment.paragraph_number, segment.structure)
        current.placeholders |= segment.placeholders
        translated = segment.status in corpus.statuses and bool(segment.target.strip())
        if translated:
            current.pieces.append((segment.target, target, True))
        else:
            current.pieces.append((segment.source, source, False))
            tally.untranslated += 1
        tally.wrote()
    if current is not None:
        yield current


class _TranslatedDocument:
    def __init__(self, table_sizes):
        self.table_sizes = table_sizes
        self.document = docx.Document()
        self.tables = {}  # the original's table number -> Word table
        self.notes = {kind: {} for kind in NOTES}  # original note id -> Word note id
        self.note_texts = {kind: [] for kind in NOTES}  # (Word note id, block)
        self.last_paragraph = None

    def add(self, block):
        if block.kind in NOTES:
            self._add_note(block)
        elif block.kind == "table_cell" and "table" in block.structure:
            self._add_cell(block)
        else:
            self._add_paragraph(block)

    def _add_paragraph(self, block):
        paragraph = self.document.add_paragraph(style=self._style(block))
        if block.paragraph_number:
            number = block.paragraph_number
            paragraph.add_run(f"{number}.\t" if number.isdigit() else f"{number}\t")
        self._write(paragraph, block)
        self.last_paragraph = paragraph

    def _style(self, block):
        if block.kind == "heading":
            level = min(max(int(block.structure.get("level", 1)), 1), 9)
            return f"Heading {level}"
        if block.kind == "list_item":
            return "List Paragraph"
        return None

    def _add_cell(self, block):
        where = block.structure
        table = self.tables.get(where["table"])
        if table is None:
            table = self._new_table(where["table"])
            self.tables[where["table"]] = table
        cell = table.cell(where["row"], where["col"])
        self._write(cell.paragraphs[0], block)
        self.last_paragraph = cell.paragraphs[0]

    def _new_table(self, number):
        """A table as large as the original's cells say, placed where its first cell
        comes in the document."""
        rows, columns = self.table_sizes[number]
        table = self.document.add_table(rows=rows, cols=columns)
        table.style = "Table Grid"
        return table

    def _write(self, paragraph, block):
        """The block's pieces as runs; note marks as references to Word notes."""
        previous_language = None
        for text, language, translated in block.pieces:
            # No space between sentences of Chinese or Japanese (Korean has spaces).
            if previous_language is not None and not (
                written_without_spaces(language) and written_without_spaces(previous_language)
            ):
                paragraph.add_run(" ")
            previous_language = language
            position = 0
            for match in TOKEN.finditer(text):
                self._run(paragraph, text[position : match.start()], translated)
                markup = block.placeholders.get(match.group(0))
                if isinstance(markup, dict) and markup.get("type") in NOTES:
                    self._cite(paragraph, markup["type"], str(markup.get("id", "")))
                position = match.end()
            self._run(paragraph, text[position:], translated)

    def _run(self, paragraph, text, translated):
        text = xml_safe(text)
        if not text:
            return
        run = paragraph.add_run(text)
        if not translated:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _cite(self, paragraph, kind, original_id):
        """A reference to the note, numbered in order of first citation."""
        notes = self.notes[kind]
        if original_id not in notes:
            notes[original_id] = len(notes) + 1
        run = paragraph.add_run()
        run.font.superscript = True
        reference = OxmlElement(f"w:{kind}Reference")
        reference.set(qn("w:id"), str(notes[original_id]))
        run._r.append(reference)

    def _add_note(self, block):
        kind = next(iter(NOTES.keys() & block.structure.keys()), block.kind)
        original_id = str(block.structure.get(kind, ""))
        if original_id not in self.notes[kind] and self.last_paragraph is not None:
            # The translation lost the note's mark: cite it at the end of its paragraph.
            self._cite(self.last_paragraph, kind, original_id)
        if original_id in self.notes[kind]:
            self.note_texts[kind].append((self.notes[kind][original_id], block))

    def finish(self, untranslated):
        for kind, (relationship, content_type, name) in NOTES.items():
            if self.note_texts[kind]:
                self._notes_part(kind, relationship, content_type, name)
        if untranslated:
            self.document.core_properties.comments = (
                f"{untranslated} segment(s) are not translated yet; they keep their source "
                "text, highlighted in yellow."
            )

    def _notes_part(self, kind, relationship, content_type, name):
        root = parse_xml(NOTES_SKELETON.format(kind=kind))
        for note_id, block in self.note_texts[kind]:
            note = OxmlElement(f"w:{kind}")
            note.set(qn("w:id"), str(note_id))
            p = OxmlElement("w:p")
            note.append(p)
            paragraph = Paragraph(p, None)
            mark = paragraph.add_run()
            mark.font.superscript = True
            mark._r.append(OxmlElement(f"w:{kind}Ref"))
            paragraph.add_run(" ")
            self._write(paragraph, block)
            root.append(note)
        part = XmlPart(PackURI(name), content_type, root, self.document.part.package)
        self.document.part.relate_to(part, relationship)
