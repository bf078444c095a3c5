"""The translated Word file tells Word which language its text is in, on every run the
translation wrote and on the styles (document defaults, and every paragraph, character
or table style that names a language), so Word proofs it as that language. Read back
from the XML with python-docx and lxml."""

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from agents.languages import office_language
from tests.conftest import make_project
from tests.files_docx import formatted_judgment, saved
from tests.test_translated_docx import imported, translate_everything
from workbench.documents.services import import_document
from workbench.documents.translated import translated_file
from workbench.documents.translated.docx import RunLanguage, run_language
from workbench.translation.services import do_save_target

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def parts(data):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {
        name: etree.fromstring(archive.read(name))
        for name in archive.namelist()
        if name.startswith("word/") and name.endswith(".xml")
    }


def text_runs(root):
    return [run for run in root.iter(f"{W}r") if "".join(run.itertext()).strip()]


def languages_of(elements):
    return {(lang.get(f"{W}val"), lang.get(f"{W}eastAsia")) for lang in elements}


@pytest.mark.parametrize(
    ("tag", "office"),
    [
        ("zh-Hant-HK", "zh-HK"),
        ("zh-HK", "zh-HK"),
        ("zh-Hant", "zh-TW"),
        ("zh-Hans", "zh-CN"),
        ("zh-Hans-SG", "zh-SG"),
        ("en", "en-US"),
        ("en-GB", "en-GB"),
        ("ja", "ja-JP"),
    ],
)
def test_office_language_ids_have_a_language_and_a_region_and_no_script(tag, office):
    assert office_language(tag) == office


def test_chinese_text_is_proofed_as_chinese_throughout(project, manager, translator):
    document = imported(project, manager)
    translate_everything(document, translator)
    xml = parts(translated_file(document).data)

    body = xml["word/document.xml"]
    written = [
        run
        for run in text_runs(body)
        if any("\u4e00" <= c <= "\u9fff" for c in "".join(run.itertext()))
    ]
    assert len(written) >= 5
    for run in written:
        assert languages_of(run.iter(f"{W}lang")) == {("zh-HK", "zh-HK")}, etree.tostring(run)
    footnotes = [
        run for run in text_runs(xml["word/footnotes.xml"]) if "見" in "".join(run.itertext())
    ]
    assert footnotes and all(
        languages_of(run.iter(f"{W}lang")) == {("zh-HK", "zh-HK")} for run in footnotes
    )
    styles = xml["word/styles.xml"]
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert (defaults.get(f"{W}val"), defaults.get(f"{W}eastAsia")) == ("zh-HK", "zh-HK")
    assert languages_of(styles.iter(f"{W}lang")) == {("zh-HK", "zh-HK")}


def chinese_judgment():
    word = docx.Document()
    quote = word.styles["Quote"].element.get_or_add_rPr()
    lang = quote.makeelement(qn("w:lang"), {qn("w:val"): "zh-HK", qn("w:eastAsia"): "zh-HK"})
    quote.append(lang)
    word.add_paragraph("上訴駁回。")
    word.add_paragraph("訟費由答辯人支付。", style="Quote")
    return saved(word)


@pytest.mark.parametrize(("target", "val"), [("en", "en-US"), ("en-GB", "en-GB")])
def test_an_english_translation_is_proofed_as_english_with_chinese_names_as_the_source(
    manager, translator, target, val
):
    members = [(manager, "manager"), (translator, "translator")]
    project = make_project("zh-en", "Into English", "zh-Hant-HK", target, members)
    document = import_document(
        project, data=chinese_judgment(), filename="judgment.docx", user=manager
    )
    for segment, text in zip(
        document.segments.order_by("position"),
        ["The appeal is dismissed.", "The respondent pays the costs."],
        strict=True,
    ):
        do_save_target(
            segment, user=translator, role="translator", text=text, base_version=0, action="confirm"
        )
    xml = parts(translated_file(document).data)

    runs = text_runs(xml["word/document.xml"])
    assert [("".join(run.itertext())) for run in runs] == [
        "The appeal is dismissed.",
        "The respondent pays the costs.",
    ]
    for run in runs:
        assert languages_of(run.iter(f"{W}lang")) == {(val, "zh-HK")}
    styles = xml["word/styles.xml"]
    assert languages_of(styles.iter(f"{W}lang")) == {(val, "zh-HK")}
    quote = next(style for style in styles.iter(f"{W}style") if style.get(f"{W}styleId") == "Quote")
    assert languages_of(quote.iter(f"{W}lang")) == {(val, "zh-HK")}


def test_the_pair_decides_what_latin_and_chinese_text_are_read_as():
    assert run_language("en", "zh-Hant-HK") == RunLanguage("zh-HK", "zh-HK")
    assert run_language("zh-Hant-HK", "en-GB") == RunLanguage("en-GB", "zh-HK")
    assert run_language("fr", "en-GB") == RunLanguage("en-GB", None)


def test_a_rebuilt_word_file_of_a_pdf_sets_the_language_too(project, manager, translator):
    from workbench.documents.translated.docx import write_rebuilt_docx

    document = imported(project, manager, data=formatted_judgment())
    translate_everything(document, translator)
    xml = parts(write_rebuilt_docx(document, document.segments.order_by("position")))
    runs = text_runs(xml["word/document.xml"])
    assert runs and all(languages_of(run.iter(f"{W}lang")) == {("zh-HK", "zh-HK")} for run in runs)
    defaults = xml["word/styles.xml"].find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert (defaults.get(f"{W}val"), defaults.get(f"{W}eastAsia")) == ("zh-HK", "zh-HK")
