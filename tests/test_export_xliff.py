"""XLIFF 1.2 and 2.0 exports, read back with translate-toolkit, lxml and the workbench's
own XLIFF importer."""

import datetime

import pytest
from lxml import etree
from translate.storage.xliff import xlifffile
from translate.storage.xliff2 import Xliff2File

from tests.test_export_fixtures import (
    BOLD_AND_BREAK,
    CONTROL_CHARACTERS,
    add_segment,
    changed_on,
    exported,
    make_document,
    without_control_characters,
)
from workbench.documents.importers import xliff as xliff_importer

XLIFF_2_CODES = {"⟦1⟧": '<pc id="1">', "⟦/1⟧": "</pc>", "⟦2⟧": '<ph id="2"/>'}
READERS = {"xliff": xlifffile, "xliff2": Xliff2File}


def children(node):
    return [(etree.QName(child).localname, dict(child.attrib)) for child in node]


@pytest.fixture
def judgment(project):
    document = make_document(project)
    add_segment(document, "The appeal is dismissed.", "上訴駁回。")
    add_segment(document, "Costs follow the event.", "訟費跟隨事件結果。", status="translated")
    add_segment(document, "A machine draft.", "機器初稿。", status="drafted")
    add_segment(document, "Not translated.")
    return document


@pytest.mark.parametrize("format_name", ["xliff", "xliff2"])
def test_translate_toolkit_reads_back_every_chosen_segment(project, judgment, format_name):
    data, tally = exported(project, format_name, statuses=["approved", "translated", "drafted"])

    assert tally.units == 3
    store = READERS[format_name](data)
    assert [(unit.source, unit.target) for unit in store.units] == [
        ("The appeal is dismissed.", "上訴駁回。"),
        ("Costs follow the event.", "訟費跟隨事件結果。"),
        ("A machine draft.", "機器初稿。"),
    ]
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "zh-Hant-HK")


def test_xliff_1_2_states_say_who_signed_off(project, judgment):
    data, _ = exported(project, "xliff", statuses=["approved", "translated", "drafted"])

    units = xlifffile(data).units
    assert [unit.isapproved() for unit in units] == [True, False, False]
    states = [unit.get_target_dom().get("state") for unit in units]
    assert states == ["signed-off", "translated", "needs-review-translation"]


def test_xliff_2_0_states_say_which_segments_are_final(project, judgment):
    data, _ = exported(project, "xliff2", statuses=["approved", "translated", "drafted"])

    states = [unit.xmlelement.get("state") for unit in Xliff2File(data).units]
    assert states == ["final", "translated", "initial"]


@pytest.mark.parametrize("format_name", ["xliff", "xliff2"])
def test_the_workbench_imports_its_own_export_unchanged(project, judgment, format_name):
    data, _ = exported(project, format_name, statuses=["approved", "translated", "drafted"])

    parsed = xliff_importer.parse(data)

    assert (parsed.source_language, parsed.target_language) == ("en", "zh-Hant-HK")
    assert [(b.text, b.target, b.target_status) for b in parsed.blocks] == [
        ("The appeal is dismissed.", "上訴駁回。", "approved"),
        ("Costs follow the event.", "訟費跟隨事件結果。", "translated"),
        ("A machine draft.", "機器初稿。", "drafted"),
    ]


def test_xliff_1_2_gives_back_the_original_inline_markup(project):
    document = make_document(project)
    source = "The applicant ⟦1⟧appeals⟦/1⟧ the decision.⟦2⟧"
    add_segment(document, source, "申請人⟦1⟧上訴⟦/1⟧。⟦2⟧", placeholders=BOLD_AND_BREAK)

    data, _ = exported(project, "xliff")

    unit = xlifffile(data).units[0]
    assert (unit.source, unit.target) == ("The applicant appeals the decision.", "申請人上訴。")
    assert children(unit.get_source_dom()) == [
        ("g", {"id": "1", "ctype": "bold"}),
        ("x", {"id": "2"}),
    ]
    assert children(unit.get_target_dom()) == children(unit.get_source_dom())
    block = xliff_importer.parse(data).blocks[0]
    assert (block.text, block.placeholders) == (source, BOLD_AND_BREAK)


def test_xliff_2_0_gives_back_the_original_inline_markup(project):
    document = make_document(project)
    source = "The applicant ⟦1⟧appeals⟦/1⟧ the decision.⟦2⟧"
    add_segment(document, source, "申請人⟦1⟧上訴⟦/1⟧。⟦2⟧", placeholders=XLIFF_2_CODES)

    data, _ = exported(project, "xliff2")

    unit = Xliff2File(data).units[0]
    assert children(unit.get_source_dom()) == [("pc", {"id": "1"}), ("ph", {"id": "2"})]
    assert children(unit.get_target_dom()) == children(unit.get_source_dom())
    block = xliff_importer.parse(data).blocks[0]
    assert (block.text, block.placeholders) == (source, XLIFF_2_CODES)


