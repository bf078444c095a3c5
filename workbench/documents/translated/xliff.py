"""The translated XLIFF: the file that came in, with each segment's target and state
written where the file keeps them and every other byte of meaning left alone (ids,
skeleton, header, notes, Trados `sdl:` and memoQ `mq:` metadata, units not to translate).

Only segments whose text or status changed since the import are touched, so the file
differs from the original exactly where the work was done. A status goes back in the
file's own vocabulary (the inverse of the importer's table, see `importers.xliff`):

    workbench   XLIFF 1.2 state            SDLXLIFF conf        MQXLIFF mq:status     XLIFF 2.0 state
    drafted     needs-review-translation   Draft                PartiallyEdited       initial
    translated  translated                 Translated           ManuallyConfirmed     translated
    approved    signed-off, approved=yes   ApprovedTranslation  Reviewer1Confirmed    final
    rejected    needs-review-translation   RejectedTranslation  Rejected              initial, subState
"""

from lxml import etree
from translate.misc.xml_helpers import parse_xml

from ..importers.xliff import (
    MEMOQ,
    SDL,
    is_xliff_2,
    sdl_segments,
    seg_markers,
    status_1_2,
    status_2_0,
    tokenise_target,
)
from ..placeholders import restore

STATE_1_2 = {
    "drafted": "needs-review-translation",
    "translated": "translated",
    "approved": "signed-off",
    "rejected": "needs-review-translation",
}
CONF_SDL = {
    "drafted": "Draft",
    "translated": "Translated",
    "approved": "ApprovedTranslation",
    "rejected": "RejectedTranslation",
}
STATUS_MEMOQ = {
    "drafted": "PartiallyEdited",
    "translated": "ManuallyConfirmed",
    "approved": "Reviewer1Confirmed",
    "rejected": "Rejected",
}
STATE_2_0 = {"drafted": "initial", "translated": "translated", "approved": "final"}
# subState is "authority:value"; the workbench names itself as the authority.
REJECTED_2_0 = "workbench:rejected"


def write_xliff(document, segments):
    """The original XLIFF of `document` with the targets and states of `segments`."""
    data = document.original_file.open("rb").read()
    root = parse_xml(data, strip_cdata=False)
    tree = root.getroottree()
    writer = _Xliff2(root) if is_xliff_2(root) else _Xliff12(root)
    for segment in segments:
        if segment.target.strip():
            writer.write(segment)
    encoding = tree.docinfo.encoding or "UTF-8"
    # The declaration and DOCTYPE as the tools write them, and a BOM if the file had one.
    head = f'<?xml version="1.0" encoding="{encoding}"?>\n'
    if tree.docinfo.doctype:
        head += tree.docinfo.doctype + "\n"
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return bom + head.encode(encoding) + etree.tostring(root, encoding=encoding) + b"\n"


def _fill(node, text, placeholders):
    """Replace the content of `node` (keeping its attributes and tail) by `text` with
    its tokens back as the original tags, in the namespaces the node has in scope."""
    namespaces = " ".join(
        f'xmlns{":" + prefix if prefix else ""}="{uri}"' for prefix, uri in node.nsmap.items()
    )
    wrapper = parse_xml(f"<wrapper {namespaces}>{restore(text, placeholders)}</wrapper>")
    tail = node.tail
    for child in list(node):
        node.remove(child)
    node.text = wrapper.text
    for child in list(wrapper):
        node.append(child)
    node.tail = tail


