"""XLIFF 1.2 and 2.0: one presegmented block per trans-unit (1.2) or segment (2.0).

translate-toolkit reads the file (its stores use a parser that resolves no entities and
touches no network, and the raw bytes have passed `reject_unsafe_xml` before); this module
turns each unit's inline tags into protected placeholders (see `documents.placeholders`)
and maps the file's workflow state onto the segment lifecycle. A target arrives as
`drafted` unless the file says a person translated or signed it off, because only
`new`/`drafted` text may later be replaced by a machine:

XLIFF 1.2 (`state` of <target>, `approved` of <trans-unit>):
    approved="yes", signed-off, final                        -> approved
    translated                                               -> translated
    needs-review-translation, needs-review-adaptation,
    needs-review-l10n, needs-adaptation, needs-l10n,
    new, needs-translation, no state, a custom x- state      -> drafted
XLIFF 2.0 (`state` of <segment>, "initial" when absent):
    final -> approved;  translated, reviewed -> translated;  initial -> drafted
A unit without target text is new whatever its state says.

Units marked translate="no" are left out, with a warning. A 1.2 trans-unit is one block
even when a tool split it into <mrk mtype="seg"> parts; such markers in its target become
tokens of their own.
"""

from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from translate.misc.xml_helpers import parse_xml
from translate.storage.xliff import Xliff1File
from translate.storage.xliff2 import Xliff2File

from ..placeholders import closing_token, opening_token, tokens_in
from .base import Block, ImportRejected, ParsedDocument
from .safety import reject_unsafe_xml

PART_NAME = "The XLIFF file"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
# Attribute values always in double quotes, so restored markup is predictable.
QUOTE = {'"': "&quot;"}

# Inline elements that enclose translatable text: a pair of tokens around it.
PAIRED = {"g", "mrk", "pc"}
# Any other inline element is a code: one token standing for the whole element.

# Every other state, or none, is drafted (see the table above).
STATUS_1_2 = {"signed-off": "approved", "final": "approved", "translated": "translated"}
STATUS_2_0 = {"final": "approved", "translated": "translated", "reviewed": "translated"}


def parse(data, encoding=None):
    """`encoding` is ignored: an XML file declares its own."""
    reject_unsafe_xml(data, PART_NAME)
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as error:
        raise ImportRejected(f"{PART_NAME} is not well-formed XML ({error}).") from None
    if etree.QName(root).localname != "xliff":
        raise ImportRejected(
            f"{PART_NAME} is XML but not XLIFF (its root element is "
            f"<{etree.QName(root).localname}>); export the document as XLIFF 1.2 or 2.0."
        )
    version = root.get("version", "")
    if version.startswith("2.") or (not version and ":2." in (root.nsmap.get(None) or "")):
        store = _load(Xliff2File, data, "2.0")
        source_language, target_language = root.get("srcLang", ""), root.get("trgLang", "")
        read_unit = _segment_2_0
    else:
        store = _load(Xliff1File, data, "1.2")
        source_language = store.getsourcelanguage() or ""
        target_language = store.gettargetlanguage() or ""
        read_unit = _trans_unit_1_2

    blocks, skipped = [], 0
    for unit in store.units:
        block = read_unit(unit)
        if block is None:
            skipped += 1
        elif block.text.strip():
            blocks.append(block)
    if not blocks:
        raise ImportRejected(
            f"{PART_NAME} contains no text to translate (no <trans-unit> or <segment> with "
            "a source); export it again with the units to translate."
        )
    warnings = []
    if skipped:
        warnings.append(f'{skipped} unit(s) marked translate="no" were left out of the document.')
    return ParsedDocument(
        format="xliff",
        blocks=blocks,
        encoding=store.encoding or "UTF-8",
        warnings=warnings,
        source_language=source_language,
        target_language=target_language,
    )


def _load(store_class, data, version):
    store = store_class()
    try:
        store.parse(data)
    except Exception as error:  # the toolkit raises ValueError, AssertionError, StopIteration...
        raise ImportRejected(
            f"{PART_NAME} could not be read as XLIFF {version} ({error or type(error).__name__}); "
            "check that it was exported completely and upload it again."
        ) from None
    return store


