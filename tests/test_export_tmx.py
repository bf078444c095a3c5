"""TMX 1.4b export, read back with translate-toolkit and lxml."""

import datetime

from lxml import etree
from translate.storage.tmx import tmxfile

from tests.test_export_fixtures import (
    BOLD_AND_BREAK,
    CONTROL_CHARACTERS,
    add_segment,
    changed_on,
    exported,
    make_document,
    without_control_characters,
)
from workbench.documents.placeholders import restore


def units(data):
    return tmxfile(data).units


def test_it_writes_every_approved_segment_that_translate_toolkit_reads_back(project):
    document = make_document(project)
    add_segment(document, "The appeal is dismissed.", "上訴駁回。")
    add_segment(document, "Costs to the respondent.", "訟費判給答辯人。")
    add_segment(document, "Not yet reviewed.", "尚未審閱。", status="translated")
    add_segment(document, "Not translated.")

    data, tally = exported(project, "tmx")

    assert tally.units == 2
    read = units(data)
    assert [(unit.source, unit.target) for unit in read] == [
        ("The appeal is dismissed.", "上訴駁回。"),
        ("Costs to the respondent.", "訟費判給答辯人。"),
    ]
    store = tmxfile(data)
    assert store.getsourcelanguage() == "en"
    languages = etree.fromstring(data).xpath("//tuv/@xml:lang")
    assert languages == ["en", "zh-Hant-HK"] * 2


def test_it_gives_inline_codes_back_as_tmx_codes(project):
    document = make_document(project)
    source = "The applicant ⟦1⟧appeals⟦/1⟧ the decision.⟦2⟧"
    target = "申請人⟦1⟧上訴⟦/1⟧。⟦2⟧"
    add_segment(document, source, target, placeholders=BOLD_AND_BREAK)

    data, _ = exported(project, "tmx")

    unit = units(data)[0]
    # translate-toolkit reads a code's native markup as text: the original tags are back.
    assert (
        unit.source == 'The applicant <g id="1" ctype="bold">appeals</g> the decision.<x id="2"/>'
    )
    assert unit.target == '申請人<g id="1" ctype="bold">上訴</g>。<x id="2"/>'
    assert unit.source == restore(source, BOLD_AND_BREAK)
    seg = etree.fromstring(data).find(".//tuv/seg")
    assert [(child.tag, child.get("i"), child.get("x")) for child in seg] == [
        ("bpt", "1", "1"),
        ("ept", "1", None),
        ("ph", None, "2"),
    ]


def test_it_writes_half_a_pair_as_an_isolated_code(project):
    document = make_document(project)
    add_segment(document, "⟦1⟧Bold starts here.", "粗體由此開始。⟦1⟧", placeholders=BOLD_AND_BREAK)

    data, _ = exported(project, "tmx")

    seg = etree.fromstring(data).find(".//tuv/seg")
    assert [(child.tag, child.get("pos"), child.text) for child in seg] == [
        ("it", "begin", '<g id="1" ctype="bold">')
    ]


def test_it_marks_a_word_footnote_as_a_footnote_code(project):
    document = make_document(project, format="docx")
    notes = {"⟦1⟧": {"type": "footnote", "id": "2"}}
    add_segment(document, "As held below.⟦1⟧", "如原審所判。⟦1⟧", placeholders=notes)

    data, _ = exported(project, "tmx")

    assert units(data)[0].target == "如原審所判。"
    ph = etree.fromstring(data).find(".//tuv/seg/ph")
    assert (ph.get("type"), ph.get("x")) == ("fnote", "1")


def test_it_removes_the_control_characters_xml_forbids(project):
    document = make_document(project)
    source = f"Bad{CONTROL_CHARACTERS}text"
    add_segment(document, source, "壞\x0b字\ufffe\r\n")

    data, _ = exported(project, "tmx")

    unit = units(data)[0]
    assert unit.source == without_control_characters(source)
    assert unit.source == "Bad\t\n\rtext"
    assert unit.target == "壞字\r\n"


def test_it_escapes_markup_characters_of_the_text(project):
    document = make_document(project)
    add_segment(document, 'Section 3 < 4 & "5" > 2 <b>', "第3條 < 4 & 5 > 2 <b>")

    data, _ = exported(project, "tmx")

    unit = units(data)[0]
    assert unit.source == 'Section 3 < 4 & "5" > 2 <b>'
    assert unit.target == "第3條 < 4 & 5 > 2 <b>"


def test_it_records_status_document_paragraph_and_dates(project):
    document = make_document(project, title="FACV 1/2024 & others")
    segment = add_segment(document, "Held.", "裁定。", paragraph_number="12")
    changed_on(segment, datetime.date(2024, 3, 5))

    data, _ = exported(project, "tmx")

    tu = etree.fromstring(data).find(".//tu")
    properties = {prop.get("type"): prop.text for prop in tu.findall("prop")}
    assert properties == {
        "x-status": "approved",
        "x-document": "FACV 1/2024 & others",
        "x-paragraph": "12",
    }
    assert tu.get("changedate") == "20240305T040000Z"  # noon in Hong Kong
    assert tu.get("creationdate", "").endswith("Z")
    assert tu.get("tuid") == f"{document.pk}-1"
