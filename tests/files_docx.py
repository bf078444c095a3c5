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
