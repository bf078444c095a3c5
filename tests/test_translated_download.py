""" "Download translated file": every imported document goes back in its own format (a
PDF as a Word file), for managers only, untranslated segments keeping their source."""

import io

import docx
from django.conf import settings
from django.urls import reverse

from tests import files_cat
from tests.files_pdf import JUDGMENT, pdf_bytes
from workbench.documents.services import import_document
from workbench.documents.translated import translated_file
from workbench.translation.services import do_save_target


def translate_first(document, user, text):
    segment = document.segments.get(position=1)
    do_save_target(segment, user=user, role="translator", text=text, base_version=segment.version)


def test_a_manager_downloads_the_translated_trados_file(client_for, manager, translator, project):
    document = import_document(
        project, data=files_cat.SDLXLIFF, filename="judgment.docx.sdlxliff", user=manager
    )
    url = reverse("document_translated", args=[project.slug, document.pk])

    page = client_for(manager).get(reverse("document_detail", args=[project.slug, document.pk]))
    response = client_for(manager).get(url)

    assert "Download translated file" in page.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-xliff+xml"
    assert 'filename="judgment.docx.sdlxliff"' in response["Content-Disposition"]
    assert response["X-Untranslated-Segments"] == "1"
    assert b'conf="ApprovedSignOff"' in response.content
    assert client_for(translator).get(url).status_code == 403


def test_a_pdf_gives_a_translated_word_file(project, manager, translator):
    document = import_document(
        project, data=pdf_bytes(JUDGMENT), filename="judgment.pdf", user=manager
    )
    translate_first(document, translator, "香港特別行政區高等法院")

    translated = translated_file(document)

    assert translated.filename == "judgment.zh-Hant-HK.docx"
    word = docx.Document(io.BytesIO(translated.data))
    assert word.paragraphs[0].text.startswith("香港特別行政區高等法院")
    assert any("The appeal is dismissed." in p.text for p in word.paragraphs)
    lang = (
        word.paragraphs[0]
        .runs[0]
        ._r.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang")
    )
    assert (
        lang.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "zh-HK"
    )


def test_a_text_file_goes_back_as_text(project, manager, translator):
    data = b"1. The appeal is dismissed.\n\n2. Costs follow the event.\n"
    document = import_document(project, data=data, filename="ruling.txt", user=manager)
    translate_first(document, translator, "上訴駁回。")

    translated = translated_file(document)

    assert translated.filename == "ruling.zh-Hant-HK.txt"
    assert translated.data.decode() == "1. 上訴駁回。\n\n2. Costs follow the event.\n"


def test_the_demo_judgment_goes_back_as_itself_in_chinese(project, manager, translator):
    original = (
        settings.BASE_DIR / "workbench" / "demo" / "hk_judgment_facc_2024.docx"
    ).read_bytes()
    document = import_document(project, data=original, filename="judgment.docx", user=manager)
    for segment in document.segments.order_by("position")[:5]:
        do_save_target(
            segment, user=translator, role="translator", text="中文譯文。",
            base_version=segment.version,
        )  # fmt: skip

    data = translated_file(document).data

    before, after = docx.Document(io.BytesIO(original)), docx.Document(io.BytesIO(data))
    assert len(after.paragraphs) == len(before.paragraphs)
    assert len(after.tables) == len(before.tables)
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]
    assert [s.header.paragraphs[0].text for s in after.sections] == [
        s.header.paragraphs[0].text for s in before.sections
    ]
    assert sum("中文譯文。" in p.text for p in after.paragraphs) >= 1
    untouched = [p.text for p in before.paragraphs][-1]
    assert [p.text for p in after.paragraphs][-1] == untouched
