"""Text bound for a spreadsheet: cells that never run as formulas, for every CSV and XLSX
the workbench writes (dashboard tables, glossary, corpus exports, the audit log).

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return, which
some programs strip first) as a formula, so a hostile file name or segment
("=HYPERLINK(…)") could run on the reader's machine. Such a cell gets a leading
apostrophe, the usual defence, except a plain number such as "-5" or "+852", which no
spreadsheet reads as a formula and which would otherwise stop being a number.
"""

import csv
import re

from openpyxl.cell import WriteOnlyCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")
BYTE_ORDER_MARK = "\ufeff"  # without it Excel reads UTF-8 as the local code page


def starts_like_formula(text):
    return text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text)


def neutralise(value):
    """A cell no spreadsheet runs as a formula; values that are not text pass as they
    are (None as an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def unneutralise(text):
    """Undo `neutralise` on a cell read back, so “-ing form” survives export and import."""
    if text.startswith("'") and starts_like_formula(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """csv.writer whose every cell goes through `neutralise`."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def text_cell(sheet, text, font=None, alignment=None):
    """An XLSX text cell of a write-only sheet that never runs as a formula: openpyxl would
    store "=..." as one, so the cell is typed as text and, when it starts like a formula,
    marked with Excel's quote prefix (what typing an apostrophe does), keeping the text
    exactly as it was."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if starts_like_formula(text):
        cell.quotePrefix = True
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    return cell
