"""Word documents: headings, paragraphs, list items and table cells in document order,
each footnote right after the block that cites it.

python-docx only ever sees a copy of the file rebuilt from parts that were read within
their declared sizes and checked for DTDs and entities. It resolves styles; the body,
the automatic numbers and the footnotes are read from the XML, which python-docx has no
API for.
"""

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

import docx
from defusedxml.ElementTree import fromstring
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from ..placeholders import opening_token
from .base import Block, ImportRejected, ParsedDocument, split_paragraph_number
from .safety import open_zip_safely, read_parts_safely, reject_unsafe_xml

WHAT = "The Word file"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc), old Excel, ...
OTHER_OFFICE_FILES = {
    "xl/workbook.xml": "an Excel workbook",
    "ppt/presentation.xml": "a PowerPoint presentation",
    "content.xml": "an OpenDocument file",
}
HEADING_STYLE = re.compile(r"Heading ([1-9])")
LEVEL_PLACEHOLDER = re.compile(r"%([1-9])")
SPACES = re.compile(r"[ \t\n\r]+")
UNNUMBERED_FORMATS = {"bullet", "none"}
# Deleted and moved-away text is not part of the document any more; a Fallback repeats
# what its AlternateContent Choice already holds; properties hold no text.
SKIPPED = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), qn("w:rPr"), qn("w:tblPr"), qn("w:tcPr")}
SKIPPED.add("{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback")
NOTES = [("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)]
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def parse(data, encoding=None):
    copy = _checked_copy(data)
    try:
        word = docx.Document(io.BytesIO(copy))
    except Exception as error:  # python-docx raises KeyError, ValueError... on a bad package
        raise ImportRejected(
            f"The Word file could not be opened ({error}). Open it in Word, save it as "
            "“Word Document (.docx)” and upload that file."
        ) from None
    return _WordReader(word).parsed()


def _checked_copy(data):
    """The file rebuilt from its checked parts, or ImportRejected saying what is wrong."""
    if not data:
        raise ImportRejected("The file is empty.")
    if data.startswith(OLE_SIGNATURE):
        raise ImportRejected(
            "This is an old Word 97-2003 document (.doc), not a .docx. Open it in Word, "
            "save it as “Word Document (.docx)” and upload that file."
        )
    archive = open_zip_safely(data, WHAT)
    parts = read_parts_safely(archive, WHAT)
    if "word/document.xml" not in parts:
        kind = next((kind for name, kind in OTHER_OFFICE_FILES.items() if name in parts), None)
        raise ImportRejected(
            f"The file is {kind or 'a ZIP archive'}, not a Word document (it has no "
            "word/document.xml). Upload the document as .docx, saved from Word."
        )
    for name in _xml_part_names(parts):
        reject_unsafe_xml(parts[name], f"The part {name} of the Word file")
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as rebuilt:
        for name, content in parts.items():
            rebuilt.writestr(name, content)
    return copy.getvalue()


def _xml_part_names(parts):
    """Parts python-docx may parse as XML: by their name, and by the content type the
    package declares for them, since a package can declare any part its main document.
    Images are left alone: python-docx never parses them, and SVGs often carry a DTD."""
    names = {name for name in parts if name.lower().endswith((".xml", ".rels"))}
    if "[Content_Types].xml" not in parts:
        return sorted(names)
    reject_unsafe_xml(parts["[Content_Types].xml"], "The part [Content_Types].xml of the Word file")
    declared = fromstring(parts["[Content_Types].xml"])
    by_extension = {
        entry.get("Extension", "").lower(): entry.get("ContentType", "")
        for entry in declared
        if entry.tag.endswith("}Default")
    }
    by_name = {
        entry.get("PartName", "").lstrip("/").lower(): entry.get("ContentType", "")
        for entry in declared
        if entry.tag.endswith("}Override")
    }
    for name in parts:
        content_type = by_name.get(name.lower()) or by_extension.get(
            name.rpartition(".")[2].lower(), ""
        )
        if content_type.endswith("xml") and not content_type.startswith("image/"):
            names.add(name)
    return sorted(names)


@dataclass
class _Numbered:
    """A body paragraph Word numbers automatically, kept until we know which numbering
    is the judgment's paragraph numbering."""

    block: Block
    num_id: str
    level: int
    format: str


class _WordReader:
    def __init__(self, word):
        self.part = word.part
        self.numbering = _Numbering(self._related_xml(RT.NUMBERING))
        self.notes = {kind: self._notes(kind, reltype) for kind, reltype in NOTES}
        self.blocks = []
        self.warnings = []
        self.numbered = []
        self.typed_numbers = 0
        self.tables = 0
        self.hiding_styles = {}

    def parsed(self):
        for element in _contents(self.part.element.body):
            if element.tag == qn("w:p"):
                self._read_paragraph(element)
            else:
                self._read_table(element)
        self._tell_paragraphs_from_list_items()
        return ParsedDocument(format="docx", blocks=self.blocks, warnings=self.warnings)

    def _read_paragraph(self, p):
        style = self._style_of(p)
        # An empty numbered paragraph still uses up its number in Word, so count first.
        numbering = self._numbering_of(p, style)
        label, number_format = self.numbering.next(*numbering) if numbering else ("", "")
        text, placeholders, cited, hidden = self._inline(p, style)
        if not text:
            return
        level = _heading_level(p, style)
        if label:
            number = label
        else:
            number, text = split_paragraph_number(text)
            if number and level is None:
                self.typed_numbers += 1
        block = Block(
            text=SPACES.sub(" ", text).strip(),
            kind="paragraph" if level is None else "heading",
            paragraph_number=number,
            hidden=hidden,
            structure={} if level is None else {"level": level},
            placeholders=placeholders,
        )
        self._add(block, cited, f"Paragraph {number}" if number else None)
        if number_format and level is None:
            self.numbered.append(_Numbered(block, numbering[0], numbering[1], number_format))

    def _read_table(self, tbl):
        table = self.tables
        self.tables += 1
        nested = []
        for row, tr in enumerate(_children(tbl, "w:tr")):
            column = _int(_value(tr, "w:trPr/w:gridBefore"), 0)
            for tc in _children(tr, "w:tc"):
                where = {"table": table, "row": row, "col": column}
                column += max(_int(_value(tc, "w:tcPr/w:gridSpan"), 1), 1)
                if _continues_merge(tc):
                    continue  # a merged cell is imported once, where the merge starts
                contents = list(_contents(tc))
                nested += [element for element in contents if element.tag == qn("w:tbl")]
                self._read_cell([e for e in contents if e.tag == qn("w:p")], where)
        for inner in nested:
            self._read_table(inner)

    def _read_cell(self, paragraphs, where):
        texts, placeholders, cited, hidden = [], {}, [], False
        for p in paragraphs:
            style = self._style_of(p)
            numbering = self._numbering_of(p, style)
            if numbering:
                self.numbering.next(*numbering)  # numbers in cells count on in the body
            text, found, notes, hidden_here = self._inline(p, style, len(placeholders))
            texts.append(SPACES.sub(" ", text).strip())
            placeholders |= found
            cited += notes
            hidden = hidden or hidden_here
        text = _joined(texts)
        if text:
            block = Block(
                text=text,
                kind="table_cell",
                hidden=hidden,
                structure=where,
                placeholders=placeholders,
            )
            label = f"Table {where['table'] + 1}, row {where['row'] + 1}, column {where['col'] + 1}"
            self._add(block, cited, label)

    def _add(self, block, cited, label):
        """Append a block, warn if it hides text, and put the notes it cites after it."""
        self.blocks.append(block)
        if block.hidden:
            self._warn_hidden(block, label)
        for kind, note_id in cited:
            note = self.notes[kind].get(note_id)
            if note is None:
                self.warnings.append(
                    f"The text of {kind} {note_id} is missing from the file; its mark was "
                    f"kept in “{_excerpt(block.text)}”."
                )
                continue
            texts, hidden = [], False
            for p in note.findall("w:p", NS):
                text, _, _, hidden_here = self._inline(p, self._style_of(p), follow_notes=False)
                texts.append(SPACES.sub(" ", text).strip())
                hidden = hidden or hidden_here
            note_block = Block(
                text=_joined(texts), kind="footnote", hidden=hidden, structure={kind: note_id}
            )
            if note_block.text:
                self.blocks.append(note_block)
                if hidden:
                    self._warn_hidden(note_block, f"{kind.capitalize()} {note_id}")

    def _warn_hidden(self, block, label):
        """Name the block as a person finds it in Word: by its number, else by its words."""
        where = (
            f"{label} (“{_excerpt(block.text)}”)"
            if label
            else f"The {block.kind} “{_excerpt(block.text)}”"
        )
        self.warnings.append(
            f"{where} contains hidden text. It was imported and marked hidden; check whether "
            "it should be translated."
        )

    def _inline(self, p, paragraph_style, tokens_before=0, follow_notes=True):
        """(text, placeholders, cited notes, any text hidden) of one paragraph.

        Tabs and line breaks come out as "\\t" and "\\n" so a typed "12<tab>" is still
        recognised as a paragraph number; the caller turns them into spaces.
        """
        pieces, placeholders, cited = [], {}, []
        hidden = False
        for run in _runs([p]):
            run_text = []
            for child in run:
                tag = child.tag
                if tag == qn("w:t"):
                    run_text.append(child.text or "")
                elif tag in (qn("w:tab"), qn("w:ptab")):
                    run_text.append("\t")
                elif tag in (qn("w:br"), qn("w:cr")):
                    run_text.append("\n")
                elif tag == qn("w:noBreakHyphen"):
                    run_text.append("\u2011")
                elif follow_notes and tag in (qn("w:footnoteReference"), qn("w:endnoteReference")):
                    kind = "footnote" if tag == qn("w:footnoteReference") else "endnote"
                    note_id = child.get(qn("w:id"), "")
                    token = opening_token(tokens_before + len(placeholders) + 1)
                    placeholders[token] = {"type": kind, "id": note_id}
                    cited.append((kind, note_id))
                    run_text.append(token)
            text = "".join(run_text)
            if text.strip() and self._hides(run, paragraph_style):
                hidden = True
            pieces.append(text)
        return "".join(pieces).strip(), placeholders, cited, hidden

    def _hides(self, run, paragraph_style):
        """Hidden by the run's own formatting, else by its character style, else by its
        paragraph style (Word's order of precedence)."""
        vanish = run.find("w:rPr/w:vanish", NS)
        if vanish is not None:
            return _switched_on(vanish)
        character_style = _value(run, "w:rPr/w:rStyle")
        key = (character_style, paragraph_style.style_id if paragraph_style else None)
        if key not in self.hiding_styles:
            styles = [paragraph_style]
            if character_style:
                styles.insert(0, self.part.get_style(character_style, WD_STYLE_TYPE.CHARACTER))
            settings = (s.font.hidden for style in styles for s in _lineage(style))
            self.hiding_styles[key] = next((h for h in settings if h is not None), False)
        return self.hiding_styles[key]

    def _style_of(self, p):
        return self.part.get_style(_value(p, "w:pPr/w:pStyle"), WD_STYLE_TYPE.PARAGRAPH)

    def _numbering_of(self, p, style):
        """(numId, level) of an automatically numbered paragraph, from its own properties
        or its style's (the built-in "List Number" style carries its numbering)."""
        num_id = _value(p, "w:pPr/w:numPr/w:numId")
        level = _value(p, "w:pPr/w:numPr/w:ilvl")
        for s in _lineage(style):
            num_id = num_id or _value(s.element, "w:pPr/w:numPr/w:numId")
            level = level or _value(s.element, "w:pPr/w:numPr/w:ilvl")
        if not num_id or num_id == "0":  # numId 0 switches inherited numbering off
            return None
        return num_id, _int(level, 0)

    def _tell_paragraphs_from_list_items(self):
        """A judgment numbers its paragraphs with one Word list: the one that numbers the
        most body paragraphs at its top level (and at least as many as were numbered by
        hand). Those are paragraphs; everything else Word numbers or bullets is a list."""
        top_level = Counter(
            entry.num_id
            for entry in self.numbered
            if entry.level == 0 and entry.format not in UNNUMBERED_FORMATS
        )
        paragraph_numbering = None
        if top_level:
            num_id, count = top_level.most_common(1)[0]
            if count >= self.typed_numbers:
                paragraph_numbering = num_id
        for entry in self.numbered:
            if entry.num_id != paragraph_numbering or entry.level != 0:
                entry.block.kind = "list_item"

    def _related_xml(self, reltype):
        try:
            return parse_xml(self.part.part_related_by(reltype).blob)
        except KeyError:
            return None

    def _notes(self, kind, reltype):
        """{w:id: <w:footnote>} for the notes people wrote (not Word's separator lines)."""
        root = self._related_xml(reltype)
        if root is None:
            return {}
        return {
            note.get(qn("w:id")): note
            for note in root.findall(f"w:{kind}", NS)
            if note.get(qn("w:type"), "normal") == "normal"
        }


class _Numbering:
    """Word's automatic numbers as Word shows them, counted per list (numId) and level:
    start values, start overrides, deeper levels restarting, and the common formats
    (decimal, letters, roman). Other formats fall back to digits."""

    def __init__(self, root):
        self.levels = {}  # numId -> {level: (start, format, text)}
        self.counters = {}
        if root is None:
            return
        abstracts = {
            a.get(qn("w:abstractNumId")): _levels(a) for a in root.findall("w:abstractNum", NS)
        }
        for num in root.findall("w:num", NS):
            levels = dict(abstracts.get(_value(num, "w:abstractNumId"), {}))
            for override in num.findall("w:lvlOverride", NS):
                level = _int(override.get(qn("w:ilvl")), 0)
                levels |= _levels(override)
                start = _value(override, "w:startOverride")
                if start is not None and level in levels:
                    levels[level] = (_int(start, 1), *levels[level][1:])
            self.levels[num.get(qn("w:numId"))] = levels

    def next(self, num_id, level):
        """Count one more paragraph of this list; return (its label, e.g. "12" or "(a)",
        and the level's number format)."""
        levels = self.levels.get(num_id, {})
        if level not in levels:
            return "", ""
        counts = self.counters.setdefault(num_id, {})
        counts[level] = counts[level] + 1 if level in counts else levels[level][0]
        for deeper in [other for other in counts if other > level]:
            del counts[deeper]
        number_format = levels[level][1]
        if number_format in UNNUMBERED_FORMATS:
            return "", number_format

        def number(match):
            shown = int(match.group(1)) - 1
            start, shown_format, _ = levels.get(shown, (1, "decimal", ""))
            return _formatted(counts.get(shown, start), shown_format)

        label = LEVEL_PLACEHOLDER.sub(number, levels[level][2]).strip().rstrip(".")
        return label, number_format


def _levels(element):
    return {
        _int(lvl.get(qn("w:ilvl")), 0): (
            _int(_value(lvl, "w:start"), 1),
            _value(lvl, "w:numFmt") or "decimal",
            _value(lvl, "w:lvlText") or "",
        )
        for lvl in element.findall("w:lvl", NS)
    }


def _formatted(number, number_format):
    if number < 1:
        return str(number)
    if number_format in ("lowerLetter", "upperLetter"):
        # Word goes a ... z, aa, bb ... zz, aaa.
        letters = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letters.upper() if number_format == "upperLetter" else letters
    if number_format in ("lowerRoman", "upperRoman"):
        roman = _roman(number)
        return roman.lower() if number_format == "lowerRoman" else roman
    if number_format == "decimalZero":
        return f"{number:02d}"
    return str(number)


def _roman(number):
    numerals = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]  # fmt: skip
    roman = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        roman += numeral * count
    return roman


def _contents(container):
    """The paragraphs and tables of a body or cell in order, looking inside content
    controls and custom XML wrappers."""
    for child in container:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            for content in child.findall(qn("w:sdtContent")):
                yield from _contents(content)
        elif child.tag == qn("w:customXml"):
            yield from _contents(child)


def _children(element, tag):
    """Children with `tag` (rows of a table, cells of a row), looking inside content
    controls."""
    for child in element:
        if child.tag == qn(tag):
            yield child
        elif child.tag == qn("w:sdt"):
            for content in child.findall("w:sdtContent", NS):
                yield from _children(content, tag)


def _runs(elements):
    """The runs inside paragraph content, in order, through hyperlinks, insertions,
    fields, content controls and text boxes, leaving out deleted text."""
    for element in elements:
        for child in element:
            if child.tag in SKIPPED:
                continue
            if child.tag == qn("w:r"):
                yield child
            yield from _runs([child])


def _heading_level(p, style):
    """1-9 for Heading 1-9 (or an outline level), 0 for Title, None for body text."""
    outline = _value(p, "w:pPr/w:outlineLvl")
    if outline is not None:
        return _outline_level(outline)
    for s in _lineage(style):
        if s.name == "Title":
            return 0
        if match := HEADING_STYLE.fullmatch(s.name or ""):
            return int(match.group(1))
        outline = _value(s.element, "w:pPr/w:outlineLvl")
        if outline is not None:
            return _outline_level(outline)
    return None


def _outline_level(value):
    level = _int(value, 9)
    return level + 1 if 0 <= level < 9 else None  # 9 is Word's "body text"


def _lineage(style):
    """The style and the styles it is based on, stopping at a loop."""
    seen = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        yield style
        style = style.base_style


def _continues_merge(tc):
    """True for the covered cells of a merge (w:val "continue", or no value at all)."""
    return any(
        merge is not None and merge.get(qn("w:val"), "continue") == "continue"
        for merge in (tc.find("w:tcPr/w:vMerge", NS), tc.find("w:tcPr/w:hMerge", NS))
    )


def _switched_on(element):
    return element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _value(element, path):
    """The w:val of the element at `path` below `element`, or None."""
    found = element.find(path, NS)
    return None if found is None else found.get(qn("w:val"))


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _joined(paragraphs):
    """Paragraphs of one cell or note as one block. A space keeps them apart even in
    Chinese: they are separate items (a name, a role), not a wrapped line."""
    return " ".join(text for text in paragraphs if text)


def _excerpt(text, length=40):
    return text if len(text) <= length else text[: length - 1] + "…"
