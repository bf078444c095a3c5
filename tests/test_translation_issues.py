"""The Annotator's issues (accept, dismiss), comments, and asking the agents to revise."""

import pytest
from django.core.exceptions import PermissionDenied

from workbench.documents.models import Document, Segment
from workbench.jobs.models import Job
from workbench.jobs.registry import UnknownJobKind, _handlers, handler_for, job_handler
from workbench.translation.models import Annotation, Comment
from workbench.translation.services import (
    EditRefused,
    do_accept_annotation,
    do_add_comment,
    do_ask_revision,
    do_dismiss_annotation,
    do_resolve_comment,
)


@pytest.fixture
def segment(project):
    document = Document.objects.create(
        project=project,
        title="FACC 1/2024",
        original_filename="judgment.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )
    source = "The appellant appealed."
    return Segment.objects.create(
        document=document,
        position=1,
        source=source,
        target="申請人提出上訴。",
        status="drafted",
        version=1,
        source_hash=Segment.hash_source(source),
    )


def issue(segment, severity="major", source="annotator", span="申請人", suggestion="上訴人"):
    return Annotation.objects.create(
        segment=segment,
        source=source,
        category="terminology",
        severity=severity,
        span=span,
        suggestion=suggestion,
        explanation="“appellant” is 上訴人.",
    )


def test_accepting_applies_the_suggestion_to_the_span(segment, translator):
    annotation = issue(segment)

    text = do_accept_annotation(
        annotation, user=translator, role="translator", text="申請人提出上訴。"
    )

    annotation.refresh_from_db()
    assert text == "上訴人提出上訴。"
    assert (annotation.status, annotation.resolved_by) == ("accepted", translator)
    segment.refresh_from_db()
    assert segment.target == "申請人提出上訴。"  # the person saves the applied text


def test_accepting_where_the_span_is_gone_only_marks_it_accepted(segment, translator):
    annotation = issue(segment)

    text = do_accept_annotation(annotation, user=translator, role="translator", text="上訴人上訴。")

    assert text is None
    assert Annotation.objects.get(pk=annotation.pk).status == "accepted"


def test_a_checks_advice_is_not_pasted_into_the_text(segment, translator):
    annotation = issue(segment, source="check", suggestion="Use 上訴人.")

    assert (
        do_accept_annotation(annotation, user=translator, role="translator", text="申請人") is None
    )


def test_an_issue_cannot_be_resolved_twice(segment, translator, reviewer):
    annotation = issue(segment)
    do_dismiss_annotation(annotation, user=reviewer, role="reviewer", reason="Both are right here.")

    with pytest.raises(EditRefused, match="dismissed by rita already"):
        do_accept_annotation(annotation, user=translator, role="translator", text="申請人")


@pytest.mark.parametrize("severity", ["major", "critical"])
def test_dismissing_a_serious_issue_needs_a_reason(segment, translator, severity):
    annotation = issue(segment, severity=severity)

    with pytest.raises(EditRefused, match="Say why"):
        do_dismiss_annotation(annotation, user=translator, role="translator", reason="  ")

    assert Annotation.objects.get(pk=annotation.pk).status == "open"


def test_a_minor_issue_is_dismissed_without_a_reason(segment, translator):
    annotation = issue(segment, severity="minor")

    do_dismiss_annotation(annotation, user=translator, role="translator", reason="")

    assert Annotation.objects.get(pk=annotation.pk).status == "dismissed"


def test_the_reason_is_kept(segment, translator):
    annotation = issue(segment)

    do_dismiss_annotation(
        annotation, user=translator, role="translator", reason="Quoted from the Ordinance."
    )

    annotation.refresh_from_db()
    assert (annotation.status, annotation.dismiss_reason) == (
        "dismissed",
        "Quoted from the Ordinance.",
    )


def test_comments_are_added_and_resolved(segment, translator, reviewer):
    comment = do_add_comment(segment, user=translator, role="translator", text=" Is 上訴人 right? ")

    do_resolve_comment(comment, user=reviewer, role="reviewer")

    comment.refresh_from_db()
    assert comment.text == "Is 上訴人 right?"
    assert (comment.resolved, comment.resolved_by) == (True, reviewer)


@pytest.mark.parametrize(("text", "message"), [("", "empty"), ("x" * 5001, "5,001 characters")])
def test_it_refuses_an_empty_or_huge_comment(segment, translator, text, message):
    with pytest.raises(EditRefused, match=message):
        do_add_comment(segment, user=translator, role="translator", text=text)
    assert not Comment.objects.exists()


def test_an_outsiders_role_cannot_comment(segment, outsider):
    with pytest.raises(PermissionDenied):
        do_add_comment(segment, user=outsider, role=None, text="Hello")


@pytest.fixture
def revise_handler():
    """A stand-in worker for "revise_segment" while its real handler is not written."""
    registered_here = False
    try:
        handler_for("revise_segment")
    except UnknownJobKind:
        job_handler("revise_segment")(lambda job: None)
        registered_here = True
    yield
    if registered_here:
        _handlers.pop("revise_segment", None)


def test_asking_for_a_revision_queues_a_job(segment, translator, settings, revise_handler):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"

    job = do_ask_revision(segment, user=translator, role="translator", instruction="use 上訴人")

    job.refresh_from_db()
    assert job.kind == "revise_segment"
    assert job.params == {"segment_id": segment.pk, "instruction": "use 上訴人"}
    assert (job.document, job.created_by) == (segment.document, translator)


def test_it_does_not_queue_without_a_model_endpoint(segment, translator, settings, revise_handler):
    settings.OPENAI_BASE_URL = ""

    with pytest.raises(EditRefused, match="No model endpoint is configured"):
        do_ask_revision(segment, user=translator, role="translator", instruction="use 上訴人")

    assert not Job.objects.exists()


def test_it_needs_an_instruction(segment, translator, settings):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"

    with pytest.raises(EditRefused, match="Write an instruction"):
        do_ask_revision(segment, user=translator, role="translator", instruction=" ")
