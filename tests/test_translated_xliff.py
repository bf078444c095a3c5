"""Files from Trados, memoQ, Okapi and MateCat come in with their segmentation, statuses,
locks, inline codes and notes, and go back out as the same file with the work filled in:
valid against the official schema, readable by translate-toolkit, and different from
the original only where a person changed a segment."""

import pytest
from lxml import etree
from translate.storage.xliff import Xliff1File
from translate.storage.xliff2 import Xliff2File

from tests import files_cat
from tests.xliff_schemas import schema_errors
from workbench.documents import lifecycle
from workbench.documents.services import import_document
from workbench.documents.translated import translated_file
from workbench.translation.services import do_save_target

XLIFF_1_2 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_2_0 = "urn:oasis:names:tc:xliff:document:2.0"
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
NS = {"x": XLIFF_1_2, "x2": XLIFF_2_0, "sdl": SDL}


def edited_sdl(root):
    """The marker of segment 4 in the target, and its Trados status."""
    unit = root.findall(".//x:trans-unit", NS)[2]
    return [
        (unit.find("x:target/x:mrk[@mid='4']", NS), "subtree"),
        (unit.find(".//sdl:seg[@id='4']", NS), "self"),
    ]


def edited_memoq(root):
    unit = root.find(".//x:trans-unit[@id='4']", NS)
    return [(unit.find("x:target", NS), "subtree"), (unit, "self")]


def edited_okapi(root):
    unit = root.find(".//x:trans-unit[@id='4']", NS)
    return [(unit.find("x:target", NS), "subtree")]


def edited_matecat(root):
    segment = root.find(".//x2:segment[@id='s3']", NS)
    return [(segment.find("x2:target", NS), "subtree"), (segment, "self")]


CASES = {
    "sdlxliff": (
        files_cat.SDLXLIFF,
        "judgment.docx.sdlxliff",
        files_cat.SDLXLIFF_SEGMENTS,
        4,
        "⟦1⟧訟費⟦/1⟧由答辯人支付。",
        "1.2-transitional",
        edited_sdl,
    ),
    "mqxliff": (
        files_cat.MQXLIFF,
        "judgment_zho-HK.mqxliff",
        files_cat.MQXLIFF_SEGMENTS,
        4,
        "訟費由答辯人支付。",
        "1.2-transitional",
        edited_memoq,
    ),
    "okapi": (
        files_cat.OKAPI_XLIFF,
        "judgment.html.xlf",
        files_cat.OKAPI_SEGMENTS,
        4,
        "訟費由答辯人支付。",
        "1.2-transitional",
        edited_okapi,
    ),
    "matecat-2.0": (
        files_cat.MATECAT_XLIFF_2,
        "judgment.docx.xlf",
        files_cat.MATECAT_SEGMENTS,
        3,
        "⟦1⟧訟費⟦2⟧由答辯人支付。",
        "2.0",
        edited_matecat,
    ),
}


def imported(project, manager, case):
    data, filename = CASES[case][:2]
    return import_document(project, data=data, filename=filename, user=manager)


def changed_elements(before, after):
    """The elements of `before` whose name, attributes, text or tail differ in `after`
    (the two trees have the same shape where nothing was added)."""
    old, new = list(before.iter()), list(after.iter())
    assert len(old) == len(new), "the translated file gained or lost elements"
    return [
        a
        for a, b in zip(old, new, strict=True)
        if a.tag != b.tag
        or dict(a.attrib) != dict(b.attrib)
        or (a.text or "") != (b.text or "")
        or (a.tail or "") != (b.tail or "")
    ]


@pytest.mark.parametrize("case", CASES)
def test_it_imports_the_tools_segments_statuses_locks_and_tags(project, manager, case):
    document = imported(project, manager, case)

    segments = document.segments.order_by("position")
    assert [(s.source, s.target, s.status, s.locked) for s in segments] == CASES[case][2]
    assert all(s.draft_origin == ("import" if s.target else "") for s in segments)


@pytest.mark.parametrize("case", CASES)
def test_imported_tags_raise_no_tag_warning(project, manager, case):
    from workbench.documents.placeholders import check_tokens

    document = imported(project, manager, case)

    for segment in document.segments.exclude(target=""):
        assert check_tokens(segment.source, segment.target) == [], segment.source


@pytest.mark.parametrize("case", CASES)
def test_the_agents_never_write_over_imported_translations_or_locks(project, manager, case):
    document = imported(project, manager, case)
    segments = list(document.segments.order_by("position"))

    written = lifecycle.write_drafts({s.pk: (s.version, "機器譯文。") for s in segments})

    writable = {s.pk for s in segments if s.status in ("new", "drafted") and not s.locked}
    assert set(written) == writable
    for segment in document.segments.exclude(pk__in=writable):
        assert segment.target != "機器譯文。"


@pytest.mark.parametrize("case", CASES)
def test_it_round_trips_with_only_the_edited_segment_changed(project, manager, translator, case):
    data, filename, _, position, text, schema, edited = CASES[case]
    document = imported(project, manager, case)
    segment = document.segments.get(position=position)
    do_save_target(
        segment, user=translator, role="translator", text=text, base_version=segment.version,
        action="confirm",
    )  # fmt: skip

    translated = translated_file(document)

    assert translated.filename == filename
    assert schema_errors(translated.data, schema) == []
    before, after = etree.fromstring(data), etree.fromstring(translated.data)
    allowed = edited(before)
    for element in changed_elements(before, after):
        assert any(
            element is place or (scope == "subtree" and place in element.iterancestors())
            for place, scope in allowed
        ), f"{element.tag} changed outside the edited segment"
    store = (Xliff2File if schema == "2.0" else Xliff1File).parsestring(translated.data)
    assert len(store.units) == len(
        (Xliff2File if schema == "2.0" else Xliff1File).parsestring(data).units
    )
    assert any("由答辯人支付" in (unit.target or "") for unit in store.units)
    reimported = import_document(project, data=translated.data, filename=filename, user=manager)
    assert [(s.target, s.status) for s in reimported.segments.order_by("position")] == [
        (s.target, s.status) for s in document.segments.order_by("position")
    ]


def test_an_untranslated_trados_segment_gets_its_target_and_status(project, manager, translator):
    document = imported(project, manager, "sdlxliff")
    segment = document.segments.get(position=5)
    do_save_target(
        segment, user=translator, role="translator", text="可申請作進一步指示。", base_version=0,
        action="confirm",
    )  # fmt: skip

    data = translated_file(document).data

    root = etree.fromstring(data)
    marker = root.find(".//x:target/x:mrk[@mid='5']", NS)
    assert marker.text == "可申請作進一步指示。"
    assert root.find(".//sdl:seg[@id='5']", NS).get("conf") == "Translated"
    assert schema_errors(data, "1.2-transitional") == []


def test_a_trados_comment_becomes_a_note_of_its_segment(project, manager):
    document = imported(project, manager, "sdlxliff")

    assert document.segments.get(position=2).structure["notes"] == [
        "rita: Check the citation against the report."
    ]


def test_the_editor_shows_the_notes_of_the_original_file(client_for, project, manager, translator):
    from django.urls import reverse

    document = imported(project, manager, "mqxliff")
    segment = document.segments.get(position=2)

    page = client_for(translator).get(
        reverse("segment_panel", args=[project.slug, document.pk, segment.pk])
    )

    assert "Notes in the original file" in page.content.decode()
    assert "Wording agreed with the court." in page.content.decode()
