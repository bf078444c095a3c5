"""Broken and hostile DOCX and TXT files: each is refused with a message a person can act
on, before anything is stored (invariant 5)."""

import io
import time
import tracemalloc
import zipfile

import docx
import openpyxl
import pytest

from tests.conftest import stored_files
from tests.files_docx import (
    billion_laughs,
    declaring_size,
    document_xml,
    footnotes_xml,
    saved,
    with_duplicate_part,
    with_footnote,
    with_part,
    xxe,
    zip_bomb,
)
from workbench.documents.importers import docx as docx_importer
from workbench.documents.importers.base import ImportRejected
from workbench.documents.importers.safety import MAX_COMPRESSION_RATIO
from workbench.documents.models import Document, Segment
from workbench.documents.services import import_document


@pytest.fixture(scope="module")
def bomb():
    return zip_bomb(megabytes=100)


def plain_docx(text="The appellant appeals."):
    document = docx.Document()
    document.add_paragraph(text)
    return saved(document)


def declaring_xml_part(name, content):
    """A DOCX holding `name`, declared as XML in [Content_Types].xml whatever its name."""
    data = with_part(plain_docx(), name, content)
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    override = f'<Override PartName="/{name}" ContentType="application/xml"/></Types>'
    return with_part(data, "[Content_Types].xml", types.replace("</Types>", override))


def workbook():
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "Not a judgment"
    book.save(buffer)
    return buffer.getvalue()


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Hello")
    return buffer.getvalue()


# (case, file name, the file, words the refusal must contain)
BAD_DOCX = [
    (
        "xxe in document.xml",
        lambda: with_part(
            plain_docx(), "word/document.xml", document_xml("&xxe;", xxe("w:document"))
        ),
        "word/document.xml of the Word file declares entities",
    ),
    (
        "billion laughs in document.xml",
        lambda: with_part(
            plain_docx(), "word/document.xml", document_xml("&lol9;", billion_laughs("w:document"))
        ),
        "word/document.xml of the Word file declares entities",
    ),
    (
        "xxe in footnotes.xml",
        lambda: with_part(
            with_footnote(), "word/footnotes.xml", footnotes_xml({1: "&xxe;"}, xxe("w:footnotes"))
        ),
        "word/footnotes.xml of the Word file declares entities",
    ),
    (
        "billion laughs in footnotes.xml",
        lambda: with_part(
            with_footnote(),
            "word/footnotes.xml",
            footnotes_xml({1: "&lol9;"}, billion_laughs("w:footnotes")),
        ),
        "word/footnotes.xml of the Word file declares entities",
    ),
    (
        "xxe in a part declared xml under another name",
        lambda: declaring_xml_part("word/settings2.bin", document_xml("&xxe;", xxe("w:document"))),
        "word/settings2.bin of the Word file declares entities",
    ),
    (
        "broken xml",
        lambda: with_part(plain_docx(), "word/document.xml", b"<w:document><w:body>"),
        "word/document.xml of the Word file is not well-formed XML",
    ),
    (
        "cut in half",
        lambda: plain_docx()[: len(plain_docx()) // 2],
        "not a valid ZIP container (damaged or truncated)",
    ),
    (
        "last bytes missing",
        lambda: plain_docx()[:-10],
        "not a valid ZIP container (damaged or truncated)",
    ),
    ("an excel workbook", workbook, "The file is an Excel workbook, not a Word document"),
    ("a zip of something else", plain_zip, "The file is a ZIP archive, not a Word document"),
    (
        "a word 97 document",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000),
        "old Word 97-2003 document (.doc)",
    ),
    (
        "two parts with one name",
        lambda: with_duplicate_part(plain_docx(), "word/document.xml", document_xml("Other")),
        "holds two parts named word/document.xml",
    ),
    (
        "no content types",
        lambda: with_part(plain_docx(), "[Content_Types].xml"),
        "The Word file could not be opened",
    ),
]

