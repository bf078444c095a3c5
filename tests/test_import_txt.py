"""The TXT importer: strict decoding in the file's encoding, one block per paragraph."""

import codecs

import pytest

from workbench.documents.importers.base import ImportRejected
from workbench.documents.importers.txt import parse
from workbench.documents.models import Document
from workbench.documents.services import import_document

CHINESE = "上訴人不服原審判決，根據《刑事訴訟程序條例》（第221章）第83條提出上訴。"
ENGLISH = "The appellant’s appeal under § 83 of the Criminal Procedure Ordinance (Cap. 221) is “dismissed”."
HKSCS = "證人稱當日乘𨋢到達大廈。"  # 𨋢 (lift) exists only in the HK supplementary set
SHORT_CHINESE = "上訴人不服原審判決，提出上訴。"

# (what the file holds, encoding it is written in, encoding detection must report)
ENCODINGS = [
    (lambda text: text.encode("utf-8"), "utf-8"),
    (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8-sig"),
    (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "utf-16"),
    (lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "utf-16"),
    (lambda text: text.encode("gb18030"), "gb18030"),
    (lambda text: text.encode("big5hkscs"), "big5hkscs"),
]


@pytest.mark.parametrize("text", [CHINESE, ENGLISH])
@pytest.mark.parametrize(("encode", "encoding"), ENCODINGS)
def test_it_detects_each_encoding_and_keeps_the_text(encode, encoding, text):
    parsed = parse(encode(f"12. {text}\n"))

    assert parsed.encoding == encoding
    assert [(b.paragraph_number, b.text) for b in parsed.blocks] == [("12", text)]


@pytest.mark.parametrize("text", [CHINESE, ENGLISH])
@pytest.mark.parametrize(("encode", "encoding"), ENCODINGS)
def test_it_decodes_in_the_encoding_a_person_chose(encode, encoding, text):
    parsed = parse(encode(text), encoding=encoding)

    assert parsed.encoding == encoding
    assert [b.text for b in parsed.blocks] == [text]


@pytest.mark.parametrize("encoding", ["big5hkscs", "gb18030"])
def test_it_tells_big5_hkscs_from_gb18030_in_a_short_sentence(encoding):
    parsed = parse(SHORT_CHINESE.encode(encoding))

    assert parsed.encoding == encoding
    assert parsed.blocks[0].text == SHORT_CHINESE


def test_it_reads_simplified_chinese_as_gb18030():
    parsed = parse("上诉人不服原审判决，提出上诉。".encode("gb18030"))

    assert parsed.encoding == "gb18030"


def test_it_keeps_hong_kong_characters_in_big5_hkscs():
    parsed = parse(HKSCS.encode("big5hkscs"))

    assert (parsed.encoding, parsed.blocks[0].text) == ("big5hkscs", HKSCS)


def test_it_reads_a_file_labelled_big5_that_uses_hong_kong_characters():
    parsed = parse(HKSCS.encode("big5hkscs"), encoding="big5")

    assert (parsed.encoding, parsed.blocks[0].text) == ("big5hkscs", HKSCS)


def test_it_drops_the_byte_order_mark_even_when_the_person_chose_utf_8():
    parsed = parse(codecs.BOM_UTF8 + b"Judgment", encoding="utf-8")

    assert (parsed.encoding, parsed.blocks[0].text) == ("utf-8-sig", "Judgment")


def test_it_rejects_a_mislabelled_encoding_naming_the_line_and_byte():
    data = "Judgment\n\n上訴人不服。".encode("gb18030")

    with pytest.raises(ImportRejected) as rejected:
        parse(data, encoding="utf-8")

    message = str(rejected.value)
    assert "not valid UTF-8" in message
    assert "line 3, byte 11 of the file (0xC9)" in message
    assert "Choose another encoding" in message


def test_it_rejects_a_name_that_is_no_encoding():
    with pytest.raises(ImportRejected, match="“klingon” is not an encoding"):
        parse(b"Judgment", encoding="klingon")


def test_it_rejects_a_file_it_cannot_decode_naming_the_line():
    with pytest.raises(ImportRejected) as rejected:
        parse(b"Judgment\nof the court \xff\xff\n")

    assert "could not be recognised" in str(rejected.value)
    assert "line 2, byte 23 of the file (0xFF)" in str(rejected.value)


def test_it_reports_a_damaged_big5_file_where_big5_stops():
    data = ("第一段。\n" * 5).encode("big5hkscs") + b"\xa4"  # the file ends inside a character

    with pytest.raises(ImportRejected) as rejected:
        parse(data)

    assert "Read as Big5-HKSCS it stops at line 6" in str(rejected.value)


def test_it_rejects_utf_16_without_a_byte_order_mark():
    with pytest.raises(ImportRejected, match="NUL bytes"):
        parse("Judgment".encode("utf-16-le"))


def test_it_rejects_an_empty_file():
    with pytest.raises(ImportRejected, match="empty"):
        parse(b"")


def test_it_splits_paragraphs_at_blank_lines_and_joins_wrapped_lines():
    data = (
        "1. The appellant was\r\nconvicted of theft.\r\n \r\n"
        "(a) He appeals\rout of time.\r\r"
        "（一）上訴人不服原審\n判決，提出上訴。\n\n\n"
        "Mixed 中文\nEnglish\n"
    ).encode()

    parsed = parse(data)

    assert [(b.paragraph_number, b.text) for b in parsed.blocks] == [
        ("1", "The appellant was convicted of theft."),
        ("(a)", "He appeals out of time."),
        ("（一）", "上訴人不服原審判決，提出上訴。"),
        ("", "Mixed 中文 English"),
    ]
    assert {b.kind for b in parsed.blocks} == {"paragraph"}


def test_it_imports_through_the_service(zh_project, manager):
    data = f"1. {SHORT_CHINESE}\n\n2. {CHINESE}\n".encode("big5hkscs")

    document = import_document(zh_project, data=data, filename="判決.txt", user=manager)

    assert (document.format, document.encoding, document.status) == ("txt", "big5hkscs", "ready")
    assert [s.paragraph_number for s in document.segments.all()][:1] == ["1"]
    assert document.segments.first().source == SHORT_CHINESE
    assert Document.objects.count() == 1
