"""The translated Word file: the original document with each block's text replaced in
place, so styles, numbering, tables, footnotes, headers, footers, comments and page
layout stay as they were.

The importer is run again on the original to find each block's paragraphs (the same
reading gives the same blocks; a block whose text no longer matches its segments means
the file was imported by another version of the reader, and the file is refused rather
than a translation put into the wrong paragraph). In each paragraph the runs that held
text are taken out and the translation goes in where the first of them was, as runs
with the paragraph's usual formatting; each pair of tokens gives back the formatting or
the hyperlink it stands for, and a note token the original note reference. A block of
several paragraphs (a table cell, a note) gets its whole text in the first one; a block
none of whose segments is translated yet is left exactly as it was. Runs
without text (pictures, field codes, comment marks) stay where they are, and so do
text boxes, which are blocks of their own.

Word is told the text is in the target language (w:lang on the new runs, and on the
styles and document defaults, with w:eastAsia for Chinese and Japanese), so it proofs
the translation in that language. Tracked changes were read as accepted at import; the
translated paragraphs have none.

A PDF has no document to write into: `write_rebuilt_docx` makes a plain Word file of its
blocks (headings in Heading styles, typed paragraph numbers kept).
"""

import copy
import io
from dataclasses import dataclass

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from lxml import etree

from agents.languages import is_cjk, office_language

from ..importers.base import ImportRejected
from ..importers.docx import SPACES, open_word, read_for_writing, runs_in
from ..placeholders import TOKEN
from .blocks import translated_blocks

# Inside a paragraph, what only carries text the translation replaces.
TEXT_ONLY = {
    qn("w:rPr"), qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr"),
    qn("w:noBreakHyphen"), qn("w:softHyphen"), qn("w:lastRenderedPageBreak"),
    qn("w:footnoteReference"), qn("w:endnoteReference"),
}  # fmt: skip
TEXT = TEXT_ONLY - {qn("w:rPr"), qn("w:lastRenderedPageBreak")}
CONTAINERS = {qn("w:hyperlink"), qn("w:ins"), qn("w:smartTag"), qn("w:moveTo")}
REMOVED_CHANGES = {qn("w:del"), qn("w:moveFrom")}


@dataclass(frozen=True)
class RunLanguage:
    """What w:lang says of translated text: `val` for its Latin text and `east_asia`
    for its Chinese, Japanese or Korean characters (None: leave as the original has it)."""

    val: str
    east_asia: str | None


def run_language(source, target):
    """A Chinese translation is proofed as Chinese of its region throughout; an English
    one as English, with Chinese characters left in it (names) read as the source's."""
    office = office_language(target)
    if is_cjk(target):
        return RunLanguage(office, office)
    return RunLanguage(office, office_language(source) if is_cjk(source) else None)


def project_run_language(project):
    return run_language(project.source_language, project.target_language)


def write_docx(document, segments):
    data = document.original_file.open("rb").read()
    word = open_word(data)
    blocks, note_parts = read_for_writing(word)
    translated = translated_blocks(segments, document.project.target_language)
    _check_same_blocks(blocks, translated)
    language = project_run_language(document.project)
    writer = _ParagraphWriter(language)
    for block in translated:
        if any(done for _, done in block.texts):  # an untranslated block stays as it was
            writer.write(blocks[block.index], block)
    for part, root in note_parts.items():
        _store_part(part, root)
    _set_style_languages(word, language)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _check_same_blocks(blocks, translated):
    for block in translated:
        original = blocks[block.index] if block.index < len(blocks) else None
        sources = SPACES.sub("", "".join(block.sources))
        if original is None or SPACES.sub("", original.text) != sources:
            raise ImportRejected(
                "The original Word file no longer reads as it did when it was imported "
                "(it was imported by an earlier version of the workbench), so its "
                "paragraphs cannot be matched safely. Import it again to download its "
                "translation, or export the document as DOCX from the export page."
            )


