"""Plain text: decode strictly, then one block per blank-line separated paragraph.

The encoding is the one the person chose, or detected: a byte-order mark, else UTF-8,
else whichever of Big5-HKSCS and GB18030 reads as plausible Chinese. Bytes are never
dropped or replaced: a file that does not decode is refused with the place where it
stopped making sense.
"""

import codecs
import functools
import re
import unicodedata
from collections import Counter

from agents.languages import is_unspaced_character

from .base import Block, ImportRejected, ParsedDocument, split_paragraph_number

BYTE_ORDER_MARKS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Chinese files without a byte-order mark. Big5-HKSCS first: on a tie, Hong Kong text wins.
CHINESE_ENCODINGS = ["big5hkscs", "gb18030"]
# Names people give for an encoding whose superset decodes the same bytes and more: a file
# labelled Big5 often carries a few HKSCS characters (e.g. names), GBK a few GB18030 ones.
SUPERSETS = {"big5": "big5hkscs", "gb2312": "gb18030", "gbk": "gb18030"}
DISPLAY_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
    "gb18030": "GB18030",
    "big5hkscs": "Big5-HKSCS",
}
# Below this share of common characters, a Chinese decoding is taken for mojibake.
PLAUSIBLE = 0.6
# Judging the start of a long file is as good as judging all of it, and much quicker.
SAMPLE = 100_000
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
SPACES = re.compile(r"[^\S\n]+")


def parse(data, encoding=None):
    text, encoding = decode(data, encoding)
    blocks = []
    for paragraph in BLANK_LINE.split(text):
        joined = join_lines(paragraph.split("\n"))
        if not joined:
            continue
        number, text_only = split_paragraph_number(joined)
        blocks.append(Block(text=SPACES.sub(" ", text_only), paragraph_number=number))
    return ParsedDocument(format="txt", blocks=blocks, encoding=encoding)


def decode(data, encoding=None):
    """Return (text with "\\n" line ends and no byte-order mark, canonical encoding name)."""
    if not data:
        raise ImportRejected("The file is empty.")
    encoding = _chosen_encoding(encoding, data) if encoding else _detected_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportRejected(
            f"The file is not valid {_display(encoding)}: {_where(data, error)}. Choose another "
            "encoding, or leave the encoding empty to have it detected."
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), encoding


def join_lines(lines):
    """Join the lines of one paragraph: a space between words, nothing between two CJK
    characters (Chinese and Japanese do not put spaces between words)."""
    joined = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if joined and not (is_unspaced_character(joined[-1]) and is_unspaced_character(line[0])):
            joined += " "
        joined += line
    return joined


def _chosen_encoding(name, data):
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not info._is_text_encoding:
        raise ImportRejected(
            f"“{name}” is not an encoding the workbench knows; choose e.g. utf-8, utf-16, "
            "big5hkscs or gb18030, or leave the encoding empty to have it detected."
        )
    canonical = SUPERSETS.get(info.name, info.name)
    if canonical == "utf-8" and data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return canonical


def _detected_encoding(data):
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding
    if b"\x00" in data:
        raise ImportRejected(
            "The file contains NUL bytes: it is either UTF-16 without a byte-order mark or not "
            "a text file. If it is text, choose its encoding (utf-16-le or utf-16-be)."
        )
    failures = []
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        failures.append(("utf-8", error))
    readings = {}
    for encoding in CHINESE_ENCODINGS:
        try:
            readings[encoding] = plausibility(data.decode(encoding)[:SAMPLE])
        except UnicodeDecodeError as error:
            failures.append((encoding, error))
    if readings:
        best = max(readings, key=readings.get)
        if readings[best] >= PLAUSIBLE:
            return best
    # Name the reading that got furthest: a Big5 file with one damaged byte on line 200
    # should be reported at line 200, not as "not UTF-8" at line 1.
    encoding, error = max(failures, key=lambda failure: failure[1].start)
    raise ImportRejected(
        f"The encoding of the file could not be recognised. Read as {_display(encoding)} "
        f"it stops at {_where(data, error)}; read as any other supported encoding "
        "(UTF-8, UTF-16, Big5-HKSCS, GB18030) it is not plausible text. Choose the file's "
        "encoding, or save it as UTF-8 and upload again."
    )


def plausibility(text):
    """The share of non-ASCII characters that are common Chinese characters or punctuation.

    The right decoding of a Chinese file scores near 1; the wrong one turns the same bytes
    into rare characters, kana, symbols and private-use codes, and scores far lower.
    """
    others = Counter(char for char in text if ord(char) > 0x7F)
    if not others:
        return 1.0
    common = _common_characters()
    plausible = sum(
        count
        for char, count in others.items()
        if char in common
        or 0xFF01 <= ord(char) <= 0xFF5E  # full-width digits, letters, punctuation
        or unicodedata.category(char).startswith(("P", "Z"))
    )
    return plausible / others.total()


@functools.cache
def _common_characters():
    """Characters people actually write, taken from the two standards' own frequency
    tiers: Big5's "frequently used" table (A440-C67E, 5,401 Traditional characters) and
    GB2312's level 1 (B0A1-D7F9, 3,755 Simplified characters)."""
    characters = set()
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            if (lead, trail) <= (0xC6, 0x7E):
                characters.update(_decoded(bytes([lead, trail]), "big5"))
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            characters.update(_decoded(bytes([lead, trail]), "gb2312"))
    return frozenset(characters)


def _decoded(code, encoding):
    try:
        return code.decode(encoding)
    except UnicodeDecodeError:
        return ""  # an unassigned code point in the table


def _where(data, error):
    """ "line 3, byte 57 of the file (0xE9)": where a decoding failed, counted as a person
    counts. The decoder may have been handed the data without its byte-order mark."""
    before = error.object[: error.start].decode(error.encoding)
    line = before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    position = len(data) - len(error.object) + error.start + 1
    bad = " ".join(f"0x{byte:02X}" for byte in error.object[error.start : error.end])
    return f"line {line}, byte {position} of the file ({bad})"


def _display(encoding):
    return DISPLAY_NAMES.get(encoding, encoding)
