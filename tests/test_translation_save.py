"""do_save_target: a person's save, confirm and restore, with the version check,
the revision it writes, the machine text it records and auto-propagation."""

import pytest
from django.core.exceptions import PermissionDenied

from workbench.documents.models import Document, Revision, Segment
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory
from workbench.translation.models import Suggestion
from workbench.translation.services import (
    EditRefused,
    StaleVersion,
    do_restore,
    do_save_target,
    next_to_review,
    next_unconfirmed,
)

SOURCES = [
    "The appeal is dismissed.",
    "The appellant was convicted on 3 May 2023.",
    "The appeal is dismissed.",
    "Costs to the respondent.",
]


def make_document(project, sources=SOURCES):
    document = Document.objects.create(
        project=project,
        title="FACC 1/2024",
        original_filename="judgment.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=position,
            source=source,
            source_hash=Segment.hash_source(source),
        )
        for position, source in enumerate(sources, start=1)
    )
    return document


def draft(segment, text, origin="agent"):
    """Write a machine draft the way the agents do, with its revision."""
    segment.target, segment.status, segment.draft_origin = text, "drafted", origin
    segment.version += 1
    segment.save()
    Revision.objects.create(
        segment=segment,
        origin=Revision.Origin.AGENT,
        agent_role="translator",
        model_name="qwen-legal",
        prompt_version="t-3",
        new_target=text,
        new_status="drafted",
        version=segment.version,
    )
    return segment


@pytest.fixture
def document(project):
    return make_document(project)


def segment_at(document, position):
    return document.segments.get(position=position)


def test_it_saves_the_text_as_a_persons_draft(document, translator):
    segment = segment_at(document, 1)

    saved = do_save_target(
        segment, user=translator, role="translator", text="上訴駁回。", base_version=0
    )

    segment.refresh_from_db()
    assert saved.changed
    assert (segment.target, segment.status, segment.version) == ("上訴駁回。", "drafted", 1)
    assert segment.draft_origin == Segment.DraftOrigin.PERSON
    assert not segment.machine_writable


def test_it_writes_a_revision_with_old_and_new_text(document, translator):
    segment = draft(segment_at(document, 1), "上訴被駁回")

    do_save_target(
        segment,
        user=translator,
        role="translator",
        text="上訴駁回。",
        base_version=1,
        action="confirm",
        seconds_spent="42",
    )

    revision = segment.revisions.filter(origin="person").get()
    assert revision.author == translator
    assert (revision.old_target, revision.new_target) == ("上訴被駁回", "上訴駁回。")
    assert (revision.old_status, revision.new_status, revision.version) == (
        "drafted",
        "translated",
        2,
    )
    assert revision.seconds_spent == 42


def test_it_records_the_agent_draft_the_person_started_from(document, translator):
    segment = draft(segment_at(document, 1), "上訴被駁回")

    do_save_target(segment, user=translator, role="translator", text="上訴駁回。", base_version=1)

    revision = segment.revisions.get(origin="person")
    assert revision.machine_text == "上訴被駁回"
    assert revision.machine_origin == {
        "kind": "agent",
        "role": "translator",
        "model": "qwen-legal",
        "prompt_version": "t-3",
    }


def test_it_records_an_inserted_suggestion_as_the_machine_text(document, translator):
    segment = draft(segment_at(document, 1), "上訴被駁回")
    suggestion = Suggestion.objects.create(
        segment=segment,
        kind="revision",
        text="本上訴駁回",
        agent_role="proofreader",
        model_name="qwen-legal",
        prompt_version="p-2",
        round=1,
    )

    do_save_target(
        segment,
        user=translator,
        role="translator",
        text="本上訴駁回。",
        base_version=1,
        started_from=f"suggestion:{suggestion.pk}",
    )

    revision = segment.revisions.get(origin="person")
    assert revision.machine_text == "本上訴駁回"
    assert revision.machine_origin["suggestion"] == "revision"
    assert revision.machine_origin["role"] == "proofreader"


