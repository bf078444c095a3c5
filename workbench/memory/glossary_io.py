"""Glossary files in and out: TBX (through translate-toolkit) and CSV.

Reading never writes: `read_tbx` and `read_csv` turn bytes into rows and a list of
problems, each naming its row or entry as (number, sentence). `import_glossary` stores the rows only when there
is no problem at all, so a file with one bad row changes nothing and says what to fix.
"""

import codecs
import io
from dataclasses import dataclass
from pathlib import PurePath

from lxml import etree
from translate.misc.xml_helpers import parse_xml
from translate.storage.tbx import tbxfile

from agents import languages
from workbench.documents.importers.base import ImportRejected
from workbench.documents.importers.safety import reject_unsafe_xml
from workbench.documents.services import check_upload
from workbench.spreadsheets import SafeWriter, unneutralise

from . import csv_shapes
from .glossary import merge_terms
from .models.glossary import Term, normalise_term_text, term_text_problem

CSV_COLUMNS = [
    "source_term",
    "target_term",
    "part_of_speech",
    "note",
    "domain",
    "case_sensitive",
    "status",
]
REQUIRED_COLUMNS = {"source_term", "target_term"}
# Other tools' names for the columns; "definition" joins the note.
COLUMN_ALIASES = {
    "definition": "definition",
    "notes": "note",
    "comment": "note",
    "pos": "part_of_speech",
    "usage_status": "status",
    "usage": "status",
    "administrative_status": "status",
    "subject_field": "domain",
    "subject": "domain",
}
MAX_TERMS_PER_IMPORT = 20_000
MAX_LISTED_PROBLEMS = 100
MAX_NOTE_LENGTH = 5000
FIELD_LIMITS = {"part_of_speech": 40, "domain": 100}
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"", "no", "n", "false", "0"}
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).

# TBX status values, administrativeStatus (“preferredTerm-admn-sts”) and
# normativeAuthorization (“preferred”) alike, by their stem.
TBX_STATUSES = {
    "preferred": Term.Status.PREFERRED,
    "standardized": Term.Status.PREFERRED,
    "legal": Term.Status.PREFERRED,
    "regulated": Term.Status.PREFERRED,
    "admitted": Term.Status.ADMITTED,
    "deprecated": Term.Status.FORBIDDEN,
    "superseded": Term.Status.FORBIDDEN,
    "forbidden": Term.Status.FORBIDDEN,
    "notrecommended": Term.Status.FORBIDDEN,
    "obsolete": Term.Status.FORBIDDEN,
}
# The termNote types that carry a term's usage status, in TBX-Basic, TBX 2008 and TBX v3.
STATUS_NOTES = ("administrativeStatus", "normativeAuthorization", "usageStatus")
# Descriptions that are notes for the translator: kept in the term's note.
NOTE_DESCRIPS = {"definition", "context", "explanation"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX_STATUS_OUT = {
    Term.Status.PREFERRED: "preferredTerm-admn-sts",
    Term.Status.ADMITTED: "admittedTerm-admn-sts",
    Term.Status.FORBIDDEN: "deprecatedTerm-admn-sts",
}
# TBX has no field for it; other tools ignore an unknown termNote type.
CASE_SENSITIVE_NOTE = "x-caseSensitive"


class GlossaryRejected(ImportRejected):
    """The file was not imported; `problems` lists each bad row or entry."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class Row:
    """The values one CSV row or one pairing of a TBX entry gives, as far as it gives them."""

    number: int
    label: str  # “Row 4”, “Entry 2 (t17)”: what the person sees in their file
    fields: dict


@dataclass
class ImportResult:
    added: int
    updated: int


def import_glossary(project, *, data, filename, user=None):
    """Import a .tbx or .csv file into the project's glossary, all of it or nothing."""
    filename = check_upload(filename, len(data))
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".tbx", ".xml"}:
        rows, problems = read_tbx(data, project)
    elif suffix in {".csv", ".tsv", ".txt"}:
        rows, problems = read_csv(data, project)
    else:
        raise GlossaryRejected(
            f"“{filename}” is neither a TBX (.tbx, .xml) nor a CSV (.csv, .tsv) file; export "
            "the glossary in one of those formats and upload it again."
        )
    if len(rows) > MAX_TERMS_PER_IMPORT:
        raise GlossaryRejected(
            f"The file holds {len(rows)} terms; one import takes at most "
            f"{MAX_TERMS_PER_IMPORT}. Split it into several files."
        )
    rows, row_problems = check_rows(rows)
    # In file order, and once: the pairings of one TBX entry share its problems.
    problems = list(dict.fromkeys(text for _, text in sorted(problems + row_problems)))
    if problems:
        shown = problems[:MAX_LISTED_PROBLEMS]
        if len(problems) > len(shown):
            shown.append(f"… and {len(problems) - len(shown)} more problems.")
        raise GlossaryRejected(
            f"“{filename}” was not imported because of {len(problems)} "
            f"problem{'s' if len(problems) != 1 else ''}; nothing was changed. Correct the "
            "file and upload it again.",
            shown,
        )
    if not rows:
        raise GlossaryRejected(f"“{filename}” contains no terms.")
    return ImportResult(*merge_terms(project, [row.fields for row in rows], user))


