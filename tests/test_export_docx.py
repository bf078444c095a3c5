"""The translated document as DOCX, read back with python-docx (and its notes part with
lxml), and once more through the workbench's own Word importer."""

import io

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from tests.test_export_fixtures import add_segment, exported, make_document
from workbench.documents.importers import docx as docx_importer
from workbench.feedback.exports import ExportRefused

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTE = {"⟦1⟧": {"type": "footnote", "id": "5"}}


@pytest.fixture
def judgment(project):
    """A judgment as the Word importer leaves it: a heading, a numbered paragraph of two
    sentences citing a footnote, the footnote, a 2 x 2 table and an untranslated
    paragraph."""
    document = make_document(project, format="docx")
    add_segment(document, "Judgment", "判案書", kind="heading", structure={"level": 1}, block=0)
    add_segment(
        document,
        "The appeal fails.⟦1⟧",
        "上訴失敗。⟦1⟧",
        paragraph_number="1",
        block=1,
        placeholders=NOTE,
    )
    add_segment(
        document, "It is dismissed.", "上訴駁回。", paragraph_number="1", block=1, placeholders=NOTE
    )
    add_segment(
        document,
        "See HCAL 1/2020.",
        "見HCAL 1/2020。",
        kind="footnote",
        structure={"footnote": "5"},
        block=2,
    )
    for block, (row, col, source, target) in enumerate(
        [
            (0, 0, "Date", "日期"),
            (0, 1, "Amount", "金額"),
            (1, 0, "1 May", "5月1日"),
            (1, 1, "$5", "5元"),
        ],
        start=3,
    ):
        where = {"table": 0, "row": row, "col": col}
        add_segment(document, source, target, kind="table_cell", structure=where, block=block)
    add_segment(document, "Costs reserved.", "", status="new", paragraph_number="2", block=7)
    add_segment(
        document,
        "Awaiting review.",
        "有待審閱。",
        status="translated",
        paragraph_number="3",
        block=8,
    )
    return document


def read(data):
    return docx.Document(io.BytesIO(data))


def body_paragraphs(word):
    return [(p.style.name, p.text) for p in word.paragraphs]


def footnotes(word):
    part = word.part.part_related_by(RT.FOOTNOTES)
    root = etree.fromstring(part.blob)
    return {
        note.get(f"{W}id"): "".join(note.itertext()).strip()
        for note in root.findall(f"{W}footnote")
        if not note.get(f"{W}type")
    }


def test_it_rebuilds_headings_numbered_paragraphs_and_fallbacks(project, judgment):
    data, tally = exported(project, "docx", document=judgment)

    word = read(data)
    assert body_paragraphs(word) == [
        ("Heading 1", "判案書"),
        ("Normal", "1.\t上訴失敗。上訴駁回。"),
        ("Normal", "2.\tCosts reserved."),
        ("Normal", "3.\tAwaiting review."),
    ]
    assert (tally.units, tally.untranslated) == (10, 2)
    assert "2 segment(s) are not translated yet" in word.core_properties.comments


def test_untranslated_text_is_highlighted(project, judgment):
    data, _ = exported(project, "docx", document=judgment)

    paragraphs = read(data).paragraphs
    assert {run.font.highlight_color for run in paragraphs[1].runs if run.text} == {None}
    assert [run.font.highlight_color for run in paragraphs[2].runs if run.text.strip(".\t2")] == [
        WD_COLOR_INDEX.YELLOW
    ]


def test_chosen_statuses_decide_which_translations_are_used(project, judgment):
    data, tally = exported(project, "docx", document=judgment, statuses=["approved", "translated"])

    assert read(data).paragraphs[3].text == "3.\t有待審閱。"
    assert tally.untranslated == 1


def test_tables_keep_their_rows_and_columns(project, judgment):
    data, _ = exported(project, "docx", document=judgment)

    (table,) = read(data).tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["日期", "金額"],
        ["5月1日", "5元"],
    ]


def test_footnotes_are_real_word_footnotes(project, judgment):
    data, _ = exported(project, "docx", document=judgment)

    word = read(data)
    assert footnotes(word) == {"1": "見HCAL 1/2020。"}
    references = word.paragraphs[1]._p.findall(f".//{W}footnoteReference")
    assert [reference.get(f"{W}id") for reference in references] == ["1"]


def test_the_workbench_imports_the_translation_back(project, judgment):
    data, _ = exported(project, "docx", document=judgment)

    parsed = docx_importer.parse(data)

    assert [(b.kind, b.paragraph_number, b.text) for b in parsed.blocks] == [
        ("heading", "", "判案書"),
        ("paragraph", "1", "上訴失敗。⟦1⟧上訴駁回。"),
        ("footnote", "", "見HCAL 1/2020。"),
        ("table_cell", "", "日期"),
        ("table_cell", "", "金額"),
        ("table_cell", "", "5月1日"),
        ("table_cell", "", "5元"),
        ("paragraph", "2", "Costs reserved."),
        ("paragraph", "3", "Awaiting review."),
    ]


def test_a_lost_footnote_mark_is_cited_at_the_end_of_its_paragraph(project):
    document = make_document(project, format="docx")
    add_segment(document, "Held.⟦1⟧", "裁定。", block=0, placeholders=NOTE)
    add_segment(document, "A note.", "註。", kind="footnote", structure={"footnote": "5"}, block=1)

    data, _ = exported(project, "docx", document=document)

    word = read(data)
    assert footnotes(word) == {"1": "註。"}
    assert word.paragraphs[0]._p.findall(f".//{W}footnoteReference")


def test_sentences_of_a_space_separated_language_are_joined_with_a_space(zh_project):
    document = make_document(zh_project, format="docx")
    add_segment(document, "上訴失敗。", "The appeal fails.", block=0)
    add_segment(document, "上訴駁回。", "It is dismissed.", block=0)
    add_segment(document, "訟費保留。", "", status="new", block=0)

    data, _ = exported(zh_project, "docx", document=document)

    assert read(data).paragraphs[0].text == "The appeal fails. It is dismissed. 訟費保留。"


def test_it_refuses_a_word_file_of_a_whole_project(project, judgment):
    with pytest.raises(ExportRefused, match="choose the document"):
        exported(project, "docx")
