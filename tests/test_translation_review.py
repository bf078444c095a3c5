"""The reviewer's work: approve, send back, and bulk approve of a filtered set."""

import pytest
from django.core.exceptions import PermissionDenied

from workbench.documents.models import Document, Segment
from workbench.memory.models import TranslationUnit
from workbench.translation.forms import SegmentFilter
from workbench.translation.models import Annotation, Comment
from workbench.translation.services import (
    EditRefused,
    do_bulk_approve,
    do_save_target,
    do_send_back,
)


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


def test_sending_back_an_approved_segment_makes_it_translated_with_a_comment(document, reviewer):
    segment = document.segments.get(position=1)
    do_save_target(
        segment, user=reviewer, role="reviewer", text="上訴駁回。", base_version=0, action="approve"
    )

    do_send_back(segment, user=reviewer, role="reviewer", text="Use 駁回上訴 here.")

    segment.refresh_from_db()
    assert (segment.status, segment.version) == ("translated", 2)
    comment = Comment.objects.get(segment=segment)
    assert comment.is_send_back and comment.text == "Use 駁回上訴 here."
    assert segment.revisions.order_by("-pk").first().new_status == "translated"


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

    result = do_bulk_approve(document.segments.all(), user=reviewer, role="reviewer")

    statuses = dict(document.segments.values_list("position", "status"))
    assert statuses == {1: "approved", 2: "approved", 3: "translated", 4: "drafted"}
    assert result.approved == 2
    assert result.not_confirmed == 1
    assert result.refused == [
        (3, "open critical number or date issue: The date of conviction is missing.")
    ]
    approved = document.segments.get(position=1)
    assert approved.version == 1
    assert approved.revisions.get().author == reviewer


def test_bulk_approve_works_on_the_filtered_segments_only(document, reviewer):
    filters = SegmentFilter({"q": "costs"})

    result = do_bulk_approve(filters.segments(document, reviewer), user=reviewer, role="reviewer")

    assert result.approved == 1
    assert list(document.segments.filter(status="approved").values_list("position", flat=True)) == [
        2
    ]


def test_a_translator_cannot_bulk_approve(document, translator):
    with pytest.raises(PermissionDenied):
        do_bulk_approve(document.segments.all(), user=translator, role="translator")
    assert not document.segments.filter(status="approved").exists()
