"""What every importer returns: blocks of source text in document order.

An importer turns bytes into a ParsedDocument or raises ImportRejected with a sentence a
person can act on. It writes nothing; `documents.services.import_document` does that in
one transaction.
"""

import re
from dataclasses import dataclass, field

# "12.", "12 ", "(a)", "(iv)", "A1.", "一、", "（一）", "第12段": a paragraph number typed at
# the start of a paragraph. It is metadata, never part of the segment text.
PARAGRAPH_NUMBER = re.compile(
    r"^\s*(?P<number>\d{1,4}\.(?:\d{1,3}\.?)*|\d{1,4}(?=\t)|\((?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,3})\)"
    r"|[（(][一二三四五六七八九十百]+[）)]|[一二三四五六七八九十百]+、|第[一二三四五六七八九十百\d]+段)\s*"
)


class ImportRejected(Exception):
    """The file cannot be imported; the message says why and what to do."""


@dataclass
class Block:
    """A paragraph, heading, list item, table cell or footnote of the original."""

    text: str
    kind: str = "paragraph"  # heading | paragraph | list_item | table_cell | footnote
    paragraph_number: str = ""  # "12", "(a)": metadata, never part of the text
    hidden: bool = False  # hidden text (w:vanish) in the original
    structure: dict = field(default_factory=dict)  # level, table/row/col, footnote id, ...
    # Protected inline codes: token (e.g. "⟦1⟧") appearing in text -> original markup.
    placeholders: dict = field(default_factory=dict)
    # Bilingual formats arrive already segmented, maybe with a target and its state.
    presegmented: bool = False
    target: str = ""
    target_status: str = ""  # "" | drafted | translated | approved | rejected
    locked: bool = False  # locked in the tool that wrote the file: read-only here


@dataclass
class ParsedDocument:
    format: str
    blocks: list[Block]
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)
    source_language: str = ""
    target_language: str = ""


def split_paragraph_number(text):
    """Return (paragraph number, text without it); ("", text) when there is none."""
    match = PARAGRAPH_NUMBER.match(text)
    if not match or not text[match.end() :].strip():
        return "", text.strip()
    return match.group("number").rstrip("."), text[match.end() :].strip()
