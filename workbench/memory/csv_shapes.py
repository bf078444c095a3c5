"""The CSV shapes translators' tools write, read in one place for both importers (the
translation memory's and the glossary's), so a file one accepts the other accepts too:

- UTF-8 with or without a byte-order mark, or UTF-16 with one (Excel's "Unicode text");
- comma, semicolon (Excel in much of Europe) or tab (.tsv) between cells, told from the
  first line that holds any text;
- a first row naming the columns ("source,target", the pair's language tags such as
  "en,zh-Hant-HK" in either order) or no header at all (source, then target).

Each importer decides what its columns mean; this module only turns bytes into rows and
says what a header cell names."""

import codecs
import csv
import io

from agents.languages import LanguageTagError, normalise_tag

DELIMITERS = ",;\t"
# What tools call the two text columns of a bilingual file.
SOURCE_WORDS = frozenset({"source", "source text", "source term", "original"})
TARGET_WORDS = frozenset({"target", "target text", "target term", "translation"})


class CsvUnreadable(ValueError):
    """The bytes are not a CSV file this workbench can read; the message says what to do."""


def read_rows(data):
    """The rows of a CSV file, blank ones included as [] so that row n is `rows[n - 1]`,
    as a spreadsheet numbers them."""
    text = decode(data)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text)))
    except csv.Error as error:
        raise CsvUnreadable(
            f"The CSV file cannot be read ({error}); save it again as “CSV UTF-8” and retry."
        ) from None


def decode(data):
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise CsvUnreadable(
                f"The CSV file is not UTF-8 text (byte 0x{data[error.start]:02X} on line "
                f"{line}); it was probably saved as Big5, GB18030 or a Windows code page. "
                "Save it as “CSV UTF-8” and import it again."
            ) from None
    if "\x00" in text:
        raise CsvUnreadable("The CSV file contains NUL bytes; it is not a text file.")
    return text


def delimiter_of(text):
    """The delimiter the first line with text uses most, outside quoted cells; a comma
    when it uses none (a file of one column)."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def is_language_tag(text):
    try:
        normalise_tag(text)
    except LanguageTagError:
        return False
    return True


def column_word(cell):
    """ "source" or "target" for a header cell that names a text column in words, else
    None."""
    word = " ".join(cell.strip().lower().replace("_", " ").split())
    if word in SOURCE_WORDS:
        return "source"
    if word in TARGET_WORDS:
        return "target"
    return None


def is_two_column_header(row):
    """Whether a first row names two text columns, in words or by language tags."""
    cells = [(cell or "").strip() for cell in row[:2]]
    if len(cells) < 2:
        return False
    if all(column_word(cell) for cell in cells):
        return True
    return all(is_language_tag(cell) for cell in cells)
