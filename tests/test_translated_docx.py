"""The translated Word file is the original with each paragraph's text replaced in
place: formatting, links, notes, tables, text boxes, comments, headers and styles kept,
and Word told the text is Chinese."""

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from tests.files_docx import add_footnotes, cite_footnote, formatted_judgment, saved
from workbench.documents.importers import docx as docx_importer
from workbench.documents.services import import_document
from workbench.documents.translated import translated_file
from workbench.translation.services import do_save_target

TRANSLATIONS = {
    "Judgment": "判案書",
    "See HCMA 123/2020.": "見HCMA 123/2020。",
    "The appeal is dismissed.": "上訴駁回。",
    "The appeal is dismissed.⟦1⟧": "上訴駁回。⟦1⟧",
    "Date": "日期",
    "Sum": "款額",
    "1 May": "5月1日",
    "$5": "$5",
    "Costs follow the event.": "訟費依循結果。",
    "Not for publication.": "不供發表。",
}
LINKED = "⟦1⟧上訴人⟦/1⟧依據⟦2⟧香港特別行政區訴陳⟦/2⟧及⟦3⟧第4條⟦/3⟧，見⟦4⟧該條例⟦/4⟧。⟦5⟧"


def translate_everything(document, user):
    for segment in document.segments.order_by("position"):
        text = TRANSLATIONS.get(segment.source, LINKED)
        do_save_target(
            segment, user=user, role="translator", text=text, base_version=0, action="confirm"
        )


def imported(project, manager, data=None):
    return import_document(
        project, data=data or formatted_judgment(), filename="judgment.docx", user=manager
    )


def body_xml(data):
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_it_writes_each_translation_into_its_own_paragraph(project, manager, translator):
    document = imported(project, manager)
    translate_everything(document, translator)

    translated = translated_file(document)

    word = docx.Document(io.BytesIO(translated.data))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "判案書"
    assert texts[1] == "上訴人依據香港特別行政區訴陳及第4條，見該條例。"
    assert texts[2] == "上訴駁回。"
    assert [[c.text for c in row.cells] for row in word.tables[0].rows] == [
        ["日期", "款額"],
        ["5月1日", "$5"],
    ]
    assert word.paragraphs[0].style.name == "Heading 1"
    assert word.sections[0].header.paragraphs[0].text == "HCAL 1234/2024"
    assert translated.filename == "judgment.zh-Hant-HK.docx"
    assert translated.untranslated == 0


def test_it_keeps_bold_italic_underline_links_and_the_note_reference(project, manager, translator):
    document = imported(project, manager)
    translate_everything(document, translator)

    data = translated_file(document).data

    runs = docx.Document(io.BytesIO(data)).paragraphs[1].runs
    formatted = {run.text: (run.bold, run.italic, run.underline) for run in runs if run.text}
    assert formatted["上訴人"] == (True, None, None)
    assert formatted["香港特別行政區訴陳"] == (None, True, None)
    assert formatted["第4條"] == (None, None, True)
    xml = body_xml(data)
    assert "<w:hyperlink" in xml and "該條例" in xml.split("<w:hyperlink")[1]
    assert xml.count('<w:footnoteReference w:id="1"/>') == 1
    notes = zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml").decode()
    assert "見HCMA 123/2020。" in notes and "See HCMA" not in notes


def test_it_keeps_the_text_box_the_comment_and_its_anchor(project, manager, translator):
    document = imported(project, manager)
    translate_everything(document, translator)

    data = translated_file(document).data

    xml = body_xml(data)
    assert "<w:txbxContent>" in xml and "不供發表。" in xml and "訟費依循結果。" in xml
    assert xml.index("訟費依循結果。") < xml.index("不供發表。")
    assert "<w:commentRangeStart" in xml and "<w:commentReference" in xml
    assert (
        "Check the order." in zipfile.ZipFile(io.BytesIO(data)).read("word/comments.xml").decode()
    )


def test_it_tells_word_the_text_is_chinese(project, manager, translator):
    document = imported(project, manager)
    translate_everything(document, translator)

    data = translated_file(document).data

    word = docx.Document(io.BytesIO(data))
    run = next(run for run in word.paragraphs[2].runs if run.text)
    lang = run._r.rPr.find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("zh-HK", "zh-HK")
    defaults = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert defaults.get(qn("w:eastAsia")) == "zh-HK"


