"""The review-workflow defects found by new users, each reproduced as it was reported and
ended correctly now: nothing wrong gets approved, nothing approved is lost.

(The deadlock is in test_lifecycle_concurrency.py; learning from confirmation in
test_learning_examples.py; the one-owner scan in test_lifecycle_owner.py; the command
line's exit status in test_draft_command.py.)
"""

import json

import pytest
from django.db import connection
from django.urls import reverse

from tests.test_drafting import SOURCES, draft, small_document
from workbench.documents import lifecycle
from workbench.documents.models import Document, Revision, Segment
from workbench.jobs.models import DraftBatch
from workbench.memory.lookup import lookup
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory
from workbench.translation.forms import SegmentFilter
from workbench.translation.models import Annotation, Comment
from workbench.translation.services import (
    EditRefused,
    QABlocked,
    do_add_comment,
    do_bulk_approve,
    do_restore,
    do_save_target,
    do_send_back,
)

DISMISSED = "The appeal is dismissed."
DISMISSED_ZH = "上訴駁回。"
FINE = "The appellant was fined $5,000 on 8 May 2023."
FINE_ZH = "上訴人於2023年5月8日被罰款$5,000。"


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="FACC 1/2024",
        original_filename="judgment.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )
    for position, source in enumerate(
        ["Background.", DISMISSED, "Costs to the respondent.", FINE], start=1
    ):
        Segment.objects.create(
            document=document,
            position=position,
            source=source,
            source_hash=Segment.hash_source(source),
        )
    return document


def at(document, position):
    return document.segments.get(position=position)


def confirm(segment, user, text, **extra):
    segment.refresh_from_db()
    return do_save_target(
        segment,
        user=user,
        role="translator",
        text=text,
        base_version=segment.version,
        action="confirm",
        **extra,
    ).segment


def approve(segment, user, text=None):
    segment.refresh_from_db()
    return do_save_target(
        segment,
        user=user,
        role="reviewer",
        text=segment.target if text is None else text,
        base_version=segment.version,
        action="approve",
    ).segment


def seen(document):
    return dict(document.segments.values_list("pk", "version"))


# Send-back -----------------------------------------------------------------------------


def test_a_sent_back_segment_is_rejected_and_bulk_approval_leaves_it_out(
    document, translator, reviewer
):
    segment = confirm(at(document, 2), translator, DISMISSED_ZH)
    do_send_back(segment, user=reviewer, role="reviewer", text="Use 駁回上訴.")

    result = do_bulk_approve(document, seen(document), user=reviewer, role="reviewer")

    assert at(document, 2).status == "rejected"
    assert result.approved == []
    assert (2, "sent back to the translator") in result.skipped


def test_bulk_approval_leaves_out_a_segment_with_an_open_query(document, translator, reviewer):
    confirm(at(document, 1), translator, "背景。")
    costs = confirm(at(document, 3), translator, "訟費歸答辯人。")
    do_add_comment(costs, user=translator, role="translator", text="Which respondent?")

    result = do_bulk_approve(document, seen(document), user=reviewer, role="reviewer")

    assert [segment.position for segment in result.approved] == [1]
    assert (3, "an unresolved comment or query") in result.skipped
    assert at(document, 3).status == "translated"


def test_sent_back_text_is_withdrawn_from_the_tm_and_never_offered_as_101(
    document, translator, reviewer, project
):
    segment = approve(confirm(at(document, 2), translator, DISMISSED_ZH), reviewer)
    assert lookup(segment, project)[0].percent == 101

    do_send_back(segment, user=reviewer, role="reviewer", text="Use 駁回上訴.")

    unit = project_memory(project).units.get(segment=segment)
    assert unit.quality == TranslationUnit.Quality.WITHDRAWN
    assert lookup(at(document, 2), project) == []


# Approved text ---------------------------------------------------------------------------


def test_a_translator_cannot_save_over_an_approved_segment(document, translator, reviewer):
    segment = approve(confirm(at(document, 2), translator, DISMISSED_ZH), reviewer)
    unit = TranslationUnit.objects.get(segment=segment)

    with pytest.raises(EditRefused, match="approved, so its text is protected"):
        do_save_target(
            segment,
            user=translator,
            role="translator",
            text="上訴被駁回。",
            base_version=segment.version,
        )

    segment.refresh_from_db()
    unit.refresh_from_db()
    assert (segment.status, segment.target) == ("approved", DISMISSED_ZH)
    assert (unit.target, unit.quality) == (DISMISSED_ZH, "approved")


