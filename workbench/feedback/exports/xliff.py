"""XLIFF 1.2 and 2.0, written as a stream: one <file> per document, one unit per segment.

Inline codes go back as the original markup when it is markup of the version being
written, so a file that came in as XLIFF leaves with its own tags. Codes of another
origin (a Word footnote mark, tags of the other XLIFF version or of a foreign namespace)
become the version's generic codes: <x/>, <g>, <bx/>/<ex/> in 1.2; <ph/>, <pc>, <sc/>/<ec/>
in 2.0. Half of a pair whose other half is in another segment is always an isolated code.

Status is the inverse of the XLIFF importer's mapping, so a file round-trips:
    new        -> no target                              2.0 state="initial", no target
    drafted    -> 1.2 state="needs-review-translation"   2.0 state="initial"
    translated -> 1.2 state="translated"                 2.0 state="translated"
    approved   -> 1.2 state="signed-off", approved="yes" 2.0 state="final"
Unit ids are the ones of the imported file where there were some (a segment of a
Trados or Okapi unit is "unit:marker"; XLIFF 2.0 puts the segments of one unit back
into one <unit>), else the segment's position. Notes of the imported file and the
comments people wrote on a segment are <note>s. Dates and the paragraph number: 1.2
has no place for them on a unit, so they are a <context-group> of the workbench's
(context types x-created, x-changed, x-paragraph); 2.0 uses its Metadata module. The
files use nothing outside XLIFF, so they pass the strict 1.2 schema and the 2.0 core
schema: a 2.0 code's reference to original data the export does not carry
(dataRef...) is left out, and a start or end code whose partner is not in the same
segment becomes isolated.
"""

import datetime
import re
from collections import defaultdict

from .inline import Renderer, escape_attribute, escape_text, render, xml_safe

XLIFF_1_2 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_2_0 = "urn:oasis:names:tc:xliff:document:2.0"
METADATA = "urn:oasis:names:tc:xliff:metadata:2.0"
WORKBENCH = "urn:x-legal-translation-workbench:export"

STATE_1_2 = {
    "drafted": "needs-review-translation",
    "translated": "translated",
    "approved": "signed-off",
}
STATE_2_0 = {"drafted": "initial", "translated": "translated", "approved": "final"}

ELEMENT = re.compile(r"<([A-Za-z][\w.-]*(?::[\w.-]+)?)([\s/>])")
# An attribute of another namespace (Trados sdl:, memoQ mq:): its prefix is declared in
# the file it came from, not in the export.
FOREIGN_ATTRIBUTE = re.compile(r"\s(?!xml:)[\w.-]+:[\w.-]+=")
DATA_REFERENCE = re.compile(r'\sdataRef(?:Start|End)?="[^"]*"')
ATTRIBUTE = re.compile(r'\s([\w.:-]+)="([^"]*)"')
INLINE_1_2 = {"g", "x", "bx", "ex", "bpt", "ept", "it", "sub"}
INLINE_2_0 = {"pc", "sc", "ec", "cp", "sm", "em"}


def _element(markup):
    """The element name that `markup` starts with, or None for a Word code."""
    match = ELEMENT.match(markup) if isinstance(markup, str) else None
    return match.group(1) if match else None


