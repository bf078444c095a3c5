"""The bilingual review file: a document's segments in an Excel sheet that a reviewer
edits offline, and its re-import as the reviewer's saves.

    data = review_workbook(document)                 # columns: segment, version, #, source,
                                                     # translation (edit this), status, notes
    result = import_review_workbook(document, data, user=..., role=...)
    result.saved, result.conflicts, result.refused, result.unchanged

Only the "translation" column is for the reviewer; a hidden column keeps the text as it
was exported, so the import can tell the reviewer's changes from changes made in the
workbench meanwhile. A row whose translation the reviewer changed becomes a person's
save (`services.do_save_target`, a revision like any other) if the segment is still at
the version exported; if someone changed the segment since, the row is a conflict,
reported with both texts and not applied. A sheet whose segment ids are not this
document's (another document's file, rows added or retyped) changes nothing at all.
"""

import io
from dataclasses import dataclass, field

import openpyxl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.protection import SheetProtection

from workbench.documents.importers.base import ImportRejected
from workbench.documents.importers.safety import open_zip_safely
from workbench.documents.lifecycle import SAVE, EditRefused, StaleVersion

from .services import do_save_target

SHEET = "Review"
HEADER = [
    "segment",
    "version",
    "#",
    "source",
    "translation (edit this column)",
    "status",
    "notes",
    "as exported",
]
WIDTHS = [10, 8, 6, 60, 60, 12, 30, 10]
EDITABLE = "E"
MAX_ROWS = 100_000


class ReviewFileRejected(ImportRejected):
    """The review file changes nothing; the message says why."""


@dataclass
class ReviewImport:
    saved: list = field(default_factory=list)  # positions
    conflicts: list = field(default_factory=list)  # (position, sentence)
    refused: list = field(default_factory=list)  # (position, sentence)
    unchanged: int = 0

    def summary(self):
        parts = [f"{len(self.saved)} segment(s) saved as the reviewer's edits"]
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} conflict(s) not applied")
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        parts.append(f"{self.unchanged} unchanged")
        return ", ".join(parts) + "."


def review_workbook(document):
    """The document's review sheet as XLSX bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(HEADER)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for column, width in zip("ABCDEFGH", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.column_dimensions["H"].hidden = True
    wrap = Alignment(wrap_text=True, vertical="top")
    editable = PatternFill("solid", fgColor="FFF8E1")
    for segment in document.segments.order_by("position").prefetch_related("comments"):
        notes = [*segment.structure.get("notes", []), *(c.text for c in segment.comments.all())]
        sheet.append(
            [
                segment.pk,
                segment.version,
                segment.position,
                _text(segment.source),
                _text(segment.target),
                segment.get_status_display(),
                _text("\n".join(notes)),
                _text(segment.target),
            ]
        )
        row = sheet.max_row
        for cell in sheet[row]:
            cell.alignment = wrap
        sheet[f"{EDITABLE}{row}"].fill = editable
        sheet[f"{EDITABLE}{row}"].protection = openpyxl.styles.Protection(locked=False)
    # Only the translation column can be typed in; Excel shows the others read-only.
    sheet.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False)
    sheet.freeze_panes = "D2"
    workbook.properties.title = f"Review of {document.title}"
    workbook.properties.identifier = f"workbench-document-{document.pk}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value):
    """A cell Excel never runs as a formula: text that starts like one gets a quote
    prefix when it is written (openpyxl stores "=..." strings as formulas otherwise)."""
    return value if not value.startswith("=") else "'" + value


def import_review_workbook(document, data, *, user, role):
    rows = _read_rows(document, data)
    segments = {s.pk: s for s in document.segments.select_related("document__project")}
    unknown = [str(segment_id) for segment_id, *_ in rows if segment_id not in segments]
    if unknown:
        raise ReviewFileRejected(
            f"The review file names segment(s) {', '.join(unknown[:10])} that are not in "
            f"“{document.title}”; it belongs to another document, or rows were added or "
            "their ids changed. Nothing was changed; export the review file of this "
            "document again."
        )
    result = ReviewImport()
    for segment_id, version, translation, exported in rows:
        segment = segments[segment_id]
        if translation == exported or translation == segment.target:
            result.unchanged += 1
            continue
        if version != segment.version:
            result.conflicts.append(
                (
                    segment.position,
                    f"Segment {segment.position} was changed in the workbench after the "
                    f"file was exported (version {version}, now {segment.version}): it "
                    f"reads “{segment.target}”, the file says “{translation}”. Edit it in "
                    "the editor.",
                )
            )
            continue
        try:
            do_save_target(
                segment,
                user=user,
                role=role,
                text=translation,
                base_version=version,
                action=SAVE,
            )
        except StaleVersion:
            result.conflicts.append(
                (segment.position, f"Segment {segment.position} changed while importing.")
            )
        except EditRefused as refused:
            result.refused.append((segment.position, str(refused)))
        else:
            result.saved.append(segment.position)
    return result


def _read_rows(document, data):
    """[(segment id, version, translation, as exported)] of the sheet, or refused."""
    try:
        open_zip_safely(data, "The review file")
    except ImportRejected as refused:
        raise ReviewFileRejected(f"{refused} Nothing was changed.") from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise ReviewFileRejected(
            "The review file cannot be opened as an Excel workbook; save it again as .xlsx "
            "and retry. Nothing was changed."
        ) from None
    try:
        if SHEET not in workbook.sheetnames:
            raise ReviewFileRejected(
                f"The workbook has no “{SHEET}” sheet: it is not a review file of the "
                "workbench. Export the review file and edit that one. Nothing was changed."
            )
        identifier = workbook.properties.identifier or ""
        if identifier and identifier != f"workbench-document-{document.pk}":
            raise ReviewFileRejected(
                f"The review file was exported from another document, not from "
                f"“{document.title}”. Nothing was changed; import it into its own document."
            )
        rows = []
        for number, values in enumerate(workbook[SHEET].iter_rows(values_only=True), 1):
            if number == 1:
                if [str(v or "") for v in values[: len(HEADER)]] != HEADER:
                    raise ReviewFileRejected(
                        "The first row of the sheet is not the review file's header; columns "
                        "were moved or renamed. Nothing was changed; keep the columns as "
                        "exported."
                    )
                continue
            if number > MAX_ROWS:
                raise ReviewFileRejected("The review file has too many rows. Nothing was changed.")
            if not any(values):
                continue
            try:
                segment_id, version = int(values[0]), int(values[1])
            except (TypeError, ValueError):
                raise ReviewFileRejected(
                    f"Row {number} has no segment id and version (columns A and B); they "
                    "must stay as exported. Nothing was changed."
                ) from None
            translation = _untext(values[4])
            rows.append((segment_id, version, translation, _untext(values[7])))
    finally:
        workbook.close()
    return rows


def _untext(value):
    text = "" if value is None else str(value)
    return text[1:] if text.startswith("'=") else text
