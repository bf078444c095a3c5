"""The analysis of a document or a whole project before the work starts, for quoting and
planning, as CAT tools give it: segments, words and characters by TM match band, and the
internal repetitions.

A segment's band is its best match in the project's memories (`lookup`): 101% when the
same text stood between the same neighbours, 100%, 95–99%, 85–94%, 75–84%, or no match.
A segment whose source (whitespace aside: its `source_hash`) occurred earlier in the
document is a repetition, and so is one that occurred in an earlier document when a whole
project is analysed (documents oldest first): the first occurrence counts in its own
band and every later one under Repetitions, whatever its match, as memoQ and Trados count
them, since it is translated once.

Words are the segments' `word_count` (`documents.segmentation.count_words`: in Chinese
and Japanese every character is a word, as memoQ counts them) and characters their
`char_count`.
"""

import hashlib
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from workbench.documents.models import Document, Segment
from workbench.jobs.models import Job
from workbench.jobs.services import enqueue
from workbench.spreadsheets import BYTE_ORDER_MARK, SafeWriter, text_cell

from .lookup import lookup, memories_of
from .models import Analysis, TranslationUnit

KIND = "analysis"
LOWEST_MATCH = 75


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    lowest: int | None = None  # None: not a match band (repetitions)
    highest: int | None = None


# In the order memoQ lists them: what costs least first.
BANDS = (
    Band("context", "101% (in context)", 101, 101),
    Band("repetitions", "Repetitions"),
    Band("exact", "100%", 100, 100),
    Band("high", "95–99%", 95, 99),
    Band("medium", "85–94%", 85, 94),
    Band("low", "75–84%", LOWEST_MATCH, 84),
    Band("none", "No match", 0, LOWEST_MATCH - 1),
)
REPETITIONS, NO_MATCH, TOTAL = "repetitions", "none", "total"
LABELS = {band.key: band.label for band in BANDS} | {TOTAL: "Total"}
FIGURES = ("segments", "words", "characters")


def band_of(percent):
    """The band of a best match of `percent` (None: no match reached the lowest band)."""
    if percent is None:
        return NO_MATCH
    for band in BANDS:
        if band.lowest is not None and band.lowest <= percent <= band.highest:
            return band.key
    return NO_MATCH


def empty_counts():
    return {band.key: dict.fromkeys(FIGURES, 0) for band in BANDS}


def add_segment(counts, band, words, characters):
    counts[band]["segments"] += 1
    counts[band]["words"] += words
    counts[band]["characters"] += characters


def rows_of(counts):
    """The table: one row per band in BANDS order, then the total, each with its share
    of the words in percent."""
    total = {figure: sum(counts[band.key][figure] for band in BANDS) for figure in FIGURES}
    rows = [{"band": band.key, "label": band.label, **counts[band.key]} for band in BANDS]
    rows.append({"band": TOTAL, "label": LABELS[TOTAL], **total})
    for row in rows:
        row["share"] = round(100 * row["words"] / total["words"], 1) if total["words"] else 0.0
    return rows


def documents_analysed(project, document=None):
    if document is not None:
        return [document]
    return list(project.documents.filter(status=Document.Status.READY).order_by("created_at", "pk"))


def fingerprint(documents):
    """A digest of which sources the documents hold, in order: it changes when a document
    is added or removed or a source changes, never when a translation does."""
    digest = hashlib.sha1(usedforsecurity=False)
    order = {document.pk: index for index, document in enumerate(documents)}
    rows = Segment.objects.filter(document__in=list(order)).values_list(
        "document_id", "position", "source_hash"
    )
    for document_id, position, source_hash in sorted(rows, key=lambda r: (order[r[0]], r[1])):
        digest.update(f"{document_id}:{position}:{source_hash}\n".encode())
    return digest.hexdigest()


def analyse(project, document=None, progress=None):
    """Count the document (or the project's ready documents) by band. Returns
    (rows, per-document rows, names of the memories read). `progress(done, total)` is
    called after each segment."""
    return count_documents(project, documents_analysed(project, document), progress)


