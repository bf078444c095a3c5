"""Translation memories and bilingual files from OmegaT, Trados and memoQ, and the
workbench's own exports, import into a memory: inline codes are left out so units
match on their text, and untranslated units are skipped and counted."""

import io

import pytest

from tests import files_cat
from workbench.documents.services import import_document
from workbench.feedback.exports import Corpus, export_corpus
from workbench.memory.services import project_memory
from workbench.memory.tm_io import MemoryImportRejected, import_memory_file


@pytest.fixture
def memory(project):
    return project_memory(project)


def pairs(memory):
    return sorted(memory.units.values_list("source", "target"))


def run_import(memory, data, filename):
    return import_memory_file(memory, io.BytesIO(data), filename)


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (
            files_cat.OMEGAT_TMX,
            "project_save.tmx",
            [
                ("Costs follow the event.", "訟費依循結果。"),
                ("The appellant appealed.", "上訴人提出上訴。"),
            ],
        ),
        (
            files_cat.TRADOS_TMX,
            "HK judgments.tmx",
            [("See HKSAR v Chan and section 4.", "見香港特別行政區訴陳及第4條。")],
        ),
        (
            files_cat.MEMOQ_TMX,
            "HK judgments.tmx",
            [("The appellant relied on s. 4.", "上訴人依據第4條。")],
        ),
    ],
    ids=["omegat", "trados", "memoq"],
)
def test_it_imports_each_tools_tmx_skipping_the_untranslated_unit(memory, data, filename, expected):
    result = run_import(memory, data, filename)

    assert pairs(memory) == expected
    assert (result.added, result.skipped) == (len(expected), 1)


@pytest.mark.parametrize(
    ("data", "filename", "added", "skipped"),
    [
        (files_cat.SDLXLIFF, "judgment.docx.sdlxliff", 4, 1),
        (files_cat.MQXLIFF, "judgment_zho-HK.mqxliff", 5, 1),
        (files_cat.OKAPI_XLIFF, "judgment.html.xlf", 4, 1),
        (files_cat.MATECAT_XLIFF_2, "judgment.docx.xlf", 3, 1),
    ],
    ids=["sdlxliff", "mqxliff", "okapi", "matecat-2.0"],
)
def test_it_imports_each_tools_bilingual_file_segment_by_segment(
    memory, data, filename, added, skipped
):
    result = run_import(memory, data, filename)

    assert (result.added, result.skipped) == (added, skipped)
    assert ("The appellant appealed.", "上訴人提出上訴。") in pairs(memory)


def test_a_trados_file_gives_one_unit_per_sentence_not_per_paragraph(memory):
    run_import(memory, files_cat.SDLXLIFF, "judgment.docx.sdlxliff")

    assert ("The appeal is dismissed.", "上訴駁回。") in pairs(memory)
    assert not memory.units.filter(source__contains="appealed. The appeal").exists()


def test_a_tmx_that_declares_entities_is_still_refused(memory):
    data = files_cat.OMEGAT_TMX.replace(
        b'<!DOCTYPE tmx SYSTEM "tmx11.dtd">',
        b'<!DOCTYPE tmx SYSTEM "tmx11.dtd" [<!ENTITY % remote SYSTEM "http://x/y"> %remote;]>',
    )

    with pytest.raises(MemoryImportRejected, match="declares entities"):
        run_import(memory, data, "project_save.tmx")
    assert memory.units.count() == 0


def test_a_file_with_nothing_translated_is_refused_saying_so(memory):
    data = (
        files_cat.TRADOS_TMX.replace("見".encode(), b"")
        .replace("香港特別行政區訴陳".encode(), b"")
        .replace("及第4條。".encode(), b"")
    )

    with pytest.raises(MemoryImportRejected, match="no translated units"):
        run_import(memory, data, "HK judgments.tmx")


@pytest.mark.parametrize("export_format", ["tmx", "xliff", "xliff2"])
def test_the_workbenchs_own_export_with_untranslated_segments_reimports(
    project, manager, memory, export_format
):
    document = import_document(
        project, data=files_cat.SDLXLIFF, filename="judgment.docx.sdlxliff", user=manager
    )
    corpus = Corpus(
        project, document=document, statuses=["new", "drafted", "translated", "approved"]
    )
    out = io.BytesIO()
    export_corpus(corpus, export_format, out)
    extension = {"tmx": "tmx", "xliff": "xlf", "xliff2": "xlf"}[export_format]

    result = run_import(memory, out.getvalue(), f"export.{extension}")

    assert (result.added, result.skipped) == (4, 1)
    assert ("The appellant appealed.", "上訴人提出上訴。") in pairs(memory)
