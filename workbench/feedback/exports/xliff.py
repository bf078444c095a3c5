"""XLIFF 1.2 and 2.0, written as a stream: one <file> per document, one unit per segment.

Inline codes go back as the original markup when it is markup of the version being
written, so a file that came in as XLIFF leaves with its own tags. Codes of another
origin (a Word footnote mark, tags of the other XLIFF version or of a foreign namespace)
become the version's generic codes: <x/>, <g>, <bx/>/<ex/> in 1.2; <ph/>, <pc>, <sc/>/<ec/>
in 2.0. Half of a pair whose other half is in another segment is always an isolated code.

Status is the inverse of the XLIFF importer's mapping, so a file round-trips:
    drafted    -> 1.2 state="needs-review-translation"   2.0 state="initial"
    translated -> 1.2 state="translated"                 2.0 state="translated"
    approved   -> 1.2 state="signed-off", approved="yes" 2.0 state="final"
Dates: 1.2 has no place for a unit's dates, so they are attributes of the workbench's
namespace (wb:created, wb:changed); 2.0 uses its Metadata module.
"""

import datetime
import re

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
    @staticmethod
    def native(markup):
        name = _element(markup)
        if name == "ph":
            return markup.endswith("/>")
        return name in INLINE_2_0 or (name == "mrk" and " id=" in markup)

    def code(self, number, markup):
        if self.native(markup):
            return xml_safe(markup)
        if isinstance(markup, dict) and markup.get("type") in ("footnote", "endnote"):
            return f'<ph id="{number}" type="other" subType="wb:{markup["type"]}"/>'
        return f'<ph id="{number}"/>'

    def pair(self, number, opening, closing, inner):
        if self.native(opening):
            return f"{xml_safe(opening)}{inner}{xml_safe(closing)}"
        return f'<pc id="{number}">{inner}</pc>'

    def isolated(self, number, markup, begins):
        return f'<{"sc" if begins else "ec"} id="{number}" isolated="yes"/>'


def write_xliff_1_2(corpus, tally):
    source, target = corpus.source_language, corpus.target_language
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff version="1.2" xmlns="{XLIFF_1_2}" xmlns:wb="{WORKBENCH}">\n'
    ).encode()
    codes = Xliff12Codes()
    document_id = None
    for segment in corpus.stream():
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
            f' wb:paragraph="{escape_attribute(segment.paragraph_number)}"'
            if segment.paragraph_number
            else ""
        )
        yield (
            f'<trans-unit id="{segment.position}"{approved} xml:space="preserve"'
            f' wb:created="{_iso(document.created_at)}" wb:changed="{_iso(segment.updated_at)}"'
            f"{paragraph}>\n"
            f"<source>{render(segment.source, segment.placeholders, codes)}</source>\n"
            f'<target state="{STATE_1_2.get(segment.status, "new")}">'
            f"{render(segment.target, segment.placeholders, codes)}</target>\n</trans-unit>\n"
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
    document_id = None
    for segment in corpus.stream():
        tally.read()
        if segment.document_id != document_id:
            if document_id is not None:
                yield b"</file>\n"
            document_id = segment.document_id
            document = corpus.documents[document_id]
            yield (
                f'<file id="d{document_id}" original="{escape_attribute(document.title)}">\n'
            ).encode()
        paragraph = (
            f'<mda:meta type="paragraph">{escape_text(segment.paragraph_number)}</mda:meta>'
            if segment.paragraph_number
            else ""
        )
        yield (
            f'<unit id="u{segment.position}" xml:space="preserve">'
            '<mda:metadata><mda:metaGroup category="workbench">'
            f'<mda:meta type="created">{_iso(document.created_at)}</mda:meta>'
            f'<mda:meta type="changed">{_iso(segment.updated_at)}</mda:meta>{paragraph}'
            "</mda:metaGroup></mda:metadata>\n"
            f'<segment state="{STATE_2_0.get(segment.status, "initial")}">'
            f"<source>{render(segment.source, segment.placeholders, codes)}</source>"
            f"<target>{render(segment.target, segment.placeholders, codes)}</target>"
            "</segment></unit>\n"
        ).encode()
        tally.wrote()
    if document_id is not None:
        yield b"</file>\n"
    yield b"</xliff>\n"
