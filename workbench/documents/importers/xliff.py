"""XLIFF 1.2 and 2.0, and the XLIFF 1.2 of Trados (SDLXLIFF) and memoQ (MQXLIFF): one
presegmented block per segment of the file.

translate-toolkit reads the file (its stores use a parser that resolves no entities and
touches no network, and the raw bytes have passed `reject_unsafe_xml` before); this module
turns each segment's inline tags into protected placeholders (see
`documents.placeholders`) and maps the file's workflow state and locks onto the segment
lifecycle. Only `new`/`drafted` text may later be replaced by a machine, so a target is
`drafted` unless the file says a person translated, signed off or rejected it:

XLIFF 1.2 (`state` of <target>, `approved` of <trans-unit>):
    approved="yes", signed-off, final                        -> approved
    translated                                               -> translated
    needs-review-*, needs-*, new, none, a custom x- state    -> drafted
SDLXLIFF (`conf` of the segment's <sdl:seg>, `locked="true"` locks it):
    ApprovedSignOff, ApprovedTranslation -> approved;  Translated -> translated;
    RejectedSignOff, RejectedTranslation -> rejected;  Draft, none -> drafted
MQXLIFF (`mq:status` of <trans-unit>, `mq:locked="locked"` locks it):
    Reviewer1Confirmed, Reviewer2Confirmed, Proofread -> approved;
    ManuallyConfirmed, Confirmed -> translated;  Rejected -> rejected;
    NotStarted, PartiallyEdited, Pretranslated, MachineTranslated, ... -> drafted
XLIFF 2.0 (`state` of <segment>, "initial" when absent; a `subState` that says
rejected wins):
    final -> approved;  translated, reviewed -> translated;  initial -> drafted
A segment without target text is new whatever its state says.

The file's own segmentation is kept: a 1.2 trans-unit whose <seg-source> holds
<mrk mtype="seg"> markers (Trados, Okapi) gives one block per marker, its target the
target's marker with the same `mid`. Units marked translate="no" are left out, with a
warning; the translated file written back keeps them as they are. Notes and comments on a
unit (<note>, Trados and memoQ comments) travel in the block's structure as "notes".

A block's structure says where its segment is in the file, for the translated file:
{"file": <file original>, "unit": id, "mid": marker (1.2 segmentation)} or
{"unit": id, "segment": id, "index": n (a 2.0 segment without id, when its unit has several)}.
"""

from functools import partial
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
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
MEMOQ = "MQXliff"
# Attribute values always in double quotes, so restored markup is predictable.
QUOTE = {'"': "&quot;"}

# Inline elements that enclose translatable text: a pair of tokens around it.
PAIRED = {"g", "mrk", "pc"}
# Any other inline element is a code: one token standing for the whole element.
# Markers that anchor a comment in one language only: their words are text, the comment
# a note of the segment.
ANNOTATIONS = {"x-sdl-comment"}

# Every other state, or none, is drafted (see the table above).
STATUS_1_2 = {"signed-off": "approved", "final": "approved", "translated": "translated"}
STATUS_2_0 = {"final": "approved", "translated": "translated", "reviewed": "translated"}
STATUS_SDL = {
    "approvedsignoff": "approved",
    "approvedtranslation": "approved",
    "translated": "translated",
    "rejectedsignoff": "rejected",
    "rejectedtranslation": "rejected",
}
STATUS_MEMOQ = {
    "reviewer1confirmed": "approved",
    "reviewer2confirmed": "approved",
    "proofread": "approved",
    "manuallyconfirmed": "translated",
    "confirmed": "translated",
    "rejected": "rejected",
}


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
    if is_xliff_2(root):
        store = _load(Xliff2File, data, "2.0")
        source_language, target_language = root.get("srcLang", ""), root.get("trgLang", "")
        read_unit = _segment_2_0
    else:
        store = _load(Xliff1File, data, "1.2")
        source_language = store.getsourcelanguage() or ""
        target_language = store.gettargetlanguage() or ""
        comments = _sdl_comments(store.document.getroot())
        read_unit = partial(_trans_unit_1_2, comments=comments)

    blocks, skipped = [], 0
    for unit in store.units:
        unit_blocks = read_unit(unit)
        if unit_blocks is None:
            skipped += 1
            continue
        blocks += [block for block in unit_blocks if block.text.strip()]
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


def is_xliff_2(root):
    version = root.get("version", "")
    return version.startswith("2.") or (not version and ":2." in (root.nsmap.get(None) or ""))


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


def status_1_2(trans_unit, target_node, sdl_segment=None):
    """The workbench status a 1.2 trans-unit (or one Trados segment of it) has in its
    file, whatever wrote it; "" for none."""
    memoq = trans_unit.get(f"{{{MEMOQ}}}status")
    if sdl_segment is not None and sdl_segment.get("conf"):
        return STATUS_SDL.get(sdl_segment.get("conf").lower(), "drafted")
    if memoq:
        return STATUS_MEMOQ.get(memoq.lower(), "drafted")
    if trans_unit.get("approved", "").lower() == "yes":
        return "approved"
    state = target_node.get("state", "") if target_node is not None else ""
    return STATUS_1_2.get(state, "drafted")


