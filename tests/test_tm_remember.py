"""Approved segments go into the project's memory; a later change updates their unit."""

import pytest

from workbench.documents.models import Document, Segment
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory, remember_segment, update_remembered_segment


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="Judgment",
        original_filename="j.txt",
        original_file="x.txt",
        format="txt",
        status="ready",
    )
    for position, (source, target, status) in enumerate(
        [
            ("Background.", "背景。", "approved"),
            ("The appeal is dismissed.", "上訴駁回。", "approved"),
            ("Costs.", "", "new"),
        ],
        start=1,
    ):
        Segment.objects.create(
            document=document,
            position=position,
            source=source,
            target=target,
            status=status,
            source_hash=Segment.hash_source(source),
        )
    return document


def test_it_remembers_an_approved_segment_with_its_context(document, reviewer, project):
    first, second, third = document.segments.order_by("position")
    unit = remember_segment(second, reviewer)
    assert (unit.source, unit.target, unit.origin, unit.quality) == (
        "The appeal is dismissed.",
        "上訴駁回。",
        "approval",
        "approved",
    )
    assert (unit.previous_hash, unit.next_hash) == (first.source_hash, third.source_hash)
    assert unit.memory == project_memory(project) and unit.segment == second
    assert unit.created_by == reviewer


def test_it_updates_the_unit_when_the_segment_changes_later(document, reviewer):
    second = document.segments.get(position=2)
    unit = remember_segment(second, reviewer)
    Segment.objects.filter(pk=second.pk).update(target="駁回上訴。", status="translated")
    second.refresh_from_db()
    update_remembered_segment(second, reviewer)
    assert TranslationUnit.objects.count() == 1
    unit.refresh_from_db()
    assert (unit.target, unit.quality, unit.origin) == ("駁回上訴。", "translated", "project")


def test_it_merges_into_a_unit_with_the_same_pair(document, reviewer, project):
    memory = project_memory(project)
    imported = memory.units.create(
        source="The appeal is dismissed.",
        target="上訴駁回。",
        source_language="en",
        target_language="zh-Hant-HK",
        origin="import",
        quality="translated",
    )
    unit = remember_segment(document.segments.get(position=2), reviewer)
    assert unit.pk == imported.pk and memory.units.count() == 1
    assert unit.quality == "approved"


def test_it_keeps_nothing_for_a_segment_without_a_target(document, reviewer):
    assert remember_segment(document.segments.get(position=3), reviewer) is None
    assert not TranslationUnit.objects.exists()


def test_it_leaves_segments_never_remembered_out_of_the_memory(document, reviewer):
    assert update_remembered_segment(document.segments.get(position=1), reviewer) is None
    assert not TranslationUnit.objects.exists()
