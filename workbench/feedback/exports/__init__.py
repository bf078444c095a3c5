"""Corpus exports: the reviewed segments of a project or document, written to a file.

Every format streams: segments come from the database a chunk at a time and each is
written out before the next is read, so memory stays flat however large the corpus.
TMX, XLIFF, JSONL and CSV are written by hand as text (translate-toolkit builds a whole
tree in memory before it writes; the tests read every format back with it or another
independent reader). XLSX goes through openpyxl's write-only mode, which keeps rows on
disk. A Word file is one document, held in memory while it is built.

    corpus = Corpus(project, statuses=["approved"], since=date(2024, 1, 1))
    with open(path, "wb") as out:
        tally = export_corpus(corpus, "tmx", out)
    tally.units  # how many units were written
"""

from dataclasses import dataclass
from typing import Any

from .corpus import Corpus, ExportRefused, Tally
from .docx import save_docx
from .jsonl import write_preferences, write_sft
from .tables import save_xlsx, write_csv
from .tmx import write_tmx
from .xliff import write_xliff_1_2, write_xliff_2_0


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    write: Any = None  # write(corpus, tally) -> iterator of bytes
    save: Any = None  # save(corpus, tally, out): formats written by a library
    whole_document: bool = False  # exports every segment of one document

    def export(self, corpus, out, tally):
        if self.save:
            self.save(corpus, tally, out)
            return
        for chunk in self.write(corpus, tally):
            out.write(chunk)


FORMATS = {
    "tmx": Format(".tmx", "application/x-tmx+xml", write=write_tmx),
    "xliff": Format(".xlf", "application/x-xliff+xml", write=write_xliff_1_2),
    "xliff2": Format(".xlf", "application/xliff+xml", write=write_xliff_2_0),
    "jsonl-sft": Format(".jsonl", "application/jsonl", write=write_sft),
    "jsonl-dpo": Format(".jsonl", "application/jsonl", write=write_preferences),
    "csv": Format(".csv", "text/csv; charset=utf-8", write=write_csv),
    "xlsx": Format(
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        save=save_xlsx,
    ),
    "docx": Format(
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        save=save_docx,
        whole_document=True,
    ),
}


def export_corpus(corpus, format_name, out, report=None):
    """Write `corpus` to the binary file `out` in the named format; returns the Tally.
    `report(done, total)` hears about progress every few thousand segments."""
    export_format = FORMATS.get(format_name)
    if export_format is None:
        raise ExportRefused(
            f"“{format_name}” is not an export format; choose one of {', '.join(FORMATS)}."
        )
    if export_format.whole_document and corpus.document is None:
        raise ExportRefused(
            f"A {format_name.upper()} file is one document: choose the document to export."
        )
    total = corpus.document.segments.count() if export_format.whole_document else corpus.count()
    if not total:
        raise ExportRefused(
            "No segments match the filters (status "
            f"{', '.join(corpus.statuses)}{_dates(corpus)}), so there is nothing to export; "
            "choose more statuses or a wider date range."
        )
    tally = Tally(total=total, report=report)
    if report:
        report(0, total)
    export_format.export(corpus, out, tally)
    if report:
        report(tally.segments, total)
    return tally


def _dates(corpus):
    if corpus.since and corpus.until:
        return f", changed {corpus.since} to {corpus.until}"
    if corpus.since:
        return f", changed on or after {corpus.since}"
    if corpus.until:
        return f", changed on or before {corpus.until}"
    return ""


__all__ = ["FORMATS", "Corpus", "ExportRefused", "Tally", "export_corpus"]