def test_a_translator_cannot_restore_over_an_approved_segment(document, translator, reviewer):
    segment = confirm(at(document, 2), translator, "上訴被駁回。")
    first = segment.revisions.get()
    segment = approve(segment, reviewer, DISMISSED_ZH)

    with pytest.raises(EditRefused, match="protected"):
        do_restore(first, user=translator, role="translator", base_version=segment.version)

    segment.refresh_from_db()
    assert (segment.status, segment.target) == ("approved", DISMISSED_ZH)


def test_the_editor_answers_a_save_over_approved_text_with_400_and_changes_nothing(
    client_for, document, translator, reviewer
):
    segment = approve(confirm(at(document, 2), translator, DISMISSED_ZH), reviewer)
    url = reverse("segment_save", args=[document.project.slug, document.pk, segment.pk])

    response = client_for(translator).post(
        url, {"text": "上訴被駁回。", "version": segment.version, "action": "save"}
    )

    assert response.status_code == 400
    assert "protected" in response.content.decode()
    assert Segment.objects.get(pk=segment.pk).target == DISMISSED_ZH


# Bulk approve ----------------------------------------------------------------------------


def test_bulk_approval_skips_text_changed_after_the_grid_was_loaded(document, translator, reviewer):
    confirm(at(document, 1), translator, "背景。")
    confirm(at(document, 2), translator, DISMISSED_ZH)
    grid = seen(document)
    confirm(at(document, 2), translator, "駁回上訴。")  # after the reviewer loaded the grid

    result = do_bulk_approve(document, grid, user=reviewer, role="reviewer")

    assert [segment.position for segment in result.approved] == [1]
    assert (2, "changed since you loaded it; review it again") in result.skipped
    assert at(document, 2).status == "translated"


def test_bulk_approval_ignores_segments_of_other_documents(document, translator, reviewer):
    other = small_document(document.project, ["Other."])
    confirm(other.segments.get(), translator, "其他。")

    result = do_bulk_approve(document, seen(other), user=reviewer, role="reviewer")

    assert result.approved == [] and other.segments.get().status == "translated"


# Live QA ---------------------------------------------------------------------------------


def test_a_missing_number_stops_confirm_unless_overridden_with_a_reason(
    document, translator, reviewer
):
    segment = at(document, 4)
    without_the_date = "上訴人被罰款$5,000。"

    with pytest.raises(QABlocked, match="8"):
        confirm(segment, translator, without_the_date)
    assert at(document, 4).status == "new"

    confirm(segment, translator, without_the_date, override_reason="The date is in para 2.")

    revision = at(document, 4).revisions.get()
    assert revision.reason == "The date is in para 2."
    assert {finding["category"] for finding in revision.overridden} == {"number_date"}
    overridden = SegmentFilter({"overridden": "on"}).segments(document, reviewer)
    assert list(overridden.values_list("position", flat=True)) == [4]


def test_ctrl_enter_on_a_number_error_answers_422_with_the_findings(
    client_for, document, translator
):
    segment = at(document, 4)
    url = reverse("segment_save", args=[document.project.slug, document.pk, segment.pk])

    response = client_for(translator).post(
        url, {"text": "上訴人被罰款$5,000。", "version": 0, "action": "confirm"}
    )

    assert response.status_code == 422
    content = response.content.decode()
    assert "8" in content and 'name="override_reason"' in content
    assert at(document, 4).status == "new"


# Issues follow the text --------------------------------------------------------------------


def test_an_annotator_issue_becomes_outdated_when_a_person_rewrites_its_span(document, translator):
    segment = at(document, 2)
    lifecycle.write_drafts({segment.pk: (0, "上訴被駁回。")})
    issue = Annotation.objects.create(
        segment=segment,
        source="annotator",
        category="style",
        severity="major",
        span="被駁回",
        explanation="Courts write 駁回上訴.",
        target_text="上訴被駁回。",
    )

    confirm(segment, translator, DISMISSED_ZH)

    issue.refresh_from_db()
    assert issue.status == "outdated"
    open_issues = SegmentFilter({"issues": "on"}).segments(document, translator)
    assert not open_issues.exists()


def test_a_check_finding_is_listed_once_and_goes_when_the_text_is_fixed(
    client_for, document, translator
):
    segment = at(document, 4)
    confirm(segment, translator, "上訴人被罰款$5,000。", override_reason="Checked.")
    [finding] = segment.annotations.filter(status="open")
    assert finding.source == "check" and "8" in finding.explanation
    panel_url = reverse("segment_panel", args=[document.project.slug, document.pk, segment.pk])
    panel = client_for(translator).get(panel_url).content.decode()
    issues, live_qa = panel.split('id="qa-warnings"')
    assert finding.explanation in issues.split('class="annotations"')[1]
    assert finding.explanation not in live_qa.split("</div>")[0]  # listed once

    confirm(segment, translator, FINE_ZH)

    finding.refresh_from_db()
    assert finding.status == "outdated"
    assert not segment.annotations.filter(status="open").exists()