def test_codes_of_another_origin_become_the_versions_generic_codes(project):
    document = make_document(project)
    add_segment(document, "⟦1⟧Bold⟦/1⟧ text.⟦2⟧", "⟦1⟧粗⟦/1⟧字。⟦2⟧", placeholders=XLIFF_2_CODES)
    notes = {"⟦1⟧": {"type": "footnote", "id": "3"}}
    add_segment(document, "As held.⟦1⟧", "如判。⟦1⟧", placeholders=notes)

    xliff_1_2, _ = exported(project, "xliff")
    xliff_2_0, _ = exported(project, "xliff2")

    first, second = xlifffile(xliff_1_2).units
    assert children(first.get_source_dom()) == [("g", {"id": "1"}), ("x", {"id": "2"})]
    assert children(second.get_target_dom()) == [("x", {"id": "1", "ctype": "x-footnote"})]
    note = Xliff2File(xliff_2_0).units[1]
    assert children(note.get_target_dom()) == [
        ("ph", {"id": "1", "type": "other", "subType": "wb:footnote"})
    ]


@pytest.mark.parametrize("format_name", ["xliff", "xliff2"])
def test_half_a_pair_becomes_an_isolated_code(project, format_name):
    document = make_document(project)
    add_segment(document, "⟦1⟧Bold starts here.", "粗體⟦/1⟧由此開始。", placeholders=BOLD_AND_BREAK)

    data, _ = exported(project, format_name)

    unit = READERS[format_name](data).units[0]
    if format_name == "xliff":
        assert children(unit.get_source_dom()) == [("bx", {"id": "1"})]
        assert children(unit.get_target_dom()) == [("ex", {"id": "1"})]
    else:
        assert children(unit.get_source_dom()) == [("sc", {"id": "1", "isolated": "yes"})]
        assert children(unit.get_target_dom()) == [("ec", {"id": "1", "isolated": "yes"})]


@pytest.mark.parametrize("format_name", ["xliff", "xliff2"])
def test_crossing_pairs_still_give_well_formed_xml(project, format_name):
    document = make_document(project)
    codes = {"⟦1⟧": '<g id="1">', "⟦/1⟧": "</g>", "⟦2⟧": '<g id="2">', "⟦/2⟧": "</g>"}
    add_segment(document, "⟦1⟧a ⟦2⟧b⟦/2⟧ c⟦/1⟧", "⟦1⟧甲⟦2⟧乙⟦/1⟧丙⟦/2⟧", placeholders=codes)

    data, _ = exported(project, format_name)

    unit = READERS[format_name](data).units[0]
    assert (unit.source, unit.target) == ("a b c", "甲乙丙")


@pytest.mark.parametrize("format_name", ["xliff", "xliff2"])
def test_it_removes_the_control_characters_xml_forbids(project, format_name):
    document = make_document(project)
    source = f"Bad{CONTROL_CHARACTERS}text"
    add_segment(document, source, "壞\x0b字\ufffe")

    data, _ = exported(project, format_name)

    unit = READERS[format_name](data).units[0]
    assert (unit.source, unit.target) == (without_control_characters(source), "壞字")


def test_one_file_element_per_document_with_its_dates(project):
    first = make_document(project, title="HCAL 1/2024")
    second = make_document(project, title="HCAL 2/2024 <draft>")
    segment = add_segment(first, "One.", "一。", paragraph_number="7")
    add_segment(second, "Two.", "二。")
    changed_on(segment, datetime.date(2024, 3, 5))

    xliff_1_2, _ = exported(project, "xliff")
    xliff_2_0, _ = exported(project, "xliff2")

    root = etree.fromstring(xliff_1_2)
    namespaces = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    assert root.xpath("//x:file/@original", namespaces=namespaces) == [
        "HCAL 1/2024",
        "HCAL 2/2024 <draft>",
    ]
    unit = root.find(".//x:trans-unit", namespaces)
    contexts = {c.get("context-type"): c.text for c in unit.iterfind(".//x:context", namespaces)}
    assert contexts["x-changed"] == "2024-03-05T04:00:00Z"
    assert contexts["x-paragraph"] == "7"
    root = etree.fromstring(xliff_2_0)
    namespaces = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    assert len(root.findall("x:file", namespaces)) == 2
    meta = root.xpath("//m:meta", namespaces={"m": "urn:oasis:names:tc:xliff:metadata:2.0"})
    assert {m.get("type"): m.text for m in meta[:3]}["changed"] == "2024-03-05T04:00:00Z"
