"""The reviewer's work: approve, send back, reopen, and bulk approve of what was seen."""

import pytest
from django.core.exceptions import PermissionDenied

from workbench.documents.models import Document, Segment
from workbench.memory.models import TranslationUnit
from workbench.translation.models import Annotation, Comment
from workbench.translation.services import (
    EditRefused,
    do_bulk_approve,
    do_reopen,
    do_save_target,
    do_send_back,
)


def seen(document, **filters):
    """{id: version} of the segments as a reviewer's grid shows them."""
    return dict(document.segments.filter(**filters).values_list("pk", "version"))


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="FACC 1/2024",
        original_filename="judgment.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )
    rows = [
        ("The appeal is dismissed.", "上訴駁回。", "translated"),
        ("Costs to the respondent.", "訟費歸答辯人。", "translated"),
        ("The appellant was convicted.", "上訴人被定罪。", "translated"),
        ("Judgment of the Court.", "法院判決。", "drafted"),
    ]
    for position, (source, target, status) in enumerate(rows, start=1):
        Segment.objects.create(
            document=document,
            position=position,
            source=source,
            target=target,
            status=status,
            source_hash=Segment.hash_source(source),
        )
    return document


def critical_issue(segment):
    return Annotation.objects.create(
        segment=segment,
        source="annotator",
        category="number_date",
        severity="critical",
        span="上訴人",
        explanation="The date of conviction is missing.",
    )


def test_a_reviewer_approves_and_the_memory_keeps_the_text(document, reviewer):
    segment = document.segments.get(position=1)

    do_save_target(
        segment, user=reviewer, role="reviewer", text="上訴駁回。", base_version=0, action="approve"
    )

    segment.refresh_from_db()
    assert (segment.status, segment.version) == ("approved", 1)
    assert segment.revisions.get().new_status == "approved"
    unit = TranslationUnit.objects.get(segment=segment)
    assert (unit.target, unit.quality) == ("上訴駁回。", "approved")


def test_approving_with_an_open_critical_issue_is_refused(document, reviewer):
    segment = document.segments.get(position=3)
    critical_issue(segment)

    with pytest.raises(EditRefused, match="open critical issue"):
        do_save_target(
            segment,
            user=reviewer,
            role="reviewer",
            text="上訴人被定罪。",
            base_version=0,
            action="approve",
        )

    assert Segment.objects.get(pk=segment.pk).status == "translated"


def test_sending_back_an_approved_segment_rejects_it_with_a_comment(document, reviewer):
    segment = document.segments.get(position=1)
    do_save_target(
        segment, user=reviewer, role="reviewer", text="上訴駁回。", base_version=0, action="approve"
    )

    do_send_back(segment, user=reviewer, role="reviewer", text="Use 駁回上訴 here.")

    segment.refresh_from_db()
    assert (segment.status, segment.version) == ("rejected", 2)
    comment = Comment.objects.get(segment=segment)
    assert comment.is_send_back and comment.text == "Use 駁回上訴 here."
    last = segment.revisions.order_by("-pk").first()
    assert (last.new_status, last.reason) == ("rejected", "Use 駁回上訴 here.")


def test_a_rejected_segment_goes_back_to_translated_when_confirmed_again(
    document, reviewer, translator
):
    segment = document.segments.get(position=1)
    do_send_back(segment, user=reviewer, role="reviewer", text="Use 駁回上訴 here.")
    segment.refresh_from_db()

    do_save_target(segment, user=translator, role="translator", text="駁回上訴。", base_version=1)
    segment.refresh_from_db()
    assert segment.status == "rejected"  # saved, not yet confirmed

    do_save_target(
        segment,
        user=translator,
        role="translator",
        text="駁回上訴。",
        base_version=segment.version,
        action="confirm",
    )
    segment.refresh_from_db()
    assert segment.status == "translated"


def test_a_segment_cannot_be_sent_back_twice(document, reviewer):
    segment = document.segments.get(position=1)
    do_send_back(segment, user=reviewer, role="reviewer", text="Use 駁回上訴 here.")
    with pytest.raises(EditRefused, match="sent back already"):
        do_send_back(segment, user=reviewer, role="reviewer", text="Again.")


def test_reopening_needs_a_reviewer_and_a_reason(document, reviewer, translator):
    segment = document.segments.get(position=1)
    do_save_target(
        segment, user=reviewer, role="reviewer", text="上訴駁回。", base_version=0, action="approve"
    )
    with pytest.raises(PermissionDenied):
        do_reopen(segment, user=translator, role="translator", reason="I want to change it.")
    with pytest.raises(EditRefused, match="reason for reopening"):
        do_reopen(segment, user=reviewer, role="reviewer", reason=" ")

    do_reopen(segment, user=reviewer, role="reviewer", reason="The court's wording is 駁回上訴.")

    segment.refresh_from_db()
    assert (segment.status, segment.version) == ("translated", 2)
    assert segment.revisions.order_by("-pk").first().reason == "The court's wording is 駁回上訴."


def test_sending_back_needs_a_reason(document, reviewer):
    with pytest.raises(EditRefused, match="empty"):
        do_send_back(document.segments.get(position=1), user=reviewer, role="reviewer", text=" ")
    assert not Comment.objects.exists()


def test_an_unconfirmed_segment_cannot_be_sent_back(document, reviewer):
    with pytest.raises(EditRefused, match="not confirmed yet"):
        do_send_back(document.segments.get(position=4), user=reviewer, role="reviewer", text="No")


def test_a_translator_cannot_send_back(document, translator):
    with pytest.raises(PermissionDenied):
        do_send_back(
            document.segments.get(position=1), user=translator, role="translator", text="x"
        )


def test_bulk_approve_approves_the_confirmed_and_refuses_critical_ones(document, reviewer):
    critical_issue(document.segments.get(position=3))

    result = do_bulk_approve(document, seen(document), user=reviewer, role="reviewer")

    statuses = dict(document.segments.values_list("position", "status"))
    assert statuses == {1: "approved", 2: "approved", 3: "translated", 4: "drafted"}
    assert len(result.approved) == 2
    assert result.not_confirmed == 1
    assert result.skipped == [
        (3, "open critical number or date issue: The date of conviction is missing.")
    ]
    approved = document.segments.get(position=1)
    assert approved.version == 1
    assert approved.revisions.get().author == reviewer


def test_bulk_approve_approves_only_the_segments_seen(document, reviewer):
    result = do_bulk_approve(document, seen(document, position=2), user=reviewer, role="reviewer")

    assert len(result.approved) == 1
    assert list(document.segments.filter(status="approved").values_list("position", flat=True)) == [
        2
    ]


def test_a_translator_cannot_bulk_approve(document, translator):
    with pytest.raises(PermissionDenied):
        do_bulk_approve(document, seen(document), user=translator, role="translator")
    assert not document.segments.filter(status="approved").exists()
