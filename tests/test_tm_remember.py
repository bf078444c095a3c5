"""Approved segments go into the project's memory, through the lifecycle's events: a
reopened segment's unit is demoted, a sent-back one's withdrawn and never offered."""

import pytest

from workbench.documents.models import Document, Segment
from workbench.memory.lookup import lookup
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory, remember_segment
from workbench.translation.services import do_reopen, do_save_target, do_send_back


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


def test_approving_a_segment_remembers_it(document, reviewer, project):
    costs = document.segments.get(position=3)
    do_save_target(
        costs, user=reviewer, role="reviewer", text="訟費。", base_version=0, action="approve"
    )
    unit = project_memory(project).units.get(segment=costs)
    assert (unit.target, unit.quality) == ("訟費。", "approved")


def test_reopening_demotes_the_unit_and_approving_again_restores_it(document, reviewer, project):
    second = document.segments.get(position=2)
    unit = remember_segment(second, reviewer)

    do_reopen(second, user=reviewer, role="reviewer", reason="Use the court's wording.")
    unit.refresh_from_db()
    assert unit.quality == "translated"

    second.refresh_from_db()
    do_save_target(
        second,
        user=reviewer,
        role="reviewer",
        text="駁回上訴。",
        base_version=second.version,
        action="approve",
    )
    unit.refresh_from_db()
    assert (unit.target, unit.quality) == ("駁回上訴。", "approved")
    assert TranslationUnit.objects.count() == 1


def test_sending_back_withdraws_the_unit_and_lookup_never_offers_it(document, reviewer, project):
    second = document.segments.get(position=2)
    unit = remember_segment(second, reviewer)

    do_send_back(second, user=reviewer, role="reviewer", text="Wrong verb.")

    unit.refresh_from_db()
    assert unit.quality == "withdrawn"
    assert lookup("The appeal is dismissed.", project) == []


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
