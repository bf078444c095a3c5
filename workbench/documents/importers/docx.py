"""Word documents: headings, paragraphs, list items and table cells in document order,
each footnote right after the block that cites it, each text box right after the
paragraph that holds it.

Inline formatting that differs from the paragraph's own (bold, italic, underline, a
character style...), hyperlinks and note references become protected tokens, so the
translation can carry them and the translated file (`documents.translated.docx`) gives
them back. Comments are kept as the block's notes. Tracked changes are read as if
accepted (deleted text left out), with a warning that says so.

python-docx only ever sees a copy of the file rebuilt from parts that were read within
their declared sizes and checked for DTDs and entities. It resolves styles; the body,
the automatic numbers and the footnotes are read from the XML, which python-docx has no
API for.
"""

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import docx
from defusedxml.ElementTree import fromstring
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from lxml import etree

from ..placeholders import TOKEN, closing_token, opening_token
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
# A text box's paragraphs are blocks of their own, read after the paragraph holding it.
SKIPPED.add(qn("w:txbxContent"))
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Formatting that carries meaning: a run differing from its paragraph in one of these is
# tagged. Highlighting and shading are left out: they are a reader's marks, not the text's.
SHOWN_FORMATTING = {
    qn(f"w:{name}")
    for name in (
        "rStyle", "b", "bCs", "i", "iCs", "u", "strike", "dstrike", "vertAlign", "caps",
        "smallCaps", "color", "em",
    )
}  # fmt: skip
TEXT_CHILDREN = {
    qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen"),
    qn("w:footnoteReference"), qn("w:endnoteReference"),
}  # fmt: skip
NOTES = [("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)]
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def parse(data, encoding=None):
    return _WordReader(open_word(data)).parsed()


def open_word(data):
    """The python-docx Document of checked bytes, or ImportRejected."""
    copy = _checked_copy(data)
    try:
        return docx.Document(io.BytesIO(copy))
    except Exception as error:  # python-docx raises KeyError, ValueError... on a bad package
        raise ImportRejected(
            f"The Word file could not be opened ({error}). Open it in Word, save it as "
            "“Word Document (.docx)” and upload that file."
        ) from None


def read_for_writing(word):
    """The blocks of an opened Word file, each knowing its paragraphs (`paragraphs`), the
    runs behind its note tokens (`runs`) and its typed number (`number_prefix`), and the
    XML roots of the note parts that were read ({part: root}), for the translated file."""
    reader = _WordReader(word)
    return reader.parsed().blocks, reader.note_parts


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
        self.note_parts = {}
        self.notes = {kind: self._notes(kind, reltype) for kind, reltype in NOTES}
        self.comments = self._comments()
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
        self._warn_tracked_changes()
        return ParsedDocument(format="docx", blocks=self.blocks, warnings=self.warnings)

    def _warn_tracked_changes(self):
        body = self.part.element.body
        inserted = sum(1 for _ in body.iter(qn("w:ins"), qn("w:moveTo")))
        deleted = sum(1 for _ in body.iter(qn("w:del"), qn("w:moveFrom")))
        if inserted or deleted:
            self.warnings.append(
                f"The Word file has tracked changes ({inserted} insertion(s), {deleted} "
                "deletion(s)). They were read as accepted: inserted text is translated, "
                "deleted text is left out, and the translated file has no tracked changes. "
                "If they were not meant to be accepted, reject them in Word and upload again."
            )

    def _read_paragraph(self, p, structure=None):
        style = self._style_of(p)
        # An empty numbered paragraph still uses up its number in Word, so count first.
        numbering = self._numbering_of(p, style)
        label, number_format = self.numbering.next(*numbering) if numbering else ("", "")
        inline = self._inline(p, style)
        text = inline.text
        if text:
            level = _heading_level(p, style)
            prefix = ""
            if label:
                number = label
            else:
                number, rest = _typed_number(text, inline.placeholders)
                if number:
                    prefix, text = TOKEN.sub("", text[: len(text) - len(rest)]), rest
                if number and level is None:
                    self.typed_numbers += 1
            where = dict(structure or {})
            if level is not None:
                where["level"] = level
            block = Block(
                text=SPACES.sub(" ", text).strip(),
                kind="paragraph" if level is None else "heading",
                paragraph_number=number,
                hidden=inline.hidden,
                structure=self._with_comments(where, inline.comments),
                placeholders=inline.placeholders,
            )
            block.paragraphs, block.runs, block.number_prefix = [p], inline.runs, prefix
            block.usual_properties = inline.usual
            self._add(block, inline.cited, f"Paragraph {number}" if number else None)
            if number_format and level is None:
                self.numbered.append(_Numbered(block, numbering[0], numbering[1], number_format))
        self._read_text_boxes(p)

    def _read_text_boxes(self, p):
        """Each paragraph of the paragraph's text boxes, as a block of its own (Word keeps
        a second, older copy of each text box as a fallback: that one is skipped)."""
        for box in p.iter(qn("w:txbxContent")):
            if any(ancestor.tag == FALLBACK for ancestor in box.iterancestors()):
                continue
            if next(box.iterancestors(qn("w:txbxContent")), None) is not None:
                continue  # a text box in a text box is read with its own paragraph
            for element in _contents(box):
                if element.tag == qn("w:p"):
                    self._read_paragraph(element, {"text_box": True})

    def _with_comments(self, structure, comment_ids):
        notes = [self.comments[c] for c in dict.fromkeys(comment_ids) if c in self.comments]
        return {**structure, "notes": notes} if notes else structure

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
        texts, placeholders, cited, hidden, runs, comments = [], {}, [], False, {}, []
        usual = ""
        for p in paragraphs:
            style = self._style_of(p)
            numbering = self._numbering_of(p, style)
            if numbering:
                self.numbering.next(*numbering)  # numbers in cells count on in the body
            inline = self._inline(p, style, _count_numbers(placeholders))
            texts.append(SPACES.sub(" ", inline.text).strip())
            placeholders |= inline.placeholders
            cited += inline.cited
            runs |= inline.runs
            comments += inline.comments
            hidden = hidden or inline.hidden
            usual = usual or (inline.usual if inline.text else "")
        text = _joined(texts)
        if text:
            block = Block(
                text=text,
                kind="table_cell",
                hidden=hidden,
                structure=self._with_comments(where, comments),
                placeholders=placeholders,
            )
            block.paragraphs, block.runs, block.number_prefix = paragraphs, runs, ""
            block.usual_properties = usual
            label = f"Table {where['table'] + 1}, row {where['row'] + 1}, column {where['col'] + 1}"
            self._add(block, cited, label)
        for p in paragraphs:
            self._read_text_boxes(p)

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
            texts, hidden, placeholders, runs, usual = [], False, {}, {}, ""
            paragraphs = note.findall("w:p", NS)
            for p in paragraphs:
                inline = self._inline(
                    p, self._style_of(p), _count_numbers(placeholders), follow_notes=False
                )
                texts.append(SPACES.sub(" ", inline.text).strip())
                placeholders |= inline.placeholders
                runs |= inline.runs
                hidden = hidden or inline.hidden
                usual = usual or (inline.usual if inline.text else "")
            note_block = Block(
                text=_joined(texts),
                kind="footnote",
                hidden=hidden,
                structure={kind: note_id},
                placeholders=placeholders,
            )
            note_block.paragraphs, note_block.runs, note_block.number_prefix = paragraphs, runs, ""
            note_block.usual_properties = usual
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
        """The text of one paragraph, its tokens and what they stand for, the notes and
        comments it cites, and whether any of its text is hidden.

        Tabs and line breaks come out as "\\t" and "\\n" so a typed "12<tab>" is still
        recognised as a paragraph number; the caller turns them into spaces. A run whose
        shown formatting differs from the paragraph's usual one, and a hyperlink, are a
        pair of tokens around their text; a note reference is one token.
        """
        inline = _Inline(number=tokens_before)
        runs = list(runs_in([p]))
        usual = _usual_formatting(runs)
        open_pair = None  # (kind, key, closing token) of the pair the text is in
        for run in runs:
            run_text = self._run_text(run, inline, follow_notes)
            if run_text.strip() and self._hides(run, paragraph_style):
                inline.hidden = True
            inline.comments += [c.get(qn("w:id")) for c in run.iter(qn("w:commentReference"))]
            if not run_text:
                continue  # a drawing, a field code, a comment mark: no text to tag
            link = _link_of(run, p)
            key = ("link", id(link)) if link is not None else ("format", _formatting(run))
            if key == ("format", usual) or _cites_note(run):
                key = None
            if open_pair and open_pair[:2] != key:
                inline.pieces.append(open_pair[2])
                open_pair = None
            if key and open_pair is None and run_text.strip():
                opening, closing = inline.pair(_pair_markup(key[0], run, link))
                inline.pieces.append(opening)
                open_pair = (*key, closing)
            inline.pieces.append(run_text)
        if open_pair:
            inline.pieces.append(open_pair[2])
        inline.text = "".join(inline.pieces).strip()
        inline.usual = next(
            (
                etree.tostring(run.find(qn("w:rPr")), encoding="unicode")
                for run in runs
                if _formatting(run) == usual and run.find(qn("w:rPr")) is not None
            ),
            "",
        )
        return inline

    def _run_text(self, run, inline, follow_notes):
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
                token = inline.code({"type": kind, "id": note_id})
                inline.runs[token] = run
                inline.cited.append((kind, note_id))
                run_text.append(token)
        return "".join(run_text)

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
        try:
            part = self.part.part_related_by(reltype)
        except KeyError:
            return {}
        root = parse_xml(part.blob)
        self.note_parts[part] = root
        return {
            note.get(qn("w:id")): note
            for note in root.findall(f"w:{kind}", NS)
            if note.get(qn("w:type"), "normal") == "normal"
        }

    def _comments(self):
        """{comment id: "Author: text"} of the file's comments."""
        root = self._related_xml(RT.COMMENTS)
        if root is None:
            return {}
        comments = {}
        for comment in root.findall("w:comment", NS):
            text = " ".join(
                "".join(t.text or "" for t in p.iter(qn("w:t")))
                for p in comment.findall(".//w:p", NS)
            ).strip()
            author = comment.get(qn("w:author"), "")
            comments[comment.get(qn("w:id"))] = f"{author}: {text}" if author else text
        return comments


@dataclass
class _Inline:
    """What `_inline` finds in one paragraph."""

    number: int = 0  # tokens numbered so far in the block
    pieces: list = field(default_factory=list)
    placeholders: dict = field(default_factory=dict)
    runs: dict = field(default_factory=dict)  # token -> the run holding a note reference
    cited: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    hidden: bool = False
    text: str = ""
    usual: str = ""  # the run properties of the paragraph's usual text, as XML

    def code(self, markup):
        self.number += 1
        token = opening_token(self.number)
        self.placeholders[token] = markup
        return token

    def pair(self, markup):
        self.number += 1
        opening, closing = opening_token(self.number), closing_token(self.number)
        self.placeholders[opening] = markup
        self.placeholders[closing] = {"type": "end"}
        return opening, closing


def _formatting(run):
    """The run's shown formatting as a comparable string."""
    properties = run.find(qn("w:rPr"))
    if properties is None:
        return ""
    return "".join(
        etree.tostring(child, encoding="unicode")
        for child in properties
        if child.tag in SHOWN_FORMATTING
    )


def _usual_formatting(runs):
    """The paragraph's own formatting, not worth a tag: that of runs that add none to
    their paragraph style, when there is text in such runs, else the formatting most
    of the text has (a paragraph all in bold)."""
    lengths = Counter()
    for run in runs:
        lengths[_formatting(run)] += sum(len(t.text or "") for t in run.findall(qn("w:t")))
    if lengths[""]:
        return ""
    return lengths.most_common(1)[0][0] if lengths else ""


def _link_of(run, p):
    """The hyperlink the run is in, or None."""
    for ancestor in run.iterancestors():
        if ancestor is p:
            return None
        if ancestor.tag == qn("w:hyperlink"):
            return ancestor
    return None


def _pair_markup(kind, run, link):
    """What a pair of tokens stands for: the run properties of the formatted text, and
    for a link the hyperlink's attributes."""
    properties = run.find(qn("w:rPr"))
    markup = {
        "type": kind,
        "rPr": "" if properties is None else etree.tostring(properties, encoding="unicode"),
    }
    if link is not None:
        markup["attributes"] = dict(link.attrib)
    return markup


def _typed_number(text, placeholders):
    """(number, rest) of a paragraph that starts with a typed number, also when the
    number alone is formatted differently ("⟦1⟧12.⟦/1⟧ The appellant..."): that pair
    of tokens goes with the number."""
    number, rest = split_paragraph_number(text)
    opening = TOKEN.match(text)
    if number or not opening or opening.group(1):
        return number, rest
    closing = closing_token(opening.group(2))
    number, rest = split_paragraph_number(text[opening.end() :])
    if not number or not rest.startswith(closing):
        return "", text
    del placeholders[opening.group(0)], placeholders[closing]
    return number, rest[len(closing) :].lstrip()


def _cites_note(run):
    return run.find(qn("w:footnoteReference")) is not None or (
        run.find(qn("w:endnoteReference")) is not None
    )


def _count_numbers(placeholders):
    return sum(1 for token in placeholders if not token.startswith("\u27e6/"))


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


def runs_in(elements):
    """The runs inside paragraph content, in order, through hyperlinks, insertions,
    fields, content controls and text boxes, leaving out deleted text."""
    for element in elements:
        for child in element:
            if child.tag in SKIPPED:
                continue
            if child.tag == qn("w:r"):
                yield child
            yield from runs_in([child])


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
    text = TOKEN.sub("", text)  # as the person reads it in Word
    return text if len(text) <= length else text[: length - 1] + "…"