def test_it_records_an_inserted_tm_match_only_from_the_projects_memories(
    document, project, zh_project, translator
):
    unit = TranslationUnit.objects.create(
        memory=project_memory(project),
        source="The appeal is dismissed.",
        target="上訴駁回。",
        origin="import",
        quality="approved",
    )
    stranger = TranslationUnit.objects.create(
        memory=project_memory(zh_project),
        source="x",
        target="秘密",
        origin="import",
        quality="approved",
    )
    first, second = segment_at(document, 1), segment_at(document, 4)

    do_save_target(
        first,
        user=translator,
        role="translator",
        text="上訴駁回。",
        base_version=0,
        started_from=f"tm:{unit.pk}:100",
    )
    do_save_target(
        second,
        user=translator,
        role="translator",
        text="訟費歸答辯人。",
        base_version=0,
        started_from=f"tm:{stranger.pk}:90",
    )

    assert first.revisions.get().machine_origin == {"kind": "tm", "unit": unit.pk, "percent": 100}
    assert second.revisions.get().machine_text == ""


def test_a_second_save_keeps_the_machine_text_of_the_first(document, translator):
    segment = draft(segment_at(document, 1), "上訴被駁回")
    do_save_target(segment, user=translator, role="translator", text="上訴駁", base_version=1)

    do_save_target(segment, user=translator, role="translator", text="上訴駁回。", base_version=2)

    latest = segment.revisions.filter(origin="person").order_by("-pk").first()
    assert latest.machine_text == "上訴被駁回"


def test_it_refuses_a_stale_save_and_changes_nothing(document, translator, reviewer):
    segment = segment_at(document, 1)
    do_save_target(segment, user=reviewer, role="reviewer", text="上訴駁回。", base_version=0)

    with pytest.raises(StaleVersion) as stale:
        do_save_target(segment, user=translator, role="translator", text="駁回", base_version=0)

    segment.refresh_from_db()
    assert stale.value.segment.target == "上訴駁回。"
    assert (segment.target, segment.version) == ("上訴駁回。", 1)
    assert segment.revisions.count() == 1


def test_a_save_that_changes_nothing_writes_nothing(document, translator):
    segment = draft(segment_at(document, 1), "上訴駁回。")

    saved = do_save_target(
        segment, user=translator, role="translator", text="上訴駁回。", base_version=1
    )

    segment.refresh_from_db()
    assert not saved.changed
    assert (segment.version, segment.status, segment.draft_origin) == (1, "drafted", "agent")


@pytest.mark.parametrize(
    "text",
    ["上訴 \u27e61 駁回", "上訴 1\u27e7 駁回", "上訴 \u27e6/1 駁回", "上訴 \u27e6\u27e7 駁回"],
)
def test_it_refuses_a_broken_tag(project, translator, text):
    document = make_document(project, ["The \u27e61\u27e7appeal\u27e6/1\u27e7 is dismissed."])
    segment = segment_at(document, 1)

    with pytest.raises(EditRefused, match="broken tag"):
        do_save_target(segment, user=translator, role="translator", text=text, base_version=0)

    segment.refresh_from_db()
    assert (segment.target, segment.version) == ("", 0)


def test_it_accepts_a_missing_tag_which_qa_reports_instead(project, translator):
    document = make_document(project, ["The \u27e61\u27e7appeal\u27e6/1\u27e7 is dismissed."])
    segment = segment_at(document, 1)

    do_save_target(segment, user=translator, role="translator", text="上訴駁回。", base_version=0)

    segment.refresh_from_db()
    assert segment.target == "上訴駁回。"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("上訴\u202e駁回", "control character U\\+202E"),
        ("上訴\x00駁回", "control character U\\+0000"),
        ("上" * 20_001, "20,001 characters"),
    ],
)
def test_it_refuses_hostile_text(document, translator, text, message):
    segment = segment_at(document, 1)

    with pytest.raises(EditRefused, match=message):
        do_save_target(segment, user=translator, role="translator", text=text, base_version=0)

    assert Segment.objects.get(pk=segment.pk).version == 0


def test_it_refuses_to_confirm_an_empty_translation(document, translator):
    with pytest.raises(EditRefused, match="no translation to confirm"):
        do_save_target(
            segment_at(document, 1),
            user=translator,
            role="translator",
            text="  ",
            base_version=0,
            action="confirm",
        )


def test_it_refuses_an_unknown_action(document, translator):
    with pytest.raises(EditRefused, match="cannot “publish”"):
        do_save_target(
            segment_at(document, 1),
            user=translator,
            role="translator",
            text="上訴駁回。",
            base_version=0,
            action="publish",
        )


