"""Translation memory files in and out: TMX (1.1 to 1.4b, from OmegaT, Trados, memoQ and
the workbench itself), two-column CSV and XLSX, and any bilingual file the document
importer reads (XLIFF 1.2 and 2.0, Trados SDLXLIFF, memoQ MQXLIFF) in; TMX out.

An import is all or nothing. Every unit is checked; if any is unusable (a missing
source, an enormous unit, a control character, the wrong language) the whole file is
refused with a list of what is wrong where, and nothing is stored. A unit that simply
has no translation yet, normal in a bilingual file or a TMX exported with untranslated
segments, is skipped and counted instead. In a spreadsheet an empty target cell is a
mistake in the sheet, and a problem like any other. Units are streamed
(COPY) into a temporary staging table as they are read, so a million-unit TMX passes
through in flat memory, and merged into the memory at the end; one transaction holds it
all, which is what makes a late error undo everything.

Same source and same target already in the memory: the unit is merged (its `updated_at`
and `imported_from` change), never repeated.
"""

import io
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import PurePath
from xml.sax.saxutils import escape, quoteattr

import openpyxl
from django.db import connection, transaction
from django.utils import timezone
from lxml import etree

from agents.languages import same_language
from workbench.documents.importers import xliff as xliff_importer
from workbench.documents.importers.base import ImportRejected
from workbench.documents.importers.safety import PROLOG_BYTES, check_doctype, open_zip_safely
from workbench.documents.placeholders import TOKEN

from . import csv_shapes
from .models import TranslationUnit

FORMATS = {
    ".tmx": "tmx",
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".sdlxliff": "xliff",
    ".mqxliff": "xliff",
}
MAX_PROBLEMS = 50
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Inline codes of the original format; their content is markup, not translatable text.
TMX_CODES = {"bpt", "ept", "ph", "it", "ut"}
# Kept as a character reference on export: XML parsers turn a literal CR into LF.
TEXT_ENTITIES = {"\r": "&#13;"}


