"""Corpus exports other tools accept: every XLIFF validates against the official schemas
and reads back in translate-toolkit, untranslated units stay when asked for, unit ids
are the imported file's, comments are notes, and TMX says who wrote what and when."""

import io

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile
from translate.storage.xliff import xlifffile
from translate.storage.xliff2 import Xliff2File

from tests import files_cat
from tests.xliff_schemas import schema_errors
from workbench.documents.services import import_document
from workbench.feedback.exports import Corpus, export_corpus
from workbench.translation.models import Comment
from workbench.translation.services import do_save_target

EVERY_STATUS = ["new", "drafted", "translated", "approved", "rejected"]
X12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
X20 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def exported(project, document, format_name, statuses=EVERY_STATUS):
    out = io.BytesIO()
    export_corpus(Corpus(project, document=document, statuses=statuses), format_name, out)
    return out.getvalue()


@pytest.fixture
def trados(project, manager, translator):
    document = import_document(
        project, data=files_cat.SDLXLIFF, filename="judgment.docx.sdlxliff", user=manager
    )
    segment = document.segments.get(position=4)
    do_save_target(
        segment, user=translator, role="translator", text="⟦1⟧訟費⟦/1⟧由答辯人支付。",
        base_version=segment.version, action="confirm",
    )  # fmt: skip
    Comment.objects.create(segment=segment, author=translator, text="Costs order checked.")
    return document


@pytest.fixture
def matecat(project, manager):
    return import_document(
        project, data=files_cat.MATECAT_XLIFF_2, filename="judgment.docx.xlf", user=manager
    )


@pytest.mark.parametrize("schema", ["1.2-strict", "1.2-transitional"])
def test_the_xliff_1_2_export_of_a_trados_file_is_valid(project, trados, schema):
    assert schema_errors(exported(project, trados, "xliff"), schema) == []


def test_the_xliff_2_0_export_of_each_tools_file_is_valid(project, trados, matecat):
    assert schema_errors(exported(project, trados, "xliff2"), "2.0") == []
    assert schema_errors(exported(project, matecat, "xliff2"), "2.0") == []


def test_the_xliff_1_2_export_keeps_ids_untranslated_units_and_notes(project, trados):
    data = exported(project, trados, "xliff")

    units = xlifffile(data).units
    assert [unit.xmlelement.get("id") for unit in units] == [
        "a1b2c3d4-0001-4000-8000-000000000001:1",
        "a1b2c3d4-0001-4000-8000-000000000001:2",
        "a1b2c3d4-0002-4000-8000-000000000002:3",
        "a1b2c3d4-0002-4000-8000-000000000002:4",
        "a1b2c3d4-0002-4000-8000-000000000002:5",
    ]
    assert (units[4].source, units[4].target or "") == ("Liberty to apply.", "")
    assert units[3].target == "訟費由答辯人支付。"
    assert "Costs order checked." in units[3].getnotes()
    assert "rita: Check the citation against the report." in units[1].getnotes()


def test_the_xliff_2_0_export_puts_a_units_segments_back_together(project, matecat):
    data = exported(project, matecat, "xliff2")

    root = etree.fromstring(data)
    units = root.findall(".//x:unit", X20)
    assert [u.get("id") for u in units] == ["u1", "u2"]
    assert [s.get("id") for s in units[0].findall("x:segment", X20)] == ["s1", "s2"]
    assert b"dataRef" not in data
    assert [unit.source for unit in Xliff2File(data).units] == [
        "The appellant appealed.",
        "See section 4.",
        "Costs follow the event.",
        "Liberty to apply.",
    ]
    assert units[0].find("x:notes/x:note", X20).text == "Check the citation."


def test_an_end_code_without_its_start_becomes_isolated(project):
    from tests.test_export_fixtures import add_segment, make_document

    document = make_document(project)
    codes = {"⟦1⟧": '<sc id="3"/>', "⟦2⟧": '<ec startRef="3"/>'}
    add_segment(document, "⟦1⟧Costs follow", "⟦1⟧訟費", placeholders=codes)
    add_segment(document, "the event.⟦2⟧", "依循結果。⟦2⟧", placeholders=codes)

    data = exported(project, document, "xliff2")

    assert schema_errors(data, "2.0") == []
    assert b'<sc id="3" isolated="yes"/>' in data and b'<ec id="3" isolated="yes"/>' in data


def test_the_tmx_export_says_who_wrote_and_changed_each_unit(project, trados, translator):
    data = exported(project, trados, "tmx")

    units = tmxfile(data).units
    tu = {unit.xmlelement.get("tuid").split("-")[1]: unit.xmlelement for unit in units}
    edited = tu["4"]
    assert (edited.get("creationid"), edited.get("changeid")) == ("import", translator.username)
    assert edited.get("creationdate") and edited.get("changedate")
    assert tu["2"].get("changeid") == "import"
    assert "creationid" not in tu["5"].attrib  # untranslated: nobody wrote it yet
    assert [n.text for n in edited.iter("note")] == ["tom: Costs order checked."]


def test_exports_of_word_and_generic_codes_are_valid_too(project):
    from tests.test_export_fixtures import BOLD_AND_BREAK, add_segment, make_document

    document = make_document(project, format="docx")
    add_segment(
        document,
        "The ⟦1⟧applicant⟦/1⟧ appeals.⟦2⟧",
        "申請人⟦1⟧上訴⟦/1⟧。⟦2⟧",
        placeholders=BOLD_AND_BREAK,
    )
    notes = {
        "⟦1⟧": {"type": "footnote", "id": "3"},
        "⟦2⟧": {"type": "format", "rPr": ""},
        "⟦/2⟧": {"type": "end"},
    }
    add_segment(document, "As ⟦2⟧held⟦/2⟧.⟦1⟧", "如⟦2⟧判⟦/2⟧。⟦1⟧", placeholders=notes)
    add_segment(document, "⟦2⟧Half a pair.", "半⟦/2⟧對。", placeholders=notes)

    for format_name, schemas in (
        ("xliff", ["1.2-strict", "1.2-transitional"]),
        ("xliff2", ["2.0"]),
    ):
        data = exported(project, document, format_name)
        for schema in schemas:
            assert schema_errors(data, schema) == [], (format_name, schema)