def _store_part(part, root):
    """Put an edited note part back: python-docx keeps parts it has no class for as
    bytes, read when the package is saved."""
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class _ParagraphWriter:
    def __init__(self, language):
        self.language = language

    def write(self, original, block):
        paragraphs = original.paragraphs
        if not paragraphs:
            return
        anchors = [self._clear(p) for p in paragraphs]
        first, anchor = paragraphs[0], anchors[0]
        text = original.number_prefix + block.text
        for element in self._runs(text, block.placeholders, original):
            if anchor is None:
                first.append(element)
            else:
                anchor.addprevious(element)

    def _clear(self, p):
        """Take the text out of the paragraph; return the element the translation goes
        before (None: at the end)."""
        anchor, first_found = None, False
        for element in list(p):
            if element.tag in REMOVED_CHANGES:
                p.remove(element)
        for run in _text_runs(p):
            top = _child_of(p, run)
            if not first_found:
                first_found = True
                anchor = etree.Element("translation-goes-here")  # removed below
                top.addprevious(anchor)
            if all(child.tag in TEXT_ONLY for child in run):
                run.getparent().remove(run)
            else:
                for child in list(run):
                    if child.tag in TEXT:
                        run.remove(child)
        for container in [e for e in p.iter() if e.tag in CONTAINERS]:
            if not any(child.tag != qn("w:rPr") for child in container):
                container.getparent().remove(container)
        for inserted in [e for e in p if e.tag in (qn("w:ins"), qn("w:moveTo"))]:
            for child in list(inserted):
                inserted.addprevious(child)
            p.remove(inserted)
        if anchor is None:
            return None
        following = anchor.getnext()
        p.remove(anchor)
        return following

    def _runs(self, text, placeholders, original):
        """The translation as runs (and hyperlinks) to put into the paragraph."""
        usual = original.usual_properties
        out, stack, link = [], [], None
        position = 0
        for match in [*TOKEN.finditer(text), None]:
            end = match.start() if match else len(text)
            chunk = text[position:end]
            if chunk:
                properties = stack[-1] if stack else usual
                (link if link is not None else out).append(self._run(chunk, properties))
            if match is None:
                break
            position = match.end()
            token = match.group(0)
            markup = placeholders.get(token)
            if not isinstance(markup, dict):
                continue
            if markup.get("type") in ("footnote", "endnote"):
                reference = original.runs.get(token)
                if reference is not None:
                    (link if link is not None else out).append(copy.deepcopy(reference))
            elif markup.get("type") == "format":
                stack.append(markup.get("rPr", ""))
            elif markup.get("type") == "link":
                link = OxmlElement("w:hyperlink")
                for name, value in markup.get("attributes", {}).items():
                    link.set(name, value)
                out.append(link)
                stack.append(markup.get("rPr", ""))
            elif markup.get("type") == "end":
                opening = placeholders.get(token.replace("/", ""), {})
                if stack:
                    stack.pop()
                if opening.get("type") == "link":
                    link = None
        return out

    def _run(self, text, properties):
        run = OxmlElement("w:r")
        if properties:
            run.append(parse_xml(properties))
        self._language(run)
        for piece in _pieces(text):
            if piece == "\t":
                run.append(OxmlElement("w:tab"))
            elif piece == "\n":
                run.append(OxmlElement("w:br"))
            else:
                t = OxmlElement("w:t")
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.append(t)
        return run

    def _language(self, run):
        properties = run.find(qn("w:rPr"))
        if properties is None:
            properties = OxmlElement("w:rPr")
            run.insert(0, properties)
        set_language(properties, self.language)


def set_language(properties, language):
    """w:lang of run properties: w:val, and w:eastAsia where `language` says (RunLanguage)."""
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        # rPr children have an order; w:lang comes near the end, before these.
        later = [qn(f"w:{n}") for n in ("eastAsianLayout", "specVanish", "oMath")]
        following = next((c for c in properties if c.tag in later), None)
        if following is not None:
            following.addprevious(lang)
        else:
            properties.append(lang)
    _set_lang(lang, language)


def _set_lang(lang, language):
    lang.set(qn("w:val"), language.val)
    if language.east_asia:
        lang.set(qn("w:eastAsia"), language.east_asia)


def _set_style_languages(word, language):
    """The document defaults and every style that names a language (paragraph,
    character, table styles) get the target; the others inherit the defaults."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is None:
            run_defaults = OxmlElement("w:rPrDefault")
            defaults.insert(0, run_defaults)
        properties = run_defaults.find(qn("w:rPr"))
        if properties is None:
            properties = OxmlElement("w:rPr")
            run_defaults.append(properties)
        set_language(properties, language)
    for lang in styles.iter(qn("w:lang")):
        _set_lang(lang, language)


def _pieces(text):
    """Text split into runs of characters, tabs and line breaks."""
    piece = ""
    for char in text:
        if char in "\t\n":
            if piece:
                yield piece
            piece = ""
            yield char
        else:
            piece += char
    if piece:
        yield piece


def _text_runs(p):
    """The runs of the paragraph that hold text or a note reference, as the importer
    reads them (not inside text boxes or deleted text)."""
    return [run for run in runs_in([p]) if any(child.tag in TEXT for child in run)]


def _child_of(p, element):
    while element.getparent() is not p:
        element = element.getparent()
    return element


def write_rebuilt_docx(document, segments):
    """A Word file made from the blocks, for originals that cannot be written into."""
    language = document.project.target_language
    word = docx.Document()
    for block in translated_blocks(segments, language):
        text = TOKEN.sub("", block.text)
        if block.kind == "heading":
            level = min(max(int(block.structure.get("level", 1)), 1), 9)
            word.add_heading(text, level=level)
            continue
        number = block.paragraph_number
        prefix = (f"{number}.\t" if number.isdigit() else f"{number}\t") if number else ""
        word.add_paragraph(prefix + text)
    run_language = project_run_language(document.project)
    _set_style_languages(word, run_language)
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            set_language(run._r.get_or_add_rPr(), run_language)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