class MemoryImportRejected(ImportRejected):
    """The file was refused as a whole; `problems` lists the units at fault."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class Problem:
    where: str  # "line 12", "row 5", "unit 3 (id p1)"
    reason: str

    def __str__(self):
        return f"{self.where}: {self.reason}"


@dataclass
class Untranslated:
    """A unit with a source and no translation: skipped, and counted."""

    where: str


@dataclass
class ImportResult:
    added: int = 0
    merged: int = 0
    skipped: int = 0  # untranslated units left out
    problems: list = field(default_factory=list)

    @property
    def total(self):
        return self.added + self.merged

    def summary(self):
        """What the import did, in a sentence for the page and the command line."""
        text = f"{self.added} new units, {self.merged} merged with units already in the memory"
        if self.skipped:
            text += f"; {self.skipped} untranslated unit(s) skipped"
        return text + "."


def detect_format(filename):
    fmt = FORMATS.get(PurePath(filename).suffix.lower())
    if fmt is None:
        raise MemoryImportRejected(
            f"“{filename}” is not a translation memory file this workbench reads. "
            "Use TMX (.tmx), a two-column CSV (.csv) or Excel sheet (.xlsx), or a bilingual "
            "file (.xlf, .xliff, .sdlxliff, .mqxliff)."
        )
    return fmt


def import_memory_file(memory, stream, filename, *, user=None, format=None):
    """Import a file (a binary stream) into `memory`; return an ImportResult or raise
    MemoryImportRejected with every problem found (up to MAX_PROBLEMS)."""
    format = format or detect_format(filename)
    readers = {"tmx": _read_tmx, "csv": _read_csv, "xlsx": _read_xlsx, "xliff": _read_xliff}
    with transaction.atomic(), connection.cursor() as cursor:
        staging = _Staging(cursor)
        try:
            with staging.copy() as copy:
                writer = _UnitWriter(copy)
                for item in readers[format](stream, memory):
                    writer.add(item)
                    if len(writer.problems) >= MAX_PROBLEMS:
                        break
        except MemoryImportRejected:
            raise
        except ImportRejected as rejected:  # from the shared safety checks
            raise MemoryImportRejected(str(rejected)) from None
        if writer.problems:
            # Leaving the block by an exception rolls back everything written so far.
            raise MemoryImportRejected(_summary(writer, filename), writer.problems)
        if not writer.count:
            untranslated = (
                f" ({writer.skipped} unit(s) have no translation yet)" if writer.skipped else ""
            )
            raise MemoryImportRejected(
                f"“{filename}” contains no translated units{untranslated}; nothing was stored."
            )
        added = staging.merge_into(memory, PurePath(filename).name[:255], user)
        staging.drop()
    return ImportResult(added=added, merged=writer.count - added, skipped=writer.skipped)


def _summary(writer, filename):
    count = len(writer.problems)
    more = " (the first ones; there may be more)" if count >= MAX_PROBLEMS else ""
    return (
        f"“{filename}” was not imported: {count} unit{'s' if count != 1 else ''} cannot be "
        f"used{more}. Nothing was stored. Correct the file and import it again."
    )


class _UnitWriter:
    """Checks each pair and streams the usable ones into the staging table."""

    def __init__(self, copy):
        self.copy = copy
        self.count = 0
        self.skipped = 0
        self.problems = []

    def add(self, item):
        """`item` is (where, source, target) from a reader, or a Problem or an
        Untranslated unit it found."""
        if isinstance(item, Problem):
            self.problems.append(item)
            return
        if isinstance(item, Untranslated):
            self.skipped += 1
            return
        where, source, target = item
        source, target = (source or "").strip(), (target or "").strip()
        reason = TranslationUnit.problem_with(source, target)
        if reason:
            self.problems.append(Problem(where, reason))
            return
        if self.problems:
            return  # the file is already refused; keep checking, stop writing
        self.count += 1
        self.copy.write_row(
            (source, target, TranslationUnit.hash_text(source), TranslationUnit.hash_text(target))
        )


class _Staging:
    """A temporary table the file is copied into (COPY: no per-row statements, no WAL),
    then merged into the memory by two statements.

    It stays correct because everything happens in the import's one transaction: a
    refused file rolls back the staging table with the rest, so nothing is half
    imported, and a concurrent import of the same units meets the unique constraint
    (ON CONFLICT) rather than adding a duplicate.
    """

    TABLE = "tm_import_staging"

    def __init__(self, cursor):
        self.cursor = cursor
        # SET LOCAL, for this transaction only: let the GIN indexes gather new entries in
        # a large pending list and merge them in big sorted runs, several times faster
        # than entry by entry.
        cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {self.TABLE} (source text, target text, "
            "source_hash text, target_hash text) ON COMMIT DROP"
        )

    def copy(self):
        return self.cursor.copy(
            f"COPY {self.TABLE} (source, target, source_hash, target_hash) FROM STDIN"
        )

    def merge_into(self, memory, imported_from, user):
        """Merge the staged pairs into `memory`: a pair it holds already is touched
        (`updated_at`, `imported_from`), a new pair added once however often the file
        repeats it. Returns how many were added."""
        now = timezone.now()
        table = TranslationUnit._meta.db_table
        cursor = self.cursor
        cursor.execute(f"ANALYZE {self.TABLE}")  # temporary tables get no autovacuum
        cursor.execute(
            f"""
            UPDATE {table} AS unit SET updated_at = %s, imported_from = %s
            FROM {self.TABLE} AS staged
            WHERE unit.memory_id = %s AND unit.source_hash = staged.source_hash
              AND unit.target_hash = staged.target_hash
            """,  # noqa: S608  (table names are ours, never user input)
            [now, imported_from, memory.pk],
        )
        cursor.execute(
            f"""
            INSERT INTO {table} (
                memory_id, source, target, source_language, target_language,
                source_hash, target_hash, previous_hash, next_hash, origin, quality,
                imported_from, created_by_id, created_at, updated_at)
            SELECT %s, source, target, %s, %s, source_hash, target_hash, '', '', %s, %s,
                %s, %s, %s, %s
            FROM {self.TABLE}
            ON CONFLICT (memory_id, source_hash, target_hash) DO NOTHING
            """,  # noqa: S608  (table names are ours, never user input)
            [
                memory.pk,
                memory.source_language,
                memory.target_language,
                TranslationUnit.Origin.IMPORT,
                TranslationUnit.Quality.TRANSLATED,
                imported_from,
                user.pk if user else None,
                now,
                now,
            ],
        )
        added = cursor.rowcount
        # Every index scan reads the whole pending list: merge what is left of it now,
        # rather than leave lookups to read up to 256 MB until autovacuum comes by.
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid) FROM pg_index "
            "JOIN pg_class ON pg_class.oid = indexrelid JOIN pg_am ON pg_am.oid = relam "
            "WHERE indrelid = %s::regclass AND amname = 'gin'",
            [table],
        )
        return added

    def drop(self):
        # ON COMMIT DROP comes too late when the import is part of a larger transaction
        # that imports again.
        self.cursor.execute(f"DROP TABLE {self.TABLE}")


def languages_match(found, wanted):
    """Does a language tag found in a file stand for the memory's language?

    Regions are variants of one language (an `en-US` or `en-GB` unit is English for an
    `en` memory), but Chinese scripts are not: `zh-Hans` text is refused by a `zh-Hant-HK`
    memory, while `zh-HK` and `zh-TW` (Traditional by their region) and a bare `zh` are
    accepted.
    """
    return same_language(found, wanted)


def _check_file_languages(found_source, found_target, memory, filename_kind):
    """Refuse a file whose declared pair is not the memory's (either direction)."""
    if not found_source or not found_target:
        return False
    if languages_match(found_source, memory.source_language) and languages_match(
        found_target, memory.target_language
    ):
        return False
    if languages_match(found_source, memory.target_language) and languages_match(
        found_target, memory.source_language
    ):
        return True  # the file runs the other way: its targets are our sources
    raise MemoryImportRejected(
        f"The {filename_kind} is {found_source} → {found_target}, but this memory is "
        f"{memory.language_pair}. Import it into a memory for that language pair."
    )