def _trans_unit_1_2(unit):
    element = unit.xmlelement
    if element.get("translate", "yes").lower() == "no":
        return None
    target_node = unit.get_target_dom()
    file_node = next(element.iterancestors(unit.namespaced("file")), None)
    state = target_node.get("state", "") if target_node is not None else ""
    status = STATUS_1_2.get(state, "drafted")
    if element.get("approved", "").lower() == "yes":
        status = "approved"
    structure = {"unit": element.get("id", "")}
    if file_node is not None and file_node.get("original"):
        structure["file"] = file_node.get("original")
    return _block(unit.get_source_dom(), target_node, status, structure)


def _segment_2_0(unit):
    segment = unit.xmlelement
    if not unit.istranslatable():
        return None
    status = STATUS_2_0.get(segment.get("state", "initial"), "drafted")
    structure = {"unit": unit.getunitelement().get("id", "")}
    if segment.get("id"):
        structure["segment"] = segment.get("id")
    return _block(unit.get_source_dom(), unit.get_target_dom(), status, structure)


def _block(source_node, target_node, status, structure):
    """The unit's source (and target) with tags as tokens shared between the two."""
    if source_node is None:
        return Block(text="", presegmented=True)
    tokeniser = _Tokeniser()
    text = tokeniser.tokenise(source_node)
    target = tokeniser.tokenise(target_node) if target_node is not None else ""
    clashes = tokens_in("".join(tokeniser.literal_text))
    if clashes:
        raise ImportRejected(
            f"Unit “{structure['unit']}” contains the text “{clashes[0]}”, which the workbench "
            "uses to mark protected tags; replace it in the file and upload again."
        )
    if not target.strip():
        target, status = "", ""
    return Block(
        text=text,
        presegmented=True,
        target=target,
        target_status=status,
        placeholders=tokeniser.placeholders,
        structure=structure,
    )


class _Tokeniser:
    """Numbers the tags of one block (a 1.2 trans-unit or a 2.0 segment); a target tag
    takes the token of the source tag with the same element name and id, so both sides
    share one map."""

    def __init__(self):
        self.placeholders = {}
        self.numbers = {}
        self.literal_text = []
        self.seen = {}

    def tokenise(self, node):
        self.seen = {}
        return self._content(node)

    def _content(self, node):
        parts = [self._text(node.text)]
        for child in node:
            parts.append(self._inline(child))
            parts.append(self._text(child.tail))
        return "".join(parts)

    def _text(self, text):
        self.literal_text.append(text or "")
        return text or ""

    def _inline(self, element):
        if not isinstance(element.tag, str):  # a comment or processing instruction
            return ""
        name = etree.QName(element).localname
        number = self._number(element, name)
        if name in PAIRED:
            opening, closing = opening_token(number), closing_token(number)
            self.placeholders.setdefault(opening, _start_tag(element))
            self.placeholders.setdefault(closing, f"</{_name(element)}>")
            return opening + self._content(element) + closing
        token = opening_token(number)
        self.placeholders.setdefault(token, _serialise(element))
        return token

    def _number(self, element, name):
        reference = element.get("id") or element.get("startRef") or element.get("mid")
        if reference is None:
            # Without an id, the n-th such tag of the target matches the n-th of the source.
            self.seen[name] = self.seen.get(name, 0) + 1
            reference = f"#{self.seen[name]}"
        key = (name, reference)
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]


def _name(element):
    """The element's name as written in the file: bare for XLIFF's own tags, prefixed
    for a foreign namespace."""
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local


def _attribute_name(element, name):
    qualified = etree.QName(name)
    if qualified.namespace is None:
        return name
    if qualified.namespace == XML_NAMESPACE:
        return f"xml:{qualified.localname}"
    prefixes = {uri: prefix for prefix, uri in element.nsmap.items() if prefix}
    prefix = prefixes.get(qualified.namespace)
    return f"{prefix}:{qualified.localname}" if prefix else qualified.localname


def _attributes(element):
    return "".join(
        f" {_attribute_name(element, name)}={quoteattr(value, QUOTE)}"
        for name, value in element.attrib.items()
    )


def _start_tag(element):
    return f"<{_name(element)}{_attributes(element)}>"


def _serialise(element):
    """The whole element without its tail, e.g. `<bpt id="1">&lt;b&gt;</bpt>`."""
    if not isinstance(element.tag, str):
        return ""
    if not element.text and not len(element):
        return f"<{_name(element)}{_attributes(element)}/>"
    inside = escape(element.text or "") + "".join(
        _serialise(child) + escape(child.tail or "") for child in element
    )
    return f"{_start_tag(element)}{inside}</{_name(element)}>"