def check_rows(rows):
    """Clean the values of the rows; return the good rows and the problems of the others."""
    checked, problems = [], []
    for row in rows:
        fields = dict(row.fields)
        errors = []
        for name, what in (("source_term", "source term"), ("target_term", "target term")):
            fields[name] = normalise_term_text(fields.get(name, ""))
            problem = term_text_problem(fields[name])
            if problem:
                errors.append(f"the {what} {problem}")
        for name, limit in FIELD_LIMITS.items():
            if name in fields:
                fields[name] = normalise_term_text(fields[name])
                if len(fields[name]) > limit:
                    errors.append(f"{name} is {len(fields[name])} characters; the limit is {limit}")
        if "note" in fields:
            fields["note"] = fields["note"].strip()
            if len(fields["note"]) > MAX_NOTE_LENGTH:
                errors.append(f"the note is longer than {MAX_NOTE_LENGTH} characters")
        for name, parse in (("status", parse_status), ("case_sensitive", parse_yes_no)):
            if name in fields:
                try:
                    fields[name] = parse(fields[name])
                except ValueError as error:
                    errors.append(str(error))
        if errors:
            problems.append((row.number, f"{row.label}: {'; '.join(errors)}."))
        else:
            checked.append(Row(row.number, row.label, fields))
    return checked, problems


def parse_status(value):
    word = (value or "").strip().lower()
    if not word:
        return Term.Status.PREFERRED
    if word in Term.Status.values:
        return word
    tbx_word = word.replace(" ", "").removesuffix("-admn-sts").removesuffix("term")
    if tbx_word in TBX_STATUSES:  # a usage status as TBX tools write it: deprecated...
        return TBX_STATUSES[tbx_word]
    raise ValueError(
        f"the status “{value}” is unknown; use preferred, admitted or forbidden (or leave it "
        "empty for preferred)"
    )


def parse_yes_no(value):
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"case_sensitive is “{value}”; write yes or no")


# CSV


def read_csv(data, project=None):
    """Rows of a CSV file in any shape `csv_shapes` reads; returns (rows, problems).

    A header names the workbench's columns, or as termbase tools write them: the project's
    two language codes for the terms ("en", "zh-Hant-HK", either order), "source" and
    "target", "definition", "part of speech", "usage status", "subject field". Without a
    header (the two-column file the TM importer takes), the columns are the source and the
    target term.
    """
    try:
        lines = csv_shapes.read_rows(data)
    except csv_shapes.CsvUnreadable as unreadable:
        raise GlossaryRejected(str(unreadable)) from None
    numbered = [(number, cells) for number, cells in enumerate(lines, start=1) if cells]
    if not numbered:
        return [], []
    first = numbered[0][1]
    header = [_column(name, project) for name in first]
    has_header = _is_header(header, first)
    if has_header:
        _check_header(header)
        numbered = numbered[1:]
    else:
        header = ["source_term", "target_term"]
    rows, problems = [], []
    for number, cells in numbered:
        if not any(cell.strip() for cell in cells):
            continue
        label = f"Row {number}"
        if len(cells) > len(header):
            problems.append((number, f"{label}: {_too_many_cells(cells, header, has_header)}"))
            continue
        cells += [""] * (len(header) - len(cells))
        fields = {name: unneutralise(cell) for name, cell in zip(header, cells, strict=True)}
        definition = fields.pop("definition", "").strip()
        if definition:
            fields["note"] = "\n".join(filter(None, [definition, fields.get("note", "")]))
        rows.append(Row(number, label, fields))
    return rows, problems


def _is_header(columns, cells):
    """A first row names columns when a cell names one of ours, or the row names two text
    columns as the TM importer reads them ("en,fr" for another pair is a header too, and
    refused for its columns)."""
    known = set(CSV_COLUMNS) | {"definition"}
    return bool(known & set(columns)) or csv_shapes.is_two_column_header(cells)