# TMX ---------------------------------------------------------------------------------


def _read_tmx(stream, memory):
    """Stream <tu> elements with lxml, never building the whole tree.

    The parser neither loads DTDs nor resolves entities nor touches the network. A
    DOCTYPE (OmegaT writes one into every TMX) is accepted when it declares no entities,
    which is checked on the file's first bytes before parsing (XXE, billion laughs).
    """
    head = stream.read(PROLOG_BYTES)
    check_doctype(head, "The TMX file")
    stream.seek(0)
    parser = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    unit_number = 0
    try:
        for event, element in parser:
            if event == "start":
                if element.getparent() is None:
                    _check_tmx_root(element)
                continue
            if element.tag != "tu":
                continue
            unit_number += 1
            where = f"line {element.sourceline} (unit {unit_number})"
            variants = {}
            for tuv in element.iter("tuv"):
                seg = tuv.find("seg")
                lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
                variants.setdefault(lang, _tmx_text(seg) if seg is not None else "")
            source = _variant(variants, memory.source_language)
            target = _variant(variants, memory.target_language)
            if unit_number == 1 and (source is None or target is None):
                _refuse_pair(variants, memory)
            if source is not None and target is not None and source.strip() and not target.strip():
                yield Untranslated(where)  # the target variant is there, still empty
            elif source is None or target is None:
                missing = memory.source_language if source is None else memory.target_language
                found = ", ".join(lang or "no language" for lang in variants) or "nothing"
                yield Problem(where, f"no {missing} text (the unit has: {found})")
            else:
                yield where, source, target
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise MemoryImportRejected(
            f"The TMX file is not well-formed XML: line {error.lineno}: {error.msg}. "
            "Nothing was imported; repair the file or export it again."
        ) from None


def _refuse_pair(variants, memory):
    found = ", ".join(lang for lang in variants if lang) or "none"
    raise MemoryImportRejected(
        f"The TMX file's first unit has the languages {found}, but this memory is "
        f"{memory.language_pair}. Import it into a memory for its language pair."
    )


def _check_tmx_root(root):
    if root.tag != "tmx":
        raise MemoryImportRejected(
            f"The file is XML but not TMX (its root element is <{root.tag}>, not <tmx>)."
        )


def _variant(variants, language):
    for lang, text in variants.items():
        if languages_match(lang, language):
            return text
    return None