class _Xliff12:
    def __init__(self, root):
        self.namespace = root.nsmap.get(None) or ""
        self.units = {}
        for file_index, file_node in enumerate(root.iter(self._tag("file"))):
            for unit in file_node.iter(self._tag("trans-unit")):
                key = (file_node.get("original"), unit.get("id", ""))
                self.units.setdefault(key, unit)
                self.units.setdefault((file_index, unit.get("id", "")), unit)

    def _tag(self, name):
        return f"{{{self.namespace}}}{name}" if self.namespace else name

    def write(self, segment):
        where = segment.structure
        unit = self.units.get((where.get("file"), where.get("unit", "")))
        if unit is None:
            unit = next((u for (f, i), u in self.units.items() if i == where.get("unit", "")), None)
        if unit is None:
            return
        if "mid" in where:
            self._write_marker(unit, segment, where["mid"])
        else:
            self._write_unit(unit, segment)

    def _write_unit(self, unit, segment):
        source = unit.find(self._tag("source"))
        target = unit.find(self._tag("target"))
        if (
            tokenise_target(source, target) == segment.target
            and status_1_2(unit, target) == segment.status
        ):
            return
        if target is None:
            target = etree.Element(self._tag("target"))
            anchor = unit.find(self._tag("seg-source"))
            anchor = source if anchor is None else anchor
            anchor.addnext(target)
            target.tail = anchor.tail
        _fill(target, segment.target, segment.placeholders)
        self._state(unit, target, segment.status)

    def _write_marker(self, unit, segment, mid):
        seg_source = unit.find(self._tag("seg-source"))
        source = seg_markers(seg_source).get(mid)
        if source is None:
            return
        target = unit.find(self._tag("target"))
        trados = sdl_segments(unit).get(mid)
        marker = seg_markers(target).get(mid)
        if (
            tokenise_target(source, marker) == segment.target
            and status_1_2(unit, target, trados) == segment.status
        ):
            return
        if target is None:
            target = _empty_copy(seg_source, self._tag("target"))
            seg_source.addnext(target)
            target.tail = seg_source.tail
            marker = seg_markers(target).get(mid)
        elif marker is None:
            marker = etree.SubElement(target, self._tag("mrk"), mtype="seg", mid=mid)
        _fill(marker, segment.target, segment.placeholders)
        if trados is not None or unit.find(f".//{{{SDL}}}seg-defs") is not None:
            self._conf(unit, mid, trados, segment.status)
        else:
            self._state(unit, target, segment.status)

    def _state(self, unit, target, status):
        if f"{{{MEMOQ}}}status" in unit.attrib or MEMOQ in unit.nsmap.values():
            unit.set(f"{{{MEMOQ}}}status", STATUS_MEMOQ[status])
            return
        if status_1_2(unit, target) == status:
            return
        target.set("state", STATE_1_2[status])
        if status == "approved":
            unit.set("approved", "yes")
        elif unit.get("approved"):
            unit.set("approved", "no")

    def _conf(self, unit, mid, trados, status):
        if trados is None:
            definitions = unit.find(f"{{{SDL}}}seg-defs")
            if definitions is None:
                definitions = etree.SubElement(unit, f"{{{SDL}}}seg-defs")
            trados = etree.SubElement(definitions, f"{{{SDL}}}seg", id=mid)
        if status_1_2(unit, None, trados) != status:
            trados.set("conf", CONF_SDL[status])


def _empty_copy(seg_source, tag):
    """A <target> shaped like the <seg-source>: same markers, no text in them."""
    copy = etree.fromstring(etree.tostring(seg_source))
    copy.tag = tag
    for marker in seg_markers(copy).values():
        for child in list(marker):
            marker.remove(child)
        marker.text = None
    return copy


class _Xliff2:
    def __init__(self, root):
        self.namespace = root.nsmap.get(None) or ""
        self.units = {}
        for file_node in root.iter(self._tag("file")):
            for unit in file_node.iter(self._tag("unit")):
                self.units.setdefault(unit.get("id", ""), unit)

    def _tag(self, name):
        return f"{{{self.namespace}}}{name}"

    def write(self, segment):
        where = segment.structure
        unit = self.units.get(where.get("unit", ""))
        if unit is None:
            return
        segments = unit.findall(self._tag("segment"))
        if "segment" in where:
            element = next((s for s in segments if s.get("id") == where["segment"]), None)
        else:
            index = where.get("index", 0)
            element = segments[index] if index < len(segments) else None
        if element is None:
            return
        source = element.find(self._tag("source"))
        target = element.find(self._tag("target"))
        if (
            tokenise_target(source, target) == segment.target
            and status_2_0(element) == segment.status
        ):
            return
        if target is None:
            target = etree.SubElement(element, self._tag("target"))
        _fill(target, segment.target, segment.placeholders)
        if status_2_0(element) == segment.status:
            return
        if segment.status == "rejected":
            element.set("state", "initial")
            element.set("subState", REJECTED_2_0)
        else:
            element.set("state", STATE_2_0[segment.status])
            if "reject" in element.get("subState", "").lower():
                del element.attrib["subState"]