def _too_many_cells(cells, header, has_header):
    if has_header:
        return (
            f"it has {len(cells)} cells but the header names {len(header)} columns (a comma "
            "inside a cell needs quotes)."
        )
    return (
        f"it has {len(cells)} cells, but a file without a header row holds two: the source "
        "term and the target term. Add a first row naming the columns (source_term, "
        "target_term, note...) or put quotes around cells that contain a comma."
    )


def _column(name, project):
    """The column a header cell names: a language code of the project's pair is its
    source or target term; a few other tools' names mean the workbench's columns."""
    words = name.strip().lower().replace(" ", "_").replace("-", "_")
    if words in COLUMN_ALIASES:
        return COLUMN_ALIASES[words]
    said = csv_shapes.column_word(name)
    if said:
        return f"{said}_term"
    if project is not None and name.strip():
        if same_language(name.strip(), project.source_language):
            return "source_term"
        if same_language(name.strip(), project.target_language):
            return "target_term"
    return name.strip().lower().replace(" ", "_")


def _check_header(header):
    known = ", ".join(CSV_COLUMNS)
    unknown = [name for name in header if name not in CSV_COLUMNS and name != "definition"]
    if unknown:
        raise GlossaryRejected(
            f"The header names unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(f'“{name}”' for name in unknown)}. The first row must name the "
            f"columns, from: {known}."
        )
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise GlossaryRejected(
            f"The header has no {' or '.join(sorted(missing))} column. The first row must "
            f"name the columns, from: {known}."
        )
    repeated = {name for name in header if header.count(name) > 1}
    if repeated:
        raise GlossaryRejected(f"The header names {', '.join(sorted(repeated))} twice.")


def export_csv(project):
    """The glossary as UTF-8 CSV with a BOM (so Excel reads Chinese), formulas defused."""
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for term in project.terms.all():
        values = [
            term.source_term,
            term.target_term,
            term.part_of_speech,
            term.note,
            term.domain,
            "yes" if term.case_sensitive else "no",
            term.status,
        ]
        writer.writerow(values)
    return codecs.BOM_UTF8 + out.getvalue().encode()


# TBX


class GlossaryTbx(tbxfile):
    """translate-toolkit's TBX store without its DOCTYPE, which our own import (and any
    careful reader) refuses."""

    XMLskeleton = (
        '<?xml version="1.0"?><martif type="TBX-Basic"><martifHeader><fileDesc><sourceDesc>'
        "<p>Legal translation workbench</p></sourceDesc></fileDesc></martifHeader>"
        "<text><body></body></text></martif>"
    )


def export_tbx(project):
    store = GlossaryTbx(
        sourcelanguage=project.source_language, targetlanguage=project.target_language
    )
    for term in project.terms.all():
        entry = store.addsourceunit(term.source_term)
        entry.settarget(term.target_term, lang=project.target_language)
        entry.setid(f"term-{term.pk}")
        source, target = entry.getlanguageNodes()
        if term.domain:
            _add_child(entry.xmlelement, "descrip", term.domain, type="subjectField", before=source)
        if term.note:
            _add_child(entry.xmlelement, "note", term.note, before=source)
        source_tig = source.find(entry.namespaced("tig"))
        if term.part_of_speech:
            _add_child(source_tig, "termNote", term.part_of_speech, type="partOfSpeech")
        case = "yes" if term.case_sensitive else "no"
        _add_child(source_tig, "termNote", case, type=CASE_SENSITIVE_NOTE)
        target_tig = target.find(entry.namespaced("tig"))
        _add_child(target_tig, "termNote", TBX_STATUS_OUT[term.status], type="administrativeStatus")
    out = io.BytesIO()
    store.serialize(out)
    return out.getvalue()


def _add_child(parent, tag, text, before=None, **attributes):
    node = etree.Element(tag, attributes)
    node.text = text
    if before is not None:
        before.addprevious(node)
    else:
        parent.append(node)


def read_tbx(data, project):
    """Rows of a TBX file for this project's pair: TBX 2008 (<martif>, TBX-Basic, with
    <tig> or <ntig>) or TBX v3 (ISO 30042:2019, <tbx> with conceptEntry/langSec/termSec).
    Entries in other languages are problems, not skipped, so nothing is lost silently.

    What an entry says about its concept (subject field, definition, note) applies to
    each of its terms; what a term says (part of speech, usage status, notes) to that
    term. A target term's usage status is the entry's status: a deprecated, superseded,
    obsolete or not recommended target is forbidden.
    """
    reject_unsafe_xml(data, "The TBX file")
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as error:
        raise GlossaryRejected(f"The TBX file is not well-formed XML ({error}).") from None
    kind = _local(root)
    if kind not in ("martif", "tbx"):
        raise GlossaryRejected(
            f"The file's root element is <{kind}>, not <martif> (TBX 2008, TBX-Basic) or "
            "<tbx> (TBX v3): it is not a termbase. Export the glossary as TBX and upload it "
            "again."
        )
    entry_name = "termEntry" if kind == "martif" else "conceptEntry"
    rows, problems = [], []
    entries = [e for e in root.iter() if _local(e) == entry_name]
    for number, entry in enumerate(entries, start=1):
        label = f"Entry {number}" + (f" ({entry.get('id')})" if entry.get("id") else "")
        entry_rows, problem = _rows_of_entry(entry, project)
        if problem:
            problems.append((number, f"{label}: {problem}"))
        rows += [Row(number, label, fields) for fields in entry_rows]
    return rows, problems


