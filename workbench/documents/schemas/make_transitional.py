"""Derive xliff-core-1.2-transitional.xsd from the OASIS strict schema beside it.

OASIS publishes XLIFF 1.2 as two schemas. The transitional one accepts everything the
strict one does, and also: extension elements and attributes of any namespace, skipped
rather than validated (so files carrying Trados `sdl:` or memoQ `mq:` data are valid),
and the items 1.2 deprecated: the `ts` attribute, `crc` on contexts and alternative
translations, `tool` on <file>, and <prop-group>/<prop>. This script applies exactly
those differences (XLIFF 1.2 specification, section 1.4 and appendix on deprecated
items; checked element by element against a published copy of the transitional
schema). Run it from this folder: python make_transitional.py
"""

from lxml import etree

XSD = "http://www.w3.org/2001/XMLSchema"
NS = {"xsd": XSD}
WITH_TS = [
    "file", "group", "trans-unit", "source", "seg-source", "target", "alt-trans",
    "bin-unit", "bin-source", "bin-target",
]  # fmt: skip
WITH_CRC = ["context-group", "context", "alt-trans"]
PROP_GROUP_IN = ["header", "group", "trans-unit", "alt-trans", "bin-unit"]
PROP_ELEMENTS = f"""<root xmlns:xsd="{XSD}">
<xsd:element name="prop-group">
  <xsd:complexType>
    <xsd:sequence maxOccurs="unbounded"><xsd:element ref="xlf:prop"/></xsd:sequence>
    <xsd:attribute name="name" type="xsd:string" use="optional"/>
  </xsd:complexType>
</xsd:element>
<xsd:element name="prop">
  <xsd:complexType>
    <xsd:simpleContent>
      <xsd:extension base="xsd:string">
        <xsd:attribute name="prop-type" type="xsd:string" use="required"/>
        <xsd:attribute ref="xml:lang" use="optional"/>
      </xsd:extension>
    </xsd:simpleContent>
  </xsd:complexType>
</xsd:element>
</root>"""


def attribute(name, type_, **extra):
    element = etree.Element(f"{{{XSD}}}attribute", name=name, type=type_, use="optional")
    for key, value in extra.items():
        element.set(key, value)
    return element


def add_attribute(holder, new):
    """Before the anyAttribute, where XSD wants attributes."""
    wildcard = holder.find("xsd:anyAttribute", NS)
    if wildcard is not None:
        wildcard.addprevious(new)
    else:
        holder.append(new)


def main():
    strict = etree.parse("xliff-core-1.2-strict.xsd", etree.XMLParser(remove_blank_text=False))
    root = strict.getroot()
    for wildcard in root.iter(f"{{{XSD}}}any"):
        wildcard.set("processContents", "skip")
    for wildcard in root.iter(f"{{{XSD}}}anyAttribute"):
        wildcard.set("namespace", "##any")
        wildcard.set("processContents", "skip")
    elements = {e.get("name"): e for e in root.findall("xsd:element", NS)}
    group = root.find("xsd:attributeGroup[@name='AttrGroup_TextContent']", NS)
    group.find("xsd:attribute[@name='id']", NS).addnext(attribute("ts", "xsd:string"))
    for name in WITH_TS:
        add_attribute(elements[name].find(".//xsd:complexType", NS), attribute("ts", "xsd:string"))
    add_attribute(
        elements["file"].find("xsd:complexType", NS),
        attribute("tool", "xsd:string", default="manual"),
    )
    for name in WITH_CRC:
        holder = elements[name].find(".//xsd:extension", NS)
        if holder is None:
            holder = elements[name].find("xsd:complexType", NS)
        if holder.find("xsd:attribute[@name='crc']", NS) is None:
            add_attribute(holder, attribute("crc", "xsd:NMTOKEN"))
    for name in PROP_GROUP_IN:
        notes = elements[name].find(".//xsd:element[@ref='xlf:note']", NS)
        reference = etree.Element(f"{{{XSD}}}element", ref="xlf:prop-group")
        for key in ("minOccurs", "maxOccurs"):
            if notes.get(key):
                reference.set(key, notes.get(key))
        notes.addprevious(reference)
    for definition in etree.fromstring(PROP_ELEMENTS):
        elements["context"].addnext(definition)
    comment = etree.Comment(
        " Derived from the OASIS XLIFF 1.2 strict schema by make_transitional.py: the "
        "transitional schema's skip-processed extension points and deprecated items. "
    )
    root.insert(0, comment)
    strict.write("xliff-core-1.2-transitional.xsd", xml_declaration=True, encoding="UTF-8")


if __name__ == "__main__":
    main()
