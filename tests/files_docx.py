"""Word files built by the tests that need them, so nothing binary is checked in."""

import io
import struct
import warnings
import zipfile

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def xxe(root):
    """A DOCTYPE whose entity &xxe; would read the server's /etc/passwd."""
    return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def billion_laughs(root):
    """A DOCTYPE whose entity &lol9; would expand to a billion "lol"s."""
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)).replace(
        "&lol0;", "lol"
    )
    return f"<!DOCTYPE {root} [{entities}]>"


def saved(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def number(paragraph, num_id, level=0):
    """Give `paragraph` Word's automatic numbering from list `num_id` at `level`."""
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = level
    numbering.get_or_add_numId().val = num_id


def cite_footnote(paragraph, note_id):
    run = paragraph.add_run()
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(note_id))
    run._r.append(reference)


def footnotes_xml(notes, doctype="", body=None):
    """word/footnotes.xml with Word's two separator notes and `notes` ({id: text})."""
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
    )
    written = "".join(
        f'<w:footnote w:id="{note_id}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for note_id, text in notes.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
        f'<w:footnotes xmlns:w="{W_NS}">{separators}{body or written}</w:footnotes>'
    ).encode()


def add_footnotes(document, notes):
    """Attach word/footnotes.xml to `document` (python-docx has no API for footnotes)."""
    part = Part(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        footnotes_xml(notes),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def with_footnote(text="The appellant appealed.", note="See HCMA 123/2020."):
    document = docx.Document()
    cite_footnote(document.add_paragraph(text), 1)
    add_footnotes(document, {1: note})
    return saved(document)


def document_xml(text, doctype=""):
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()


def with_part(data, name, content=None):
    """A copy of the ZIP `data` with part `name` replaced (or added), or left out when
    `content` is None."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        if content is not None:
            target.writestr(name, content)
    return buffer.getvalue()


def with_duplicate_part(data, name, content):
    """A copy of the ZIP `data` holding a second part called `name`."""
    buffer = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we want
        archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(megabytes=100):
    """A ZIP whose one part is `megabytes` of zeros, deflated to about a thousandth."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as part,
    ):
        for _ in range(megabytes):
            part.write(chunk)
    return buffer.getvalue()


def declaring_size(data, name, size):
    """A copy of the ZIP `data` whose central directory claims part `name` unpacks to
    `size` bytes (zipfile trusts the directory, not the local header)."""
    encoded = name.encode()
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(encoded)] != encoded:
        entry = data.index(b"PK\x01\x02", entry + 4)
    patched = bytearray(data)
    patched[entry + 24 : entry + 28] = struct.pack("<I", size)
    return bytes(patched)


HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def add_hyperlink(paragraph, text, url):
    """A w:hyperlink to `url` around a run of `text`, as Word writes one."""
    r_id = paragraph.part.relate_to(url, HYPERLINK_TYPE, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    properties.append(style)
    run.append(properties)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def add_text_box(paragraph, text):
    """A floating text box holding `text`, as Word 2010+ writes one: the shape in an
    mc:Choice, and (left out here) a VML copy in mc:Fallback."""
    xml = (
        f'<w:r xmlns:w="{W_NS}" xmlns:mc="{MC_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" '
        f'xmlns:wps="{WPS_NS}"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
        '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
        '</wp:posOffset></wp:positionV><wp:extent cx="1828800" cy="457200"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="1" name="Text Box 1"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" '
        'cy="457200"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
        "</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        "</mc:Choice></mc:AlternateContent></w:r>"
    )
    paragraph._p.append(docx.oxml.parse_xml(xml))


def formatted_judgment():
    """A judgment as a court writes it: a heading, a paragraph with bold, italic,
    underline, a link and a footnote reference, a commented paragraph, a table, a text
    box, and a header, all in one Word file."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "HCAL 1234/2024"
    document.add_heading("Judgment", level=1)
    paragraph = document.add_paragraph("The ")
    paragraph.add_run("appellant").bold = True
    paragraph.add_run(" relied on ")
    paragraph.add_run("HKSAR v Chan").italic = True
    paragraph.add_run(" and ")
    paragraph.add_run("section 4").underline = True
    paragraph.add_run(", see ")
    add_hyperlink(paragraph, "the ordinance", "https://www.elegislation.gov.hk/hk/cap210")
    paragraph.add_run(".")
    cite_footnote(paragraph, 1)
    commented = document.add_paragraph("The appeal is dismissed.")
    document.add_comment(commented.runs, text="Check the order.", author="Reviewer")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for row, cells in enumerate([("Date", "Sum"), ("1 May", "$5")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    holder = document.add_paragraph("Costs follow the event.")
    add_text_box(holder, "Not for publication.")
    add_footnotes(document, {1: "See HCMA 123/2020."})
    return saved(document)