def _iso(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Xliff12Codes(Renderer):
    @staticmethod
    def native(markup):
        name = _element(markup)
        if name is None or FOREIGN_ATTRIBUTE.search(markup.split(">", 1)[0]):
            return False
        if name == "ph":
            return not markup.endswith("/>")  # 1.2's <ph> holds native code; 2.0's is empty
        return name in INLINE_1_2 or (name == "mrk" and " mtype=" in markup)

    def code(self, number, markup):
        if self.native(markup):
            return xml_safe(markup)
        if isinstance(markup, dict) and markup.get("type") in ("footnote", "endnote"):
            return f'<x id="{number}" ctype="x-{markup["type"]}"/>'
        return f'<x id="{number}"/>'

    def pair(self, number, opening, closing, inner):
        if self.native(opening):
            return f"{xml_safe(opening)}{inner}{xml_safe(closing)}"
        return f'<g id="{number}">{inner}</g>'

    def isolated(self, number, markup, begins):
        return f'<{"bx" if begins else "ex"} id="{number}"/>'


class Xliff20Codes(Renderer):
    def __init__(self):
        self.starts, self.ends = set(), set()

    def prepare(self, codes):
        """The segment's codes, to tell a start code whose end is there from one whose
        end stayed in another segment."""
        self.starts = {_attribute(m, "id") for m in codes if _element(m) == "sc"}
        self.ends = {_attribute(m, "startRef") for m in codes if _element(m) == "ec"}

    @staticmethod
    def native(markup):
        name = _element(markup)
        if name is None or FOREIGN_ATTRIBUTE.search(markup.split(">", 1)[0]):
            return False
        if name == "ph":
            return markup.endswith("/>")
        return name in INLINE_2_0 or (name == "mrk" and " id=" in markup)

    def code(self, number, markup):
        if self.native(markup):
            name = _element(markup)
            if name == "sc" and _attribute(markup, "id") not in self.ends:
                return f'<sc id="{_attribute(markup, "id")}" isolated="yes"/>'
            if name == "ec" and _attribute(markup, "startRef") not in self.starts:
                return f'<ec id="{_attribute(markup, "startRef")}" isolated="yes"/>'
            return xml_safe(DATA_REFERENCE.sub("", markup))
        if isinstance(markup, dict) and markup.get("type") in ("footnote", "endnote"):
            return f'<ph id="{number}" type="other" subType="wb:{markup["type"]}"/>'
        return f'<ph id="{number}"/>'

    def pair(self, number, opening, closing, inner):
        if self.native(opening):
            return f"{xml_safe(DATA_REFERENCE.sub('', opening))}{inner}{xml_safe(closing)}"
        return f'<pc id="{number}">{inner}</pc>'

    def isolated(self, number, markup, begins):
        return f'<{"sc" if begins else "ec"} id="{number}" isolated="yes"/>'


def _attribute(markup, name):
    found = dict(ATTRIBUTE.findall(markup.split(">", 1)[0]))
    return found.get(name, "")


def unit_ids(corpus):
    """A function giving each segment its unit id in the export: the imported file's
    own, or the position, made unique within its document."""
    used = defaultdict(set)

    def unit_id(segment, separator=":"):
        where = segment.structure or {}
        wanted = str(where.get("unit") or segment.position)
        if "mid" in where:
            wanted = f"{wanted}{separator}{where['mid']}"
        if wanted in used[segment.document_id]:
            wanted = f"{wanted}-{segment.position}"
        used[segment.document_id].add(wanted)
        return wanted

    return unit_id


def notes_1_2(segment):
    return "".join(
        f"<note{_from(author)}>{escape_text(text)}</note>\n" for author, text in segment.notes
    )


def _from(author):
    return f' from="{escape_attribute(author)}"' if author else ""


def write_xliff_1_2(corpus, tally):
    source, target = corpus.source_language, corpus.target_language
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="{XLIFF_1_2}">\n'
    ).encode()
    codes = Xliff12Codes()
    unit_id = unit_ids(corpus)
    document_id = None
    for segment in corpus.stream_with_notes():
        tally.read()
        if segment.document_id != document_id:
            if document_id is not None:
                yield b"</body>\n</file>\n"
            document_id = segment.document_id
            document = corpus.documents[document_id]
            yield (
                f'<file original="{escape_attribute(document.title)}" '
                f'source-language="{source}" target-language="{target}" datatype="plaintext" '
                f'date="{_iso(document.created_at)}" tool-id="workbench">\n'
                '<header><tool tool-id="workbench" tool-name="Legal translation workbench"/>'
                "</header>\n<body>\n"
            ).encode()
        approved = ' approved="yes"' if segment.status == "approved" else ""
        paragraph = (
            f'<context context-type="x-paragraph">{escape_text(segment.paragraph_number)}</context>'
            if segment.paragraph_number
            else ""
        )
        translation = (
            f'<target state="{STATE_1_2.get(segment.status, "needs-translation")}">'
            f"{render(segment.target, segment.placeholders, codes)}</target>\n"
            if segment.target
            else ""
        )
        yield (
            f'<trans-unit id="{escape_attribute(unit_id(segment))}"{approved} '
            'xml:space="preserve">\n'
            f"<source>{render(segment.source, segment.placeholders, codes)}</source>\n"
            f"{translation}"
            '<context-group purpose="information">'
            f'<context context-type="x-created">{_iso(document.created_at)}</context>'
            f'<context context-type="x-changed">{_iso(segment.updated_at)}</context>'
            f"{paragraph}</context-group>\n{notes_1_2(segment)}</trans-unit>\n"
        ).encode()
        tally.wrote()
    if document_id is not None:
        yield b"</body>\n</file>\n"
    yield b"</xliff>\n"


