"""Build the demo judgment DOCX from its readable source, `judgment_facc_2024.txt`, and
the Big5-HKSCS copy of the Chinese excerpt.

    .venv/bin/python -m workbench.demo.build

The DOCX is made the way court judgments are: Heading 1/2 for the lettered sections,
paragraphs numbered by Word itself (the List Number style with w:numPr, never typed
numbers), a table, and real footnotes in word/footnotes.xml. python-docx has no footnote
API, so `JudgmentDocx` writes that part. The output is reproducible byte for byte (fixed
core properties and ZIP timestamps), so rebuilding it only shows a diff when the text
changed. The import benchmark builds its large judgment with the same class.
"""

import copy
import io
import re
import zipfile
from datetime import datetime

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from workbench.demo import DEMO_DIR

SOURCE = DEMO_DIR / "judgment_facc_2024.txt"
OUTPUT = DEMO_DIR / "hk_judgment_facc_2024.docx"
ZH_EXCERPT = DEMO_DIR / "zh_judgment_excerpt.txt"
# The same excerpt as a Hong Kong office machine of the 2000s would save it; 嘢 in it is
# outside plain Big5, so only Big5-HKSCS decodes it.
ZH_EXCERPT_BIG5 = DEMO_DIR / "zh_judgment_excerpt_big5.txt"
# Everything above this line of the source is a comment for the people editing it.
SOURCE_START = re.compile(r"^-{20,}$", re.MULTILINE)
FIXED_TIME = datetime(2024, 4, 5, 10, 0, 0)
FIXED_ZIP_TIME = FIXED_TIME.timetuple()[:6]

# Inline markup: *italics* and {fn: footnote text}.
INLINE = re.compile(r"\*(?P<italic>[^*]+)\*|\{fn:\s*(?P<footnote>[^{}]+)\}")
# Block markers of the source, longest first so "++" wins over "+" and "##" over "#".
MARKERS = [
    ("++ ", "numbered_2"),
    ("+ ", "numbered"),
    ("## ", "heading_2"),
    ("# ", "heading_1"),
    ("= ", "caption"),
    ("- ", "paragraph"),
    ("> ", "quotation"),
]