def test_a_translator_cannot_approve(document, translator):
    with pytest.raises(PermissionDenied):
        do_save_target(
            segment_at(document, 1),
            user=translator,
            role="translator",
            text="上訴駁回。",
            base_version=0,
            action="approve",
        )


def test_confirming_propagates_to_identical_untouched_segments(document, translator):
    first, twin = segment_at(document, 1), draft(segment_at(document, 3), "上訴被駁回")

    saved = do_save_target(
        first,
        user=translator,
        role="translator",
        text="上訴駁回。",
        base_version=0,
        action="confirm",
    )

    twin.refresh_from_db()
    assert saved.propagated == [twin.pk]
    assert (twin.target, twin.status, twin.draft_origin, twin.version) == (
        "上訴駁回。",
        "translated",
        "propagation",
        2,
    )
    revision = twin.revisions.get(origin="propagation")
    assert (revision.old_target, revision.new_target, revision.version) == (
        "上訴被駁回",
        "上訴駁回。",
        2,
    )


def test_propagation_leaves_segments_a_person_touched(document, translator, reviewer):
    first, twin = segment_at(document, 1), segment_at(document, 3)
    do_save_target(twin, user=reviewer, role="reviewer", text="上訴應予駁回", base_version=0)

    saved = do_save_target(
        first,
        user=translator,
        role="translator",
        text="上訴駁回。",
        base_version=0,
        action="confirm",
    )

    twin.refresh_from_db()
    assert saved.propagated == []
    assert (twin.target, twin.draft_origin) == ("上訴應予駁回", Segment.DraftOrigin.PERSON)


def test_propagation_can_be_switched_off(document, project, translator):
    project.auto_propagate = False
    project.save()

    do_save_target(
        segment_at(document, 1),
        user=translator,
        role="translator",
        text="上訴駁回。",
        base_version=0,
        action="confirm",
    )

    assert segment_at(document, 3).target == ""


def test_propagation_skips_a_twin_a_person_has_saved(document, translator, reviewer):
    """The twins are checked again once locked: a person's unconfirmed text stands."""
    twin = segment_at(document, 3)
    do_save_target(twin, user=reviewer, role="reviewer", text="駁回上訴。", base_version=0)

    saved = do_save_target(
        segment_at(document, 1),
        user=translator,
        role="translator",
        text="上訴駁回。",
        base_version=0,
        action="confirm",
    )

    twin.refresh_from_db()
    assert saved.propagated == []
    assert (twin.target, twin.version, twin.draft_origin) == ("駁回上訴。", 1, "person")
    assert twin.revisions.count() == 1


def test_next_unconfirmed_is_the_next_new_or_drafted_segment_wrapping_round(document, translator):
    first, second = segment_at(document, 1), segment_at(document, 2)
    do_save_target(
        second,
        user=translator,
        role="translator",
        text="上訴人於2023年5月3日被定罪。",
        base_version=0,
        action="confirm",
    )

    assert next_unconfirmed(first).position == 3
    Segment.objects.filter(document=document, position__gt=2).update(status="translated")
    assert next_unconfirmed(segment_at(document, 4)).position == 1
    Segment.objects.filter(document=document).update(status="approved")
    assert next_unconfirmed(first) is None


def test_next_to_review_is_the_next_confirmed_segment_wrapping_round(document):
    Segment.objects.filter(document=document, position__in=[1, 3]).update(status="translated")

    assert next_to_review(segment_at(document, 1)).position == 3
    assert next_to_review(segment_at(document, 3)).position == 1
    Segment.objects.filter(document=document).update(status="approved")
    assert next_to_review(segment_at(document, 1)) is None


def test_restore_is_a_save_of_the_old_text_against_the_current_version(document, translator):
    segment = draft(segment_at(document, 1), "上訴被駁回")
    do_save_target(segment, user=translator, role="translator", text="上訴駁回。", base_version=1)
    machine_revision = segment.revisions.get(origin="agent")

    do_restore(machine_revision, user=translator, role="translator", base_version=2)

    segment.refresh_from_db()
    assert (segment.target, segment.version) == ("上訴被駁回", 3)
    assert segment.revisions.order_by("-pk").first().origin == "person"
    with pytest.raises(StaleVersion):
        do_restore(machine_revision, user=translator, role="translator", base_version=2)