def test_the_translation_reads_back_with_the_same_structure(project, manager, translator):
    document = imported(project, manager)
    translate_everything(document, translator)

    parsed = docx_importer.parse(translated_file(document).data)

    assert [(b.kind, b.text) for b in parsed.blocks] == [
        ("heading", "判案書"),
        ("paragraph", LINKED),
        ("footnote", "見HCMA 123/2020。"),
        ("paragraph", "上訴駁回。"),
        ("table_cell", "日期"),
        ("table_cell", "款額"),
        ("table_cell", "5月1日"),
        ("table_cell", "$5"),
        ("paragraph", "訟費依循結果。"),
        ("paragraph", "不供發表。"),
    ]
    assert parsed.blocks[3].structure == {"notes": ["Reviewer: Check the order."]}


def test_an_untranslated_segment_keeps_its_source(project, manager, translator):
    document = imported(project, manager)

    translated = translated_file(document)

    assert translated.untranslated == document.segments.count()
    assert docx.Document(io.BytesIO(translated.data)).paragraphs[2].text == (
        "The appeal is dismissed."
    )


def test_a_typed_paragraph_number_stays_in_front_of_the_translation(project, manager, translator):
    word = docx.Document()
    paragraph = word.add_paragraph("12.\tThe appeal is dismissed.")
    cite_footnote(paragraph, 1)
    add_footnotes(word, {1: "See HCMA 123/2020."})
    document = imported(project, manager, saved(word))
    translate_everything(document, translator)

    data = translated_file(document).data

    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "12.\t上訴駁回。"
    assert '<w:footnoteReference w:id="1"/>' in body_xml(data)


def test_tracked_changes_are_read_as_accepted_with_a_warning(project, manager, translator):
    word = docx.Document()
    paragraph = word.add_paragraph("The appeal is ")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph._p.append(
        docx.oxml.parse_xml(
            f'<w:del xmlns:w="{w}" w:id="1" w:author="A"><w:r><w:delText>allowed</w:delText>'
            f"</w:r></w:del>"
        )
    )
    paragraph._p.append(
        docx.oxml.parse_xml(
            f'<w:ins xmlns:w="{w}" w:id="2" w:author="A"><w:r><w:t>dismissed.</w:t></w:r></w:ins>'
        )
    )

    document = imported(project, manager, saved(word))

    assert document.segments.get().source == "The appeal is dismissed."
    assert "tracked changes (1 insertion(s), 1 deletion(s))" in document.import_warnings[0]
    translate_everything(document, translator)
    data = translated_file(document).data
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "上訴駁回。"
    assert "<w:del " not in body_xml(data) and "<w:ins " not in body_xml(data)


def test_editing_one_segment_changes_only_its_paragraph(project, manager, translator):
    from lxml import etree

    original = formatted_judgment()
    document = imported(project, manager, original)
    segment = document.segments.get(source="The appeal is dismissed.")
    do_save_target(
        segment, user=translator, role="translator", text="上訴駁回。", base_version=0,
        action="confirm",
    )  # fmt: skip

    data = translated_file(document).data

    def parts(package):
        archive = zipfile.ZipFile(io.BytesIO(package))
        return {
            name: etree.tostring(etree.fromstring(archive.read(name)), method="c14n")
            for name in archive.namelist()
            if name.endswith(".xml") or name.endswith(".rels")
        }

    before, after = parts(original), parts(data)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {"word/document.xml", "word/styles.xml"}  # the text, and its language
    old_body = etree.fromstring(before["word/document.xml"])
    new_body = etree.fromstring(after["word/document.xml"])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    old_paragraphs = [etree.tostring(p, encoding="unicode") for p in old_body.iter(f"{w}p")]
    new_paragraphs = [etree.tostring(p, encoding="unicode") for p in new_body.iter(f"{w}p")]
    differing = [
        i for i, (a, b) in enumerate(zip(old_paragraphs, new_paragraphs, strict=True)) if a != b
    ]
    assert len(differing) == 1
    assert "上訴駁回。" in new_paragraphs[differing[0]]
    assert "<w:commentReference" in new_paragraphs[differing[0]]  # the comment stays


def test_an_original_that_no_longer_reads_the_same_is_refused_not_guessed(
    client_for, project, manager, translator
):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from workbench.documents.importers.base import ImportRejected

    document = imported(project, manager)
    translate_everything(document, translator)
    other = docx.Document()
    other.add_paragraph("A different judgment altogether.")
    document.original_file.save("judgment.docx", ContentFile(saved(other)))

    with pytest.raises(ImportRejected, match="no longer reads as it did when it was imported"):
        translated_file(document)
    response = client_for(manager).get(
        reverse("document_translated", args=[project.slug, document.pk]), follow=True
    )
    assert "no longer reads as it did when it was imported" in response.content.decode()