class JudgmentDocx:
    """A judgment being written into a python-docx Document, footnotes included."""

    def __init__(self, header_note=""):
        self.document = docx.Document()
        self._drop_template_thumbnail()
        self.num_id = self._add_paragraph_numbering()
        self._add_footnote_styles()
        self._style_ids = {}
        self.footnotes = parse_xml(f"<w:footnotes {nsdecls('w')}/>")
        self._add_separator_footnotes()
        if header_note:
            self.document.sections[0].header.paragraphs[0].text = header_note

    # Blocks -------------------------------------------------------------------------------

    def caption(self, text):
        """A centred, bold line of the heading of a judgment; "\n" is a line break."""
        paragraph = self.paragraph(text, bold=True)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    def paragraph(self, text, bold=False):
        """A plain paragraph; "\n" is a line break within it."""
        paragraph = self.document.add_paragraph()
        for line_number, line in enumerate(text.split("\n")):
            if line_number:
                paragraph.add_run().add_break()
            self._write_inline(paragraph, line, bold=bold)
        return paragraph

    def heading(self, text, level=1):
        paragraph = self._add_paragraph(f"Heading {level}")
        self._write_inline(paragraph, text)
        return paragraph

    def numbered(self, text, level=0):
        """A paragraph numbered by Word: 1., 2., ... at level 0; (a), (b), ... at level 1."""
        style = "List Number" if level == 0 else "List Number 2"
        paragraph = self._add_paragraph(style)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = self.num_id
        self._write_inline(paragraph, text)
        return paragraph

    def quotation(self, text):
        paragraph = self._add_paragraph("Quote")
        self._write_inline(paragraph, text)
        return paragraph

    def table(self, rows):
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                self._write_inline(cell.paragraphs[0], value, bold=row is table.rows[0])
        return table

    # Output -------------------------------------------------------------------------------

    def to_bytes(self, title=""):
        """The finished .docx, reproducible: same text in, same bytes out. Call it once."""
        self._attach_footnotes()
        properties = self.document.core_properties
        properties.title = title
        properties.author = properties.last_modified_by = "Translation workbench demo"
        properties.created = properties.modified = properties.last_printed = FIXED_TIME
        properties.revision = 1
        buffer = io.BytesIO()
        self.document.save(buffer)
        return _with_fixed_timestamps(buffer.getvalue())

    # Inline text and footnotes ------------------------------------------------------------

    def _add_paragraph(self, style_name):
        paragraph = self.document.add_paragraph()
        paragraph._p.style = self._style_id(style_name)
        return paragraph

    def _style_id(self, name):
        # python-docx looks styles up by name with a linear scan each time; a 5,000
        # paragraph judgment (the import benchmark) would spend most of its time there.
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def _write_inline(self, paragraph, text, bold=False):
        position = 0
        for match in INLINE.finditer(text):
            self._add_run(paragraph, text[position : match.start()], bold=bold)
            if match.group("italic"):
                self._add_run(paragraph, match.group("italic"), bold=bold, italic=True)
            else:
                self._add_footnote_reference(paragraph, match.group("footnote"))
            position = match.end()
        self._add_run(paragraph, text[position:], bold=bold)

    def _add_run(self, paragraph, text, bold=False, italic=False):
        if text:
            run = paragraph.add_run(text)
            if bold:
                run.bold = True
            if italic:
                run.italic = True

    def _add_footnote_reference(self, paragraph, text):
        footnote_id = len(self.footnotes) - 1  # ids -1 and 0 are the separators
        run = paragraph.add_run()
        run._r.style = self._style_id("Footnote Reference")
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(footnote_id))
        run._r.append(reference)

        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(footnote_id))
        note = OxmlElement("w:p")
        footnote.append(note)
        self.footnotes.append(footnote)
        note_paragraph = Paragraph(note, paragraph._parent)
        note.style = self._style_id("Footnote Text")
        mark = note_paragraph.add_run()
        mark._r.style = self._style_id("Footnote Reference")
        mark._r.append(OxmlElement("w:footnoteRef"))
        self._write_inline(note_paragraph, " " + text.strip())

    def _add_separator_footnotes(self):
        # Word writes these two first and lists them in settings.xml; other readers expect them.
        for footnote_id, kind in [(-1, "separator"), (0, "continuationSeparator")]:
            self.footnotes.append(
                parse_xml(
                    f'<w:footnote {nsdecls("w")} w:type="{kind}" w:id="{footnote_id}">'
                    '<w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                    f"<w:r><w:{kind}/></w:r></w:p></w:footnote>"
                )
            )
        settings = self.document.settings.element
        footnote_pr = parse_xml(
            f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/>'
            "</w:footnotePr>"
        )
        settings.find(qn("w:compat")).addprevious(footnote_pr)

    def _attach_footnotes(self):
        part = Part(
            PackURI("/word/footnotes.xml"),
            CT.WML_FOOTNOTES,
            _xml_bytes(self.footnotes),
            self.document.part.package,
        )
        self.document.part.relate_to(part, RT.FOOTNOTES)

    # Template set-up ----------------------------------------------------------------------

    def _add_paragraph_numbering(self):
        """A decimal "1." list with a lettered "(a)" second level, as court templates have."""
        numbering = self.document.part.numbering_part.element
        abstract_id = 1 + max(
            int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
        )
        num_id = 1 + max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num")))
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            '<w:multiLevelType w:val="multilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="720" w:hanging="720"/></w:pPr></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
            '<w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="1440" w:hanging="720"/></w:pPr></w:lvl>'
            "</w:abstractNum>"
        )
        # The schema wants every abstractNum before the first num.
        numbering.findall(qn("w:abstractNum"))[-1].addnext(abstract)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
            )
        )
        return num_id

    def _add_footnote_styles(self):
        styles = self.document.styles
        text = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        text.base_style = styles["Normal"]
        text.font.size = Pt(10)
        text.paragraph_format.space_after = Pt(0)
        reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        reference.font.superscript = True

    def _drop_template_thumbnail(self):
        # python-docx's template carries a picture of its own blank page.
        package_rels = self.document.part.package.rels
        for r_id, rel in list(package_rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package_rels[r_id]


def _xml_bytes(element):
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_fixed_timestamps(data):
    """Rewrite the ZIP with one fixed time on every member (the zip module stamps 'now')."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = copy.copy(member)
            info.date_time = FIXED_ZIP_TIME
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    return output.getvalue()


def parse_source(text):
    """The source's blocks as (kind, text) pairs; a table is one ("table", rows) block."""
    body = SOURCE_START.split(text, maxsplit=1)[-1]
    blocks = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = [line.rstrip() for line in chunk.splitlines()]
        if lines[0].startswith("| "):
            rows = [[cell.strip() for cell in line.strip("| ").split(" | ")] for line in lines]
            blocks.append(("table", rows))
            continue
        kind = next((kind for marker, kind in MARKERS if lines[0].startswith(marker)), None)
        if kind is None:
            raise ValueError(f"A block of the judgment source has no marker: {lines[0]!r}")
        lines[0] = lines[0].split(" ", 1)[1]
        # Prose is re-flowed; a line ending in a backslash keeps its line break.
        text = ""
        for line in lines:
            text += line.strip()
            text = text[:-1] + "\n" if text.endswith("\\") else text + " "
        blocks.append((kind, text.strip()))
    return blocks


def build_judgment(source_text):
    writer = JudgmentDocx(
        header_note="Fictional judgment written for the translation workbench demonstration."
    )
    add = {
        "caption": writer.caption,
        "paragraph": writer.paragraph,
        "heading_1": lambda text: writer.heading(text, level=1),
        "heading_2": lambda text: writer.heading(text, level=2),
        "numbered": writer.numbered,
        "numbered_2": lambda text: writer.numbered(text, level=1),
        "quotation": writer.quotation,
        "table": writer.table,
    }
    for kind, content in parse_source(source_text):
        add[kind](content)
    return writer.to_bytes(title="HKSAR v Chan Tai Man, FACC No. 5 of 2024 (fictional)")


def main():
    data = build_judgment(SOURCE.read_text(encoding="utf-8"))
    OUTPUT.write_bytes(data)
    print(f"Wrote {OUTPUT} ({len(data):,} bytes).")
    ZH_EXCERPT_BIG5.write_bytes(ZH_EXCERPT.read_text(encoding="utf-8").encode("big5hkscs"))
    print(f"Wrote {ZH_EXCERPT_BIG5} (Big5-HKSCS).")


if __name__ == "__main__":
    main()
