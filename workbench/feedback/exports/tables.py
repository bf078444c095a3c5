"""CSV and XLSX for people: one row per segment, columns source, target, status,
document, paragraph and the segment's id (its number in the workbench, which the
bilingual review file and the API use too). Texts keep the workbench's tokens ("⟦1⟧"); a spreadsheet has no
markup to give them back as.

A spreadsheet runs a cell that starts like a formula, so a hostile segment could run
code on the reader's machine. CSV cells go through `workbench.spreadsheets`, like every
CSV the workbench writes. XLSX has cell types: every text cell is written as a string
and, when it starts like a formula, marked with Excel's quote prefix (what typing an
apostrophe does), so the text stays exactly as it was and never becomes a formula.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from workbench.spreadsheets import BYTE_ORDER_MARK, SafeWriter, text_cell

from .inline import xml_safe

HEADER = ["source", "target", "status", "document", "paragraph", "segment"]


def _row(corpus, segment):
    return [
        segment.source,
        segment.target,
        segment.status,
        corpus.documents[segment.document_id].title,
        segment.paragraph_number,
        str(segment.pk),
    ]


def write_csv(corpus, tally):
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow(HEADER)
    for segment in corpus.stream():
        tally.read()
        writer.writerow(_row(corpus, segment))
        tally.wrote()
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def save_xlsx(corpus, tally, out):
    """Write-only mode keeps each row on disk as soon as it is appended."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Corpus")
    for column, width in zip("ABCDEF", [60, 60, 12, 30, 10, 10], strict=True):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([_cell(sheet, name, font=bold) for name in HEADER])
    for segment in corpus.stream():
        tally.read()
        sheet.append([_cell(sheet, value, alignment=wrap) for value in _row(corpus, segment)])
        tally.wrote()
    workbook.save(out)


def _cell(sheet, text, font=None, alignment=None):
    return text_cell(sheet, xml_safe(text), font=font, alignment=alignment)
