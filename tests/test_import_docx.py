"""The DOCX importer: blocks in document order, with Word's structure kept as metadata."""

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.files_docx import (
    W_NS,
    add_footnotes,
    cite_footnote,
    footnotes_xml,
    number,
    saved,
    with_footnote,
    with_part,
)
from workbench.documents.importers.docx import parse
from workbench.documents.services import import_document

NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="8"><w:abstractNumId w:val="1"/></w:num>
  <w:num w:numId="9">
    <w:abstractNumId w:val="0"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="20"/></w:lvlOverride>
  </w:num>
</w:numbering>""".encode()


def judgment():
    """A short judgment: title, headings, Word-numbered and typed paragraphs, a footnote,
    a table and a paragraph with hidden text."""
    document = docx.Document()
    document.add_paragraph("HCMA 123/2020", style="Title")
    document.add_heading("A. Introduction", level=1)
    cited = document.add_paragraph("The appellant was convicted of theft.", style="List Number")
    cite_footnote(cited, 1)
    document.add_paragraph("He appeals against conviction.", style="List Number")
    document.add_heading("B. The evidence", level=1)
    document.add_paragraph("3.\tThe exhibits were:")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Exhibit", (0, 1): "Description", (1, 0): "P1"}.items():
        table.cell(row, col).text = text
    table.cell(1, 1).text = "A knife"
    last = document.add_paragraph("4. The appeal is dismissed.")
    last.add_run(" Draft: check costs.").font.hidden = True
    add_footnotes(document, {1: "Theft Ordinance (Cap. 210), s. 9."})
    return saved(document)


def outline(parsed):
    return [(b.kind, b.paragraph_number, b.text, b.structure) for b in parsed.blocks]


def test_it_imports_a_judgment_in_document_order():
    parsed = parse(judgment())

    assert parsed.format == "docx"
    assert outline(parsed) == [
        ("heading", "", "HCMA 123/2020", {"level": 0}),
        ("heading", "", "A. Introduction", {"level": 1}),
        ("paragraph", "1", "The appellant was convicted of theft.⟦1⟧", {}),
        ("footnote", "", "Theft Ordinance (Cap. 210), s. 9.", {"footnote": "1"}),
        ("paragraph", "2", "He appeals against conviction.", {}),
        ("heading", "", "B. The evidence", {"level": 1}),
        ("paragraph", "3", "The exhibits were:", {}),
        ("table_cell", "", "Exhibit", {"table": 0, "row": 0, "col": 0}),
        ("table_cell", "", "Description", {"table": 0, "row": 0, "col": 1}),
        ("table_cell", "", "P1", {"table": 0, "row": 1, "col": 0}),
        ("table_cell", "", "A knife", {"table": 0, "row": 1, "col": 1}),
        ("paragraph", "4", "The appeal is dismissed. Draft: check costs.", {}),
    ]


def test_it_turns_a_footnote_reference_into_a_protected_placeholder():
    parsed = parse(with_footnote("The appellant appealed.", "See HCMA 1/2020."))

    cited, note = parsed.blocks
    assert cited.text == "The appellant appealed.⟦1⟧"
    assert cited.placeholders == {"⟦1⟧": {"type": "footnote", "id": "1"}}
    assert (note.kind, note.text, note.structure) == (
        "footnote",
        "See HCMA 1/2020.",
        {"footnote": "1"},
    )


def test_it_treats_an_endnote_like_a_footnote():
    document = docx.Document()
    reference = OxmlElement("w:endnoteReference")
    reference.set(qn("w:id"), "1")
    document.add_paragraph("The appellant appealed.").add_run()._r.append(reference)
    endnotes = footnotes_xml({1: "See HCMA 1/2020."}).replace(b"footnote", b"endnote")
    part = Part(PackURI("/word/endnotes.xml"), CT.WML_ENDNOTES, endnotes, document.part.package)
    document.part.relate_to(part, RT.ENDNOTES)

    parsed = parse(saved(document))

    assert [(b.kind, b.text, b.structure, b.placeholders) for b in parsed.blocks] == [
        ("paragraph", "The appellant appealed.⟦1⟧", {}, {"⟦1⟧": {"type": "endnote", "id": "1"}}),
        ("footnote", "See HCMA 1/2020.", {"endnote": "1"}, {}),
    ]


def test_it_warns_when_a_cited_footnote_has_no_text():
    document = docx.Document()
    cite_footnote(document.add_paragraph("The appellant appealed."), 5)
    add_footnotes(document, {1: "Unrelated."})

    parsed = parse(saved(document))

    assert [b.text for b in parsed.blocks] == ["The appellant appealed.⟦1⟧"]
    assert "footnote 5 is missing" in parsed.warnings[0]


def test_it_marks_hidden_text_and_names_the_paragraph_in_a_warning():
    parsed = parse(judgment())

    hidden = [b for b in parsed.blocks if b.hidden]
    assert [b.paragraph_number for b in hidden] == ["4"]
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("Paragraph 4 (“The appeal is dismissed.")
    assert "marked hidden" in parsed.warnings[0]


def test_it_takes_hidden_text_from_a_character_style_too():
    document = docx.Document()
    document.styles.add_style("Judge's note", WD_STYLE_TYPE.CHARACTER).font.hidden = True
    paragraph = document.add_paragraph("Visible, ")
    paragraph.add_run("and not.", style="Judge's note")

    parsed = parse(saved(document))

    assert parsed.blocks[0].hidden
    assert parsed.warnings[0].startswith("The paragraph “Visible, and not.”")


def test_it_counts_word_numbering_per_list_and_level():
    document = docx.Document()
    for text, num_id, level in [
        ("The facts.", 7, 0),
        ("First,", 7, 1),
        ("second,", 7, 1),
        ("in particular", 7, 2),
        ("The law.", 7, 0),
        ("Restarted.", 7, 1),
        ("A bullet.", 8, 0),
        ("Another list.", 9, 0),
    ]:
        number(document.add_paragraph(text), num_id, level)

    parsed = parse(with_part(saved(document), "word/numbering.xml", NUMBERING))

    assert [(b.paragraph_number, b.kind) for b in parsed.blocks] == [
        ("1", "paragraph"),
        ("(a)", "list_item"),
        ("(b)", "list_item"),
        ("(i)", "list_item"),
        ("2", "paragraph"),
        ("(a)", "list_item"),
        ("", "list_item"),
        ("20", "list_item"),
    ]


def test_it_counts_an_empty_numbered_paragraph_as_word_does():
    document = docx.Document()
    for text in ["First.", "", "Third."]:
        document.add_paragraph(text, style="List Number")

    parsed = parse(saved(document))

    assert [(b.paragraph_number, b.text) for b in parsed.blocks] == [
        ("1", "First."),
        ("3", "Third."),
    ]


def test_it_keeps_a_short_word_list_a_list_when_paragraphs_are_numbered_by_hand():
    document = docx.Document()
    document.add_paragraph("1. The issues are:")
    document.add_paragraph("whether the search was lawful;", style="List Number")
    document.add_paragraph("whether the admission was voluntary.", style="List Number")
    document.add_paragraph("2. We take them in turn.")
    document.add_paragraph("3. The first issue.")

    parsed = parse(saved(document))

    assert [(b.paragraph_number, b.kind) for b in parsed.blocks] == [
        ("1", "paragraph"),
        ("1", "list_item"),
        ("2", "list_item"),
        ("2", "paragraph"),
        ("3", "paragraph"),
    ]


def test_it_takes_typed_paragraph_numbers_out_of_the_text():
    document = docx.Document()
    for text in ["12. The appellant appeals.", "(a) the first ground;", "（一）上訴人不服判決。"]:
        document.add_paragraph(text)

    parsed = parse(saved(document))

    assert [(b.paragraph_number, b.text) for b in parsed.blocks] == [
        ("12", "The appellant appeals."),
        ("(a)", "the first ground;"),
        ("（一）", "上訴人不服判決。"),
    ]


def test_it_takes_an_outline_level_for_a_heading():
    document = docx.Document()
    paragraph = document.add_paragraph("GROUNDS OF APPEAL")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")
    paragraph._p.get_or_add_pPr().append(level)

    parsed = parse(saved(document))

    assert (parsed.blocks[0].kind, parsed.blocks[0].structure) == ("heading", {"level": 2})


def test_it_imports_a_merged_cell_once():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Parties"
    table.cell(0, 2).text = "Role"
    table.cell(1, 0).text = "陳大文"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "上訴人"

    parsed = parse(saved(document))

    assert [(b.text, b.structure) for b in parsed.blocks] == [
        ("Parties", {"table": 0, "row": 0, "col": 0}),
        ("Role", {"table": 0, "row": 0, "col": 2}),
        ("陳大文", {"table": 0, "row": 1, "col": 0}),
        ("上訴人", {"table": 0, "row": 1, "col": 1}),
    ]


def test_it_imports_a_vertically_merged_cell_once():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Exhibits"
    table.cell(0, 1).text = "P1"
    table.cell(1, 1).text = "P2"

    parsed = parse(saved(document))

    assert [b.text for b in parsed.blocks] == ["Exhibits", "P1", "P2"]


def test_it_turns_tabs_and_line_breaks_into_spaces():
    document = docx.Document()
    run = document.add_paragraph().add_run("Case No.")
    run.add_tab()
    run.add_text("HCMA 1/2020")
    run.add_break()
    run.add_text("Date: 1 May 2020")

    parsed = parse(saved(document))

    assert parsed.blocks[0].text == "Case No. HCMA 1/2020 Date: 1 May 2020"


def test_it_skips_empty_paragraphs():
    document = docx.Document()
    for text in ["", "   ", "The only text.", ""]:
        document.add_paragraph(text)

    parsed = parse(saved(document))

    assert [b.text for b in parsed.blocks] == ["The only text."]


def test_it_leaves_out_deleted_text_and_keeps_inserted_text():
    document = docx.Document()
    paragraph = document.add_paragraph("The appeal is ")
    deletion = OxmlElement("w:del")
    deleted_run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "allowed"
    deleted_run.append(deleted_text)
    deletion.append(deleted_run)
    insertion = OxmlElement("w:ins")
    insertion.append(document.add_paragraph().add_run("dismissed.")._r)
    paragraph._p.append(deletion)
    paragraph._p.append(insertion)

    parsed = parse(saved(document))

    assert [b.text for b in parsed.blocks] == ["The appeal is dismissed."]


def test_it_imports_a_judgment_through_the_service(project, manager):
    document = import_document(
        project, data=judgment(), filename="HCMA 123-2020.docx", user=manager
    )

    assert (document.format, document.status, document.title) == ("docx", "ready", "HCMA 123-2020")
    segments = list(document.segments.all())
    assert segments[0].kind == "heading"
    cited = next(s for s in segments if s.paragraph_number == "1")
    assert cited.placeholders == {"⟦1⟧": {"type": "footnote", "id": "1"}}
    assert segments[segments.index(cited) + 1].kind == "footnote"
    assert [s.structure for s in segments if s.kind == "table_cell"][-1] == {
        "table": 0,
        "row": 1,
        "col": 1,
    }
    assert {s.paragraph_number for s in segments if s.hidden} == {"4"}
    assert document.import_warnings[0].startswith("Paragraph 4")
