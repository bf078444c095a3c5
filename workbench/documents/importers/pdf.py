"""PDF: the text layer, page by page, rebuilt into the paragraphs a reader sees.

A PDF stores positioned lines, not paragraphs. pypdf gives each line and its height on
the page; from those this module drops running headers, footers and page numbers, joins
words hyphenated at a line end, and starts a new paragraph at a vertical gap, at a line
that opens with a paragraph number, or after a short line that ends a sentence. A page
break alone never ends a paragraph, so one running onto the next page stays whole.

Encrypted PDFs are refused, including those that open without a password: their owner
restricted what may be done with them, and the AES ones cannot be read here anyway, so
one rule ("remove the security and upload again") beats an answer that depends on the
cipher. Damage is checked before pypdf reads anything: a file cut short has no %%EOF
marker at its end, and pypdf's lenient mode would otherwise read what is left of it
without a word. pypdf runs lenient after that, because real PDFs often have small
defects in their cross-reference tables that it repairs correctly.
"""

import io
import re
import statistics
from dataclasses import dataclass

from pypdf import PdfReader

from .base import PARAGRAPH_NUMBER, Block, ImportRejected, ParsedDocument, split_paragraph_number

# The PDF specification lets readers look for %%EOF in the last 1024 bytes.
EOF_WINDOW = 1024
# Lines looked at for running headers (top) and footers (bottom) on each page.
MARGIN_LINES = 2
# A gap larger than this many ordinary line pitches separates paragraphs.
PARAGRAPH_GAP = 1.5
# A line shorter than this share of a full line, ending a sentence, ends its paragraph.
SHORT_LINE = 0.8

PAGE_NUMBER = re.compile(
    r"[-–—]?\s*\d{1,4}\s*[-–—]?"
    r"|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|第\s*\d{1,4}\s*[頁页](?:\s*[,，]?\s*共\s*\d{1,4}\s*[頁页])?",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.?!:;。？！：；][\"'”’)）」』]*$")
HYPHENATED = re.compile(r"[^\W\d_]-$")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass
class Line:
    text: str
    baseline: float | None = None  # how high on the page the line sits, in points
    gap_before: bool = False  # a paragraph-sized vertical gap separates it from the line above


def parse(data, encoding=None):
    """`encoding` is ignored: a PDF's text layer is Unicode."""
    pages = _read_pages(data)
    if not any(pages):
        raise ImportRejected(
            "The PDF has no text layer (a scan: its pages are images); run OCR first, for "
            "example with Acrobat's “Recognise text”, and upload the result."
        )
    warnings = []
    empty_pages = [str(number) for number, lines in enumerate(pages, start=1) if not lines]
    if empty_pages:
        listed = ", ".join(empty_pages[:10]) + (" ..." if len(empty_pages) > 10 else "")
        warnings.append(
            f"{len(empty_pages)} page(s) have no text layer (scanned?): {listed}. Their "
            "content is not in the document; run OCR on the PDF if they hold text."
        )
    pages, dropped = _without_running_lines(pages)
    if dropped:
        shown = ", ".join(f"“{text}”" for text in dropped[:3])
        warnings.append(f"Running headers and footers were left out: {shown}.")
    blocks = []
    for paragraph in _paragraphs(_mark_gaps(pages)):
        number, text = split_paragraph_number(paragraph)
        if text:
            blocks.append(Block(text=text, paragraph_number=number))
    return ParsedDocument(format="pdf", blocks=blocks, warnings=warnings)


def _read_pages(data):
    """Each page's non-blank lines, in content order."""
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise ImportRejected(
            "The PDF is incomplete (its end is missing: the upload or download was cut "
            "short). Download or export it again and upload the complete file."
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ImportRejected(
                "The PDF is password-protected; remove the password and upload again (in "
                "Acrobat: File › Properties › Security › No Security). PDFs that open without "
                "a password but carry security restrictions are refused too."
            )
        return [_page_lines(page) for page in reader.pages]
    except ImportRejected:
        raise
    except Exception:  # pypdf raises many kinds on damaged files; none is ours
        raise ImportRejected(
            "The PDF is damaged: its structure cannot be read, so neither can its text. Open "
            "it in a PDF reader, save or print it to a new PDF, and upload that."
        ) from None


def _page_lines(page):
    lines = [Line("")]

    def collect(text, cm, tm, font, size):
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append(Line(""))
            line = lines[-1]
            line.text += piece
            if piece.strip() and line.baseline is None:
                # The text matrix placed in user space by the current transformation.
                line.baseline = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]

    page.extract_text(visitor_text=collect)
    for line in lines:
        line.text = " ".join(line.text.split())
    return [line for line in lines if line.text]