def _tmx_text(element):
    """The text of a <seg>: its own text and highlighted parts, without inline codes."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in TMX_CODES:
            parts.append(_tmx_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def export_tmx(memory):
    """Yield the memory as TMX 1.4, a few kilobytes at a time, for a streaming response."""
    source_language = memory.source_language
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        '<header creationtool="Legal translation workbench" creationtoolversion="1" '
        'segtype="sentence" o-tmf="workbench" adminlang="en" '
        f'srclang={quoteattr(source_language)} datatype="plaintext"/>\n<body>\n'
    ).encode()
    units = memory.units.order_by("pk").values_list(
        "source", "target", "origin", "quality", "created_at", "updated_at", "created_by__username"
    )
    chunk = []
    for source, target, origin, quality, created, changed, author in units.iterator(2000):
        creator = f" creationid={quoteattr(author)}" if author else ""
        chunk.append(
            f"<tu creationdate={quoteattr(_tmx_date(created))} "
            f"changedate={quoteattr(_tmx_date(changed))}{creator}>"
            f'<prop type="x-origin">{escape(origin)}</prop>'
            f'<prop type="x-quality">{escape(quality)}</prop>'
            f"<tuv xml:lang={quoteattr(source_language)}><seg>{escape(source, TEXT_ENTITIES)}</seg></tuv>"
            f"<tuv xml:lang={quoteattr(memory.target_language)}><seg>{escape(target, TEXT_ENTITIES)}</seg></tuv>"
            "</tu>\n"
        )
        if len(chunk) == 500:
            yield "".join(chunk).encode()
            chunk = []
    yield ("".join(chunk) + "</body>\n</tmx>\n").encode()


def _tmx_date(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# CSV and XLSX ------------------------------------------------------------------------


def _read_csv(stream, memory):
    try:
        rows = csv_shapes.read_rows(stream.read())
    except csv_shapes.CsvUnreadable as unreadable:
        raise MemoryImportRejected(str(unreadable)) from None
    yield from _two_columns(rows, memory, "CSV file")


def _read_xlsx(stream, memory):
    data = stream.read()
    open_zip_safely(data, "The Excel file")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        raise MemoryImportRejected(
            f"The Excel file cannot be opened ({error.__class__.__name__}); save it again "
            "as .xlsx and retry."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [
            ["" if value is None else str(value) for value in row[:2]]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    yield from _two_columns(rows, memory, "Excel sheet")


def _two_columns(rows, memory, kind):
    """Rows of (source, target); a first row of column names or language tags is a header,
    and language tags there must be the memory's pair (either order)."""
    swapped = False
    start = 1
    if rows and csv_shapes.is_two_column_header(rows[0]):
        swapped = _check_file_languages(*_header_languages(rows[0]), memory, kind)
        start = 2
    for number, row in enumerate(rows[start - 1 :], start=start):
        cells = [(cell or "").strip() for cell in row[:2]] + ["", ""]
        if not any(cells):
            continue  # blank lines between blocks of a sheet are not units
        source, target = cells[0], cells[1]
        if swapped:
            source, target = target, source
        yield f"row {number}", source, target


def _header_languages(row):
    cells = [(cell or "").strip() for cell in row[:2]]
    if all(csv_shapes.is_language_tag(cell) for cell in cells):
        return cells
    return "", ""


# XLIFF -------------------------------------------------------------------------------


def _read_xliff(stream, memory):
    """The segments of a bilingual file, read by the document importer (so Trados and
    memoQ segmentation, statuses and inline codes are understood the same way), with
    inline codes left out: a memory matches on the text."""
    try:
        parsed = xliff_importer.parse(stream.read())
    except ImportRejected as rejected:
        raise MemoryImportRejected(str(rejected)) from None
    swapped = _check_file_languages(
        parsed.source_language, parsed.target_language, memory, "bilingual file"
    )
    for number, block in enumerate(parsed.blocks, start=1):
        where = block.structure
        unit_id = where.get("unit", "") + (f", segment {where['mid']}" if "mid" in where else "")
        label = f"unit {number}" + (f" (id {unit_id})" if unit_id else "")
        source, target = TOKEN.sub("", block.text), TOKEN.sub("", block.target)
        if swapped:
            source, target = target, source
        if not target.strip() and source.strip():
            yield Untranslated(label)
        else:
            yield label, source, target