def status_2_0(segment):
    if "reject" in segment.get("subState", "").lower():
        return "rejected"
    return STATUS_2_0.get(segment.get("state", "initial"), "drafted")


def locked_1_2(trans_unit, sdl_segment=None):
    if sdl_segment is not None and sdl_segment.get("locked", "").lower() == "true":
        return True
    return trans_unit.get(f"{{{MEMOQ}}}locked", "").lower() in {"locked", "true", "yes"}


def seg_markers(element):
    """{mid: <mrk mtype="seg">} of a <seg-source> or <target>, in document order."""
    if element is None:
        return {}
    return {
        mrk.get("mid"): mrk
        for mrk in element.iter(f"{{{element.nsmap.get(None) or ''}}}mrk", "mrk")
        if mrk.get("mtype") == "seg"
    }


def sdl_segments(trans_unit):
    """{mid: <sdl:seg>} of a Trados trans-unit."""
    return {seg.get("id"): seg for seg in trans_unit.iter(f"{{{SDL}}}seg")}


def _trans_unit_1_2(unit, comments):
    element = unit.xmlelement
    if element.get("translate", "yes").lower() == "no":
        return None
    target_node = unit.get_target_dom()
    file_node = next(element.iterancestors(unit.namespaced("file")), None)
    structure = {"unit": element.get("id", "")}
    if file_node is not None and file_node.get("original"):
        structure["file"] = file_node.get("original")
    notes = _notes_1_2(element, comments)
    seg_source = element.find(unit.namespaced("seg-source"))
    markers = seg_markers(seg_source)
    if not markers:
        block = _block(
            unit.get_source_dom(),
            target_node,
            status_1_2(element, target_node),
            _with_notes(structure, notes),
        )
        block.locked = locked_1_2(element)
        return [block]
    targets = seg_markers(target_node)
    trados = sdl_segments(element)
    blocks = []
    for mid, marker in markers.items():
        sdl_segment = trados.get(mid)
        target = targets.get(mid)
        block = _block(
            marker,
            target,
            status_1_2(element, target_node, sdl_segment),
            _with_notes({**structure, "mid": mid}, notes + _marker_comments(target, comments)),
        )
        block.locked = locked_1_2(element, sdl_segment)
        blocks.append(block)
    return blocks


def _segment_2_0(unit):
    segment = unit.xmlelement
    if not unit.istranslatable():
        return None
    unit_element = unit.getunitelement()
    structure = {"unit": unit_element.get("id", "")}
    if segment.get("id"):
        structure["segment"] = segment.get("id")
    else:
        siblings = [child for child in unit_element if etree.QName(child).localname == "segment"]
        if len(siblings) > 1:
            structure["index"] = siblings.index(segment)
    notes = [
        " ".join(note.itertext()).strip()
        for note in unit_element.iter(f"{{{unit_element.nsmap.get(None) or ''}}}note")
    ]
    return [
        _block(
            unit.get_source_dom(),
            unit.get_target_dom(),
            status_2_0(segment),
            _with_notes(structure, notes),
        )
    ]


def _with_notes(structure, notes):
    notes = [note for note in dict.fromkeys(notes) if note]
    return {**structure, "notes": notes} if notes else structure


def _notes_1_2(trans_unit, comments):
    """<note>s of the unit and memoQ's comments on it."""
    notes = [
        "".join(child.itertext()).strip()
        for child in trans_unit
        if isinstance(child.tag, str) and etree.QName(child).localname == "note"
    ]
    notes += ["".join(c.itertext()).strip() for c in trans_unit.iter(f"{{{MEMOQ}}}comment")]
    return notes


def _sdl_comments(root):
    """{comment id: [texts]} from a Trados file's <cmt-defs>."""
    comments = {}
    for definition in root.iter(f"{{{SDL}}}cmt-def"):
        texts = []
        # Trados writes <Comments xmlns=""> inside its own namespace: match by name.
        comments_found = (c for c in definition.iter() if _localname(c) == "Comment")
        for comment in comments_found:
            author = comment.get("user", "")
            text = "".join(comment.itertext()).strip()
            texts.append(f"{author}: {text}" if author else text)
        comments[definition.get("id")] = texts
    return comments


def _localname(element):
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _marker_comments(target, comments):
    """Texts of the Trados comments anchored in a segment's target."""
    if target is None or not comments:
        return []
    found = []
    for mrk in target.iter(f"{{{target.nsmap.get(None) or ''}}}mrk", "mrk"):
        if mrk.get("mtype") == "x-sdl-comment":
            found += comments.get(mrk.get(f"{{{SDL}}}cid"), [])
    return found


def _block(source_node, target_node, status, structure):
    """The segment's source (and target) with tags as tokens shared between the two."""
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


def tokenise_target(source_node, target_node):
    """The target as the importer tokenised it, to tell whether a segment changed."""
    tokeniser = _Tokeniser()
    tokeniser.tokenise(source_node)
    return tokeniser.tokenise(target_node) if target_node is not None else ""


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
        if name == "mrk" and element.get("mtype") in ANNOTATIONS:
            return self._content(element)  # a note on the words, kept in the structure
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