def count_documents(project, documents, progress=None):
    memories = list(memories_of(project).order_by("name").values_list("name", flat=True))
    # A lookup costs a few queries; with nothing to find, every segment is no match.
    anything = TranslationUnit.objects.filter(memory__in=memories_of(project)).exists()
    total = Segment.objects.filter(document__in=documents).count()
    counts, seen, done, per_document = empty_counts(), set(), 0, []
    for each in documents:
        own = empty_counts()
        segments = list(
            each.segments.order_by("position").only(
                "pk", "document_id", "position", "source", "source_hash", "word_count", "char_count"
            )
        )
        hashes = {segment.position: segment.source_hash for segment in segments}
        for segment in segments:
            if segment.source_hash in seen:
                band = REPETITIONS
            else:
                seen.add(segment.source_hash)
                context = (
                    hashes.get(segment.position - 1, ""),
                    hashes.get(segment.position + 1, ""),
                )
                band = band_of(best_match(segment, project, context) if anything else None)
            for tally in (own, counts):
                add_segment(tally, band, segment.word_count, segment.char_count)
            done += 1
            if progress:
                progress(done, total)
        per_document.append({"id": each.pk, "title": each.title, "rows": rows_of(own)})
    return rows_of(counts), per_document, memories


def best_match(segment, project, context):
    matches = lookup(segment, project, limit=1, threshold=LOWEST_MATCH, context=context)
    return matches[0].percent if matches else None


def run_analysis(project, document=None, *, user=None, job=None, progress=None):
    """Analyse and keep the result; a job run again replaces its own analysis."""
    documents = documents_analysed(project, document)
    digest = fingerprint(documents)
    rows, per_document, memories = count_documents(project, documents, progress)
    values = {
        "project": project,
        "document": document,
        "rows": rows,
        "documents": per_document if document is None else [],
        "memories": memories,
        "threshold": LOWEST_MATCH,
        "fingerprint": digest,
        "created_by": user,
    }
    if job is None:
        return Analysis.objects.create(**values)
    analysis, _ = Analysis.objects.update_or_create(job=job, defaults=values)
    return analysis


def start_analysis(project, document=None, user=None):
    """Queue the analysis of a document, or of the whole project without one. A person
    starting it may get TooManyJobs; the workbench starting it after an import never."""
    return enqueue(KIND, project=project, document=document, user=user)


def analyse_imported(document):
    """After an import: the analysis of the new document, in the background."""
    return start_analysis(document.project, document)


def latest_analysis(project, document=None):
    return (
        Analysis.objects.filter(project=project, document=document)
        .select_related("created_by", "job")
        .first()
    )


def pending_job(project, document=None, analysis=None):
    """The analysis job to show: one queued or running, or one that ended without a
    result after the latest analysis (so its error is seen)."""
    job = Job.objects.filter(project=project, document=document, kind=KIND).first()
    if job is None or (analysis is not None and analysis.job_id == job.pk):
        return None
    if job.is_finished and analysis is not None and job.created_at < analysis.created_at:
        return None
    return job


def changed_since(analysis):
    """Whether the documents analysed changed since (added, removed, or other sources)."""
    documents = documents_analysed(analysis.project, analysis.document)
    return fingerprint(documents) != analysis.fingerprint


# Downloads --------------------------------------------------------------------------

HEADER = ["Document", "Band", "Segments", "Words", "Characters", "% of words"]


def table(analysis):
    """The rows of the CSV and XLSX: each document's bands (a project analysis), then
    the bands of all of it."""
    lines = []
    for document in analysis.documents:
        lines += [_line(document["title"], row) for row in document["rows"]]
    scope = analysis.document.title if analysis.document else "All documents"
    lines += [_line(scope, row) for row in analysis.rows]
    return lines


def _line(scope, row):
    return [scope, row["label"], row["segments"], row["words"], row["characters"], row["share"]]


def write_csv(analysis):
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = SafeWriter(out)
    writer.writerow(HEADER)
    writer.writerows(table(analysis))
    return out.getvalue()


def write_xlsx(analysis):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Analysis")
    for column, width in zip("ABCDEF", [40, 20, 12, 12, 12, 12], strict=True):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, name, font=bold) for name in HEADER])
    for scope, label, *figures in table(analysis):
        sheet.append([text_cell(sheet, scope), text_cell(sheet, label), *figures])
    workbook.properties.title = f"Analysis of {analysis.document or analysis.project}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