BAD_TXT = [
    ("a control character", b"Judgment\x07 of the court", {}, "control character U+0007"),
    (
        "a bidi override",
        "The sum of \u202e0001$ is due.".encode(),
        {},
        "bidirectional control character U+202E",
    ),
    (
        "a mislabelled encoding",
        "上訴人不服。".encode("big5hkscs"),
        {"encoding": "utf-8"},
        "not valid UTF-8: line 1, byte 1",
    ),
    ("undecodable bytes", b"Judgment \xff\xfe\xff", {}, "could not be recognised"),
    ("utf-16 without a byte-order mark", "Judgment".encode("utf-16-le"), {}, "NUL bytes"),
]


def assert_nothing_stored(media_root):
    assert not Document.objects.exists()
    assert not Segment.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(("case", "make", "reason"), BAD_DOCX, ids=[c[0] for c in BAD_DOCX])
def test_the_docx_importer_refuses_it(case, make, reason):
    with pytest.raises(ImportRejected) as rejected:
        docx_importer.parse(make())

    assert reason in str(rejected.value)


@pytest.mark.parametrize(("case", "make", "reason"), BAD_DOCX, ids=[c[0] for c in BAD_DOCX])
def test_importing_a_bad_docx_leaves_nothing_behind(case, make, reason, project, media_root):
    with pytest.raises(ImportRejected) as rejected:
        import_document(project, data=make(), filename="judgment.docx")

    assert reason in str(rejected.value)
    assert_nothing_stored(media_root)


@pytest.mark.parametrize(
    ("case", "data", "options", "reason"), BAD_TXT, ids=[c[0] for c in BAD_TXT]
)
def test_importing_a_bad_txt_leaves_nothing_behind(
    case, data, options, reason, project, media_root
):
    with pytest.raises(ImportRejected) as rejected:
        import_document(project, data=data, filename="judgment.txt", **options)

    assert reason in str(rejected.value)
    assert_nothing_stored(media_root)


@pytest.mark.parametrize("filename", ["judgment.docx", "judgment.txt"])
def test_importing_an_empty_file_leaves_nothing_behind(filename, project, media_root):
    with pytest.raises(ImportRejected, match="The file is empty"):
        import_document(project, data=b"", filename=filename)

    assert_nothing_stored(media_root)


def test_the_docx_importer_refuses_an_empty_file():
    with pytest.raises(ImportRejected, match="The file is empty"):
        docx_importer.parse(b"")


def test_it_refuses_a_zip_bomb_from_its_directory_alone(bomb):
    member = zipfile.ZipFile(io.BytesIO(bomb)).infolist()[0]
    assert member.file_size == 100 * 1024 * 1024
    assert member.file_size / member.compress_size > MAX_COMPRESSION_RATIO

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRejected) as rejected:
            docx_importer.parse(bomb)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert "“zip bomb”; refused" in str(rejected.value)
    assert elapsed < 1
    assert peak < 5 * 1024 * 1024  # 100 MB were never inflated


def test_importing_a_zip_bomb_leaves_nothing_behind(bomb, project, media_root):
    with pytest.raises(ImportRejected, match="zip bomb"):
        import_document(project, data=bomb, filename="judgment.docx")

    assert_nothing_stored(media_root)


def test_it_refuses_a_part_that_inflates_beyond_its_declared_size(bomb):
    lying = declaring_size(bomb, "word/document.xml", 1000)

    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as rejected:
            docx_importer.parse(lying)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert "is damaged: its part word/document.xml cannot be read" in str(rejected.value)
    assert peak < 5 * 1024 * 1024


def test_it_leaves_an_svg_image_with_a_doctype_to_be_an_image():
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>'
    )
    data = with_part(plain_docx("The court seal."), "word/media/seal.svg", svg)

    parsed = docx_importer.parse(data)

    assert [b.text for b in parsed.blocks] == ["The court seal."]
