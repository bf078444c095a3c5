"""One module per format; `parse(format, data)` dispatches, `detect_format` sniffs."""

from pathlib import PurePath

from . import docx, pdf, txt, xliff
from .base import ImportRejected

PARSERS = {"txt": txt.parse, "docx": docx.parse, "pdf": pdf.parse, "xliff": xliff.parse}
EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".sdlxliff": "xliff",
    ".mqxliff": "xliff",
}


def detect_format(filename, data):
    """The format by the file's content first, its extension second."""
    head = data[:2048]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<") and b"xliff" in head.lower():
        return "xliff"
    extension = PurePath(filename).suffix.lower()
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    raise ImportRejected(
        f"“{PurePath(filename).suffix or filename}” is not a format the workbench imports; "
        "upload TXT, DOCX, PDF or XLIFF."
    )


def parse(format, data, encoding=None):
    if format not in PARSERS:
        raise ImportRejected(f"Unknown format “{format}”; choose one of {', '.join(PARSERS)}.")
    return PARSERS[format](data, encoding=encoding)