@dataclass
class _TbxTerm:
    text: str
    notes: dict  # termNote type -> value
    free_notes: list  # notes, definitions and contexts of the term


def _local(element):
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _rows_of_entry(entry, project):
    sources, targets = [], []
    concept_notes = _free_notes(entry, stop={"langSet", "langSec"})
    domain = _descrip(entry, "subjectField")
    for section in (c for c in entry if _local(c) in ("langSet", "langSec")):
        tag = section.get(XML_LANG, "")
        if not tag:
            return [], "a language section has no xml:lang; say which language it is in."
        section_notes = _free_notes(section, stop={"tig", "ntig", "termSec"})
        terms = [
            _term(container, section_notes)
            for container in section
            if _local(container) in ("tig", "ntig", "termSec")
        ]
        if same_language(tag, project.source_language):
            sources += terms
        elif same_language(tag, project.target_language):
            targets += terms
        else:
            return [], (
                f"the language “{tag}” is not part of this project "
                f"({project.source_language} → {project.target_language})."
            )
    if not sources or not targets:
        missing = project.source_language if not sources else project.target_language
        return [], f"there is no {missing} term (each entry needs both languages)."
    rows = []
    for target in targets:
        status = next((target.notes[t] for t in STATUS_NOTES if target.notes.get(t)), "")
        for source in sources:
            notes = list(dict.fromkeys(concept_notes + source.free_notes + target.free_notes))
            fields = {
                "source_term": source.text,
                "target_term": target.text,
                "note": "\n".join(notes),
                "domain": domain,
                "part_of_speech": source.notes.get("partOfSpeech")
                or target.notes.get("partOfSpeech", ""),
                "case_sensitive": source.notes.get(CASE_SENSITIVE_NOTE, ""),
            }
            if status:
                fields["status"] = _tbx_status(status)
            # A field the entry does not give keeps its value on an existing term.
            rows.append({k: v for k, v in fields.items() if v or k.endswith("_term")})
    return rows, ""


def _term(container, section_notes):
    """A <tig>, <ntig> (its <termGrp> holds the term) or TBX v3 <termSec>."""
    text, notes = "", {}
    for element in container.iter():
        name = _local(element)
        if name == "term" and not text:
            text = "".join(element.itertext())
        elif name == "termNote" and element.get("type"):
            notes.setdefault(element.get("type"), "".join(element.itertext()).strip())
    return _TbxTerm(text, notes, section_notes + _free_notes(container))


def _free_notes(element, stop=frozenset()):
    """Texts of the notes, definitions and contexts of `element` itself (not of the
    sections below it named in `stop`)."""
    texts = []
    for child in element:
        name = _local(child)
        if name in stop:
            continue
        if name in ("descripGrp", "termGrp"):
            texts += _free_notes(child)
        elif name == "note" or (name == "descrip" and child.get("type") in NOTE_DESCRIPS):
            text = "".join(child.itertext()).strip()
            if text:
                texts.append(text)
    return texts


def _descrip(element, kind):
    """The text of `element`'s own <descrip type=kind> (or in its <descripGrp>)."""
    for child in element:
        if _local(child) == "descripGrp":
            found = _descrip(child, kind)
            if found:
                return found
        elif _local(child) == "descrip" and child.get("type") == kind:
            return "".join(child.itertext()).strip()
    return ""


def _tbx_status(value):
    stem = value.strip().removesuffix("-admn-sts").removesuffix("Term").lower()
    # An unknown status reaches parse_status unchanged and is reported there.
    return TBX_STATUSES.get(stem, value)


def same_language(tag, project_tag):
    """Whether a file's language tag names the project's language: `en` and `en-GB` do
    for `en`, `zh-HK` and `zh-Hant` do for `zh-Hant-HK`, `zh-TW` and `zh-Hans` do not (a
    glossary's terms are regional)."""
    return languages.same_language(tag, project_tag, regions_matter=True)
