"""Concordance: a phrase across the project's memories and translated segments, on
either side, in English and Chinese, with hit spans for highlighting."""

import pytest

from workbench.documents.models import Document, Segment
from workbench.memory.lookup import concordance
from workbench.memory.services import project_memory


@pytest.fixture
def memory(project):
    memory = project_memory(project)
    memory.units.create(
        source="The Appellant appealed against the appellant's sentence.",
        target="上訴人就其刑罰提出上訴。",
        source_language="en",
        target_language="zh-Hant-HK",
        origin="import",
        quality="translated",
    )
    return memory


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="HCMA 1/2024",
        original_filename="j.txt",
        original_file="x.txt",
        format="txt",
        status="ready",
    )
    rows = [
        ("The appellant was convicted.", "上訴人被定罪。", "approved"),
        ("The appellant 50% of the time.", "上訴人一半時間。", "translated"),
        ("The appellant was drafted by a machine.", "機器草擬。", "drafted"),
        ("The appellant is new.", "", "new"),
    ]
    for position, (source, target, status) in enumerate(rows, start=1):
        Segment.objects.create(
            document=document, position=position, source=source, target=target, status=status
        )
    return document


def test_it_finds_a_phrase_in_memories_and_translated_segments(memory, document, project):
    hits = concordance("APPELLANT", project)
    assert sorted(h.where for h in hits) == ["HCMA 1/2024 #1", "HCMA 1/2024 #2", memory.name]
    unit_hit = next(h for h in hits if h.url_kind == "unit")
    assert unit_hit.source == [
        ("The ", False),
        ("Appellant", True),
        (" appealed against the ", False),
        ("appellant", True),
        ("'s sentence.", False),
    ]
    assert unit_hit.target == [("上訴人就其刑罰提出上訴。", False)]


def test_it_leaves_out_machine_drafts_and_untranslated_segments(document, project):
    wheres = [h.where for h in concordance("appellant", project)]
    assert "HCMA 1/2024 #3" not in wheres and "HCMA 1/2024 #4" not in wheres


def test_it_searches_the_target_side_in_chinese(memory, document, project):
    hits = concordance("上訴人", project, side="target")
    assert len(hits) == 3
    unit_hit = next(h for h in hits if h.url_kind == "unit")
    assert unit_hit.target == [("上訴人", True), ("就其刑罰提出上訴。", False)]
    assert unit_hit.source == [("The Appellant appealed against the appellant's sentence.", False)]


def test_it_searches_chinese_sources_of_a_chinese_project(zh_project):
    memory = project_memory(zh_project)
    memory.units.create(
        source="答辯人的申請被駁回。",
        target="The respondent's application is dismissed.",
        source_language="zh-Hant-HK",
        target_language="en",
        origin="import",
        quality="translated",
    )
    [hit] = concordance("申請", zh_project)
    assert hit.source == [("答辯人的", False), ("申請", True), ("被駁回。", False)]
    [hit] = concordance("application", zh_project, side="target")
    assert ("application", True) in hit.target


def test_it_treats_wildcards_as_plain_text(document, project):
    assert [h.where for h in concordance("50%", project)] == ["HCMA 1/2024 #2"]
    assert concordance("appel_ant", project) == []


def test_it_shows_a_pair_in_a_memory_and_a_segment_once(memory, document, project):
    segment = document.segments.get(position=1)
    memory.units.create(
        source=segment.source,
        target=segment.target,
        source_language="en",
        target_language="zh-Hant-HK",
        origin="approval",
        quality="approved",
    )
    assert len(concordance("convicted", project)) == 1


def test_it_finds_nothing_for_an_empty_query_or_a_bad_side(memory, project):
    assert concordance("   ", project) == []
    assert concordance("appellant", project, side="notes") == []