def _without_running_lines(pages):
    """Pages without page numbers and without the lines repeated at the top or bottom of
    most pages (digits ignored, so "Page 3" and "Page 4" repeat). Returns the pages and
    the running lines dropped."""
    top = [page[:MARGIN_LINES] for page in pages]
    bottom = [page[-MARGIN_LINES:] for page in pages]
    running = _repeated(top, len(pages)) | _repeated(bottom, len(pages))
    dropped = {}
    cleaned = []
    for page in pages:
        margin = set(range(min(MARGIN_LINES, len(page))))
        margin |= set(range(max(0, len(page) - MARGIN_LINES), len(page)))
        kept = []
        for index, line in enumerate(page):
            if index in margin and PAGE_NUMBER.fullmatch(line.text):
                continue
            if index in margin and _shape(line.text) in running:
                dropped.setdefault(_shape(line.text), line.text)
                continue
            kept.append(line)
        cleaned.append(kept)
    return cleaned, list(dropped.values())


def _repeated(margins, page_count):
    if page_count < 2:
        return set()
    needed = max(2, page_count // 2 + 1)
    pages_with = {}
    for lines in margins:
        for shape in {_shape(line.text) for line in lines}:
            pages_with[shape] = pages_with.get(shape, 0) + 1
    return {shape for shape, count in pages_with.items() if count >= needed}


def _shape(text):
    return re.sub(r"\d+", "#", text.casefold())


def _mark_gaps(pages):
    """All pages' lines in one stream, each marked when a paragraph gap precedes it. The
    first line of a page has no gap: a page break alone never ends a paragraph."""
    steps = [
        abs(above.baseline - below.baseline)
        for page in pages
        for above, below in zip(page, page[1:], strict=False)
        if above.baseline is not None and below.baseline is not None
    ]
    pitch = statistics.median([step for step in steps if step > 0.5] or [0])
    stream = []
    for page in pages:
        for index, line in enumerate(page):
            above = page[index - 1] if index else None
            line.gap_before = bool(
                pitch
                and above is not None
                and above.baseline is not None
                and line.baseline is not None
                and abs(above.baseline - line.baseline) > PARAGRAPH_GAP * pitch
            )
            stream.append(line)
    return stream


def _paragraphs(lines):
    lengths = sorted(len(line.text) for line in lines)
    full_line = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    paragraphs = []
    current = ""
    previous = None
    for line in lines:
        starts_paragraph = (
            previous is None
            or line.gap_before
            # Also a number alone on its line, typeset in the margin beside its paragraph.
            or bool(PARAGRAPH_NUMBER.match(line.text))
            or _ends_paragraph(previous.text, full_line)
        )
        if starts_paragraph:
            if current:
                paragraphs.append(current)
            current = line.text
        else:
            current = _join(current, line.text)
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _ends_paragraph(line, full_line):
    """A short line that ends a sentence ends its paragraph; a paragraph number alone on
    its line does not, though it ends with a full stop."""
    return (
        len(line) < SHORT_LINE * full_line
        and bool(SENTENCE_END.search(line))
        and not PARAGRAPH_NUMBER.fullmatch(line)
    )


def _join(text, next_line):
    """Join a wrapped line to the text before it: "appel-" + "lant" is "appellant", Chinese
    runs on without a space, everything else gets one."""
    if HYPHENATED.search(text) and next_line[:1].islower():
        return text[:-1] + next_line
    if text.endswith("-") or CJK.match(text[-1]) or CJK.match(next_line[0]):
        return text + next_line
    return f"{text} {next_line}"