# TM matches --------------------------------------------------------------------------------


def test_a_100_percent_tm_match_is_kept_and_not_sent_to_the_translator(
    transactional_db, settings, loopback_llm, project, manager
):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    memory = project_memory(project)
    memory.units.create(
        source=SOURCES[3],
        target="駁回上訴，並須支付訟費。",
        source_language="en",
        target_language="zh-Hant-HK",
        origin="import",
        quality="approved",
    )
    document = small_document(project, SOURCES)

    job = draft(document, manager, concurrency=1)

    assert job.status == "succeeded", job.error
    from_tm = document.segments.get(position=4)
    assert (from_tm.target, from_tm.draft_origin, from_tm.match_percent) == (
        "駁回上訴，並須支付訟費。",
        "tm",
        100,
    )
    sent = json.dumps(loopback_llm.requests_for("TranslatorOutput"), ensure_ascii=False)
    assert SOURCES[3] not in sent.split('"segments"')[1].split('"context_after"')[0]
    assert job.result["from_tm"] == 1


def test_in_the_panel_a_100_percent_match_ranks_above_the_agents_drafts(
    client_for, project, translator, document
):
    segment = at(document, 2)
    project_memory(project).units.create(
        source=DISMISSED,
        target="駁回上訴。",
        source_language="en",
        target_language="zh-Hant-HK",
        origin="import",
        quality="approved",
    )
    lifecycle.write_drafts({segment.pk: (0, "上訴被駁回。")})
    segment.suggestions.create(kind="draft", text="上訴被駁回。", agent_role="translator")

    panel = (
        client_for(translator)
        .get(reverse("segment_panel", args=[project.slug, document.pk, segment.pk]))
        .content.decode()
    )

    assert panel.index("TM 100%") < panel.index("Translator draft")
    assert 'data-offer="1" data-text="駁回上訴。"' in panel


# Failed jobs -------------------------------------------------------------------------------


def test_half_bad_answers_leave_no_segment_empty_under_succeeded(
    transactional_db, settings, loopback_llm, project, manager
):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    document = small_document(project, SOURCES)
    first_three = document.segments.order_by("position").values_list("pk", flat=True)[:3]
    loopback_llm.configure(skip_ids=[str(pk) for pk in first_three])

    job = draft(document, manager, concurrency=1)

    assert job.status == "partial"
    outcomes = {}
    for batch in DraftBatch.objects.filter(job=job):
        outcomes.update(batch.outcomes)
    empty = document.segments.filter(target="")
    assert empty.count() == 3
    assert all(outcomes[str(segment.pk)]["status"] == "failed" for segment in empty)


# Checkpoints -------------------------------------------------------------------------------


def test_a_finished_drafting_job_leaves_no_checkpoints(
    transactional_db, settings, loopback_llm, project, manager
):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    document = small_document(project, SOURCES)

    job = draft(document, manager, concurrency=2)

    assert job.status == "succeeded", job.error
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM agent_checkpoints.checkpoints WHERE thread_id LIKE %s",
            [f"job-{job.pk}-%"],
        )
        assert cursor.fetchone()[0] == 0


def test_comments_on_a_sent_back_segment_are_its_reason(document, translator, reviewer):
    segment = confirm(at(document, 2), translator, DISMISSED_ZH)
    do_send_back(segment, user=reviewer, role="reviewer", text="Use 駁回上訴.")
    assert Comment.objects.get(segment=segment).is_send_back
    assert Revision.objects.filter(segment=segment, new_status="rejected").get().reason == (
        "Use 駁回上訴."
    )


def test_a_reviewer_cannot_change_approved_text_without_reopening_it(
    document, translator, reviewer
):
    segment = approve(confirm(at(document, 2), translator, DISMISSED_ZH), reviewer)

    with pytest.raises(EditRefused, match="reopen"):
        approve(segment, reviewer, "駁回上訴。")
    confirmed_again = confirm(segment, translator, DISMISSED_ZH)  # as it stands: nothing changes

    segment.refresh_from_db()
    assert (segment.status, segment.target, segment.version) == ("approved", DISMISSED_ZH, 2)
    assert confirmed_again.status == "approved"