def write_xliff_2_0(corpus, tally):
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff xmlns="{XLIFF_2_0}" xmlns:mda="{METADATA}" version="2.0" '
        f'srcLang="{corpus.source_language}" trgLang="{corpus.target_language}">\n'
    ).encode()
    codes = Xliff20Codes()
    unit_id = unit_ids(corpus)
    document_id, unit = None, None
    for segment in corpus.stream_with_notes():
        tally.read()
        if segment.document_id != document_id:
            if unit is not None:
                yield unit.close()
                unit = None
            if document_id is not None:
                yield b"</file>\n"
            document_id = segment.document_id
            document = corpus.documents[document_id]
            yield (
                f'<file id="d{document_id}" original="{escape_attribute(document.title)}">\n'
            ).encode()
        where = segment.structure or {}
        if unit is None or not unit.holds(where):
            if unit is not None:
                yield unit.close()
            unit = _Unit2(unit_id(segment, "_"), where, document, segment)
        unit.add(segment, codes)
        tally.wrote()
    if unit is not None:
        yield unit.close()
    if document_id is not None:
        yield b"</file>\n"
    yield b"</xliff>\n"


class _Unit2:
    """One <unit>: the segments of one unit of the imported file, or one segment."""

    def __init__(self, unit_id, where, document, first):
        self.unit_id, self.document, self.first = unit_id, document, first
        self.original = where.get("unit") if "segment" in where or "index" in where else None
        self.segments, self.notes = [], []

    def holds(self, where):
        return self.original is not None and where.get("unit") == self.original

    def add(self, segment, codes):
        state = STATE_2_0.get(segment.status, "initial")
        segment_id = (segment.structure or {}).get("segment")
        identity = f' id="{escape_attribute(segment_id)}"' if segment_id else ""
        target = (
            f"<target>{render(segment.target, segment.placeholders, codes)}</target>"
            if segment.target
            else ""
        )
        self.segments.append(
            f'<segment{identity} state="{state}">'
            f"<source>{render(segment.source, segment.placeholders, codes)}</source>{target}"
            "</segment>"
        )
        self.notes += [note for note in segment.notes if note not in self.notes]
        self.changed = segment.updated_at

    def close(self):
        segment = self.first
        paragraph = (
            f'<mda:meta type="paragraph">{escape_text(segment.paragraph_number)}</mda:meta>'
            if segment.paragraph_number
            else ""
        )
        notes = "".join(
            f'<note category="{"comment" if author else "imported"}">'
            f"{escape_text((author + ': ' if author else '') + text)}</note>"
            for author, text in self.notes
        )
        return (
            f'<unit id="{escape_attribute(self.unit_id)}" xml:space="preserve">'
            '<mda:metadata><mda:metaGroup category="workbench">'
            f'<mda:meta type="created">{_iso(self.document.created_at)}</mda:meta>'
            f'<mda:meta type="changed">{_iso(self.changed)}</mda:meta>{paragraph}'
            "</mda:metaGroup></mda:metadata>\n"
            + (f"<notes>{notes}</notes>" if notes else "")
            + "".join(self.segments)
            + "</unit>\n"
        ).encode()
