"""A file in another language or script than the project's pair is refused, naming
what was found, and leaves nothing behind."""

import pytest

from agents.languages import detect, expected_script, text_mismatch
from tests.conftest import stored_files
from tests.files_xliff import trans_unit, xliff_1_2
from workbench.documents.importers.base import ImportRejected
from workbench.documents.models import Document
from workbench.documents.services import import_document

TRADITIONAL = "上訴人不服原審判決，提出上訴。本院裁定上訴駁回，訟費由上訴人支付。"
SIMPLIFIED = "上诉人不服原审判决，提出上诉。本院裁定上诉驳回，讼费由上诉人支付。"
ENGLISH = (
    "The appellant was convicted of robbery and appealed against his conviction. The "
    "Court of Appeal dismissed the appeal, holding that the judge had directed the jury "
    "correctly on joint enterprise and that the verdict was not unsafe or unsatisfactory."
)
FRENCH = (
    "L'appelant a été déclaré coupable de vol qualifié et a interjeté appel de sa "
    "condamnation. La Cour d'appel a rejeté l'appel, estimant que le juge avait donné au "
    "jury des directives correctes et que le verdict n'était ni dangereux ni insatisfaisant."
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (TRADITIONAL, ("zh", "Hant")),
        (SIMPLIFIED, ("zh", "Hans")),
        (ENGLISH, ("en", "Latn")),
        (FRENCH, ("fr", "Latn")),
        ("Appeal dismissed.", ("", "")),  # too little to tell
    ],
)
def test_it_detects_language_and_script(text, found):
    assert detect(text) == found


@pytest.mark.parametrize(
    ("tag", "script"),
    [("zh-Hant-HK", "Hant"), ("zh-HK", "Hant"), ("zh-CN", "Hans"), ("zh", "Hani"), ("en", "Latn")],
)
def test_it_knows_the_script_a_tags_text_should_be_in(tag, script):
    assert expected_script(tag) == script


def test_simplified_text_does_not_pass_for_traditional():
    assert text_mismatch(SIMPLIFIED, "zh-Hant-HK") == "is written in Simplified Chinese"
    assert text_mismatch(TRADITIONAL, "zh-Hant-HK") == ""
    assert text_mismatch(TRADITIONAL, "zh") == ""


def test_it_refuses_a_chinese_text_file_in_an_english_source_project(project, manager, media_root):
    with pytest.raises(ImportRejected) as refused:
        import_document(project, data=TRADITIONAL.encode(), filename="判決.txt", user=manager)

    assert str(refused.value).startswith(
        "The file's text is written in Traditional Chinese, but this project translates "
        "en → zh-Hant-HK"
    )
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_it_refuses_a_french_file_in_an_english_source_project(project, manager):
    with pytest.raises(ImportRejected, match=r"The file's text reads as French \(fr\)"):
        import_document(project, data=FRENCH.encode(), filename="arret.txt", user=manager)


def test_it_refuses_simplified_chinese_in_a_traditional_chinese_project(zh_project, manager):
    with pytest.raises(ImportRejected, match="written in Simplified Chinese"):
        import_document(zh_project, data=SIMPLIFIED.encode(), filename="判决.txt", user=manager)


def test_it_refuses_an_xliff_declared_simplified_for_a_traditional_project(project, manager):
    data = xliff_1_2(
        trans_unit("1", "The appeal is dismissed.", "上诉驳回。", state="translated"),
        target_language="zh-CN",
    )

    with pytest.raises(ImportRejected) as refused:
        import_document(project, data=data, filename="judgment.xlf", user=manager)

    assert "The file's target language is zh-CN, but this project translates en → zh-Hant-HK" in (
        str(refused.value)
    )
    assert not Document.objects.exists()


def test_it_refuses_simplified_translations_under_a_traditional_label(project, manager):
    units = [
        trans_unit(str(n), f"The appeal number {n} is dismissed.", SIMPLIFIED, "translated")
        for n in range(3)
    ]
    data = xliff_1_2(*units, target_language="zh-HK")

    with pytest.raises(ImportRejected, match="translated text is written in Simplified Chinese"):
        import_document(project, data=data, filename="judgment.xlf", user=manager)
