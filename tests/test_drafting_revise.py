"""The "revise_segment" job answers a person's instruction with a suggestion and never
writes the segment."""

import pytest

from tests.loopback_llm import REVISED_CJK
from tests.test_drafting import SOURCES, small_document
from workbench.jobs.models import ModelCall
from workbench.jobs.services import enqueue, run_job


@pytest.fixture
def segment(settings, loopback_llm, project):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    document = small_document(project, SOURCES)
    segment = document.segments.get(position=1)
    segment.target = "被告人被定罪。"
    segment.status = "translated"
    segment.version = 3
    segment.save()
    return segment


def ask(segment, user, instruction="use 上訴人 for appellant", segment_id=None):
    job = enqueue(
        "revise_segment",
        project=segment.document.project,
        document=segment.document,
        params={"segment_id": segment_id or segment.pk, "instruction": instruction},
        user=user,
    )
    run_job(job.pk)
    job.refresh_from_db()
    return job


def test_it_answers_with_an_on_request_suggestion(segment, translator, loopback_llm):
    job = ask(segment, translator)

    assert job.status == "succeeded", job.error
    suggestion = segment.suggestions.get()
    assert suggestion.kind == "on_request"
    assert suggestion.text == "被告人被定罪。" + REVISED_CJK
    assert (suggestion.instruction, suggestion.requested_by, suggestion.job) == (
        "use 上訴人 for appellant",
        translator,
        job,
    )
    assert suggestion.agent_role == "proofreader" and suggestion.prompt_version
    assert ModelCall.objects.filter(job=job, role="revise").count() == 1
    [request] = loopback_llm.requests_for("RevisionOutput")
    assert "use 上訴人 for appellant" in request["messages"][1]["content"]


def test_it_never_writes_the_target(segment, translator):
    ask(segment, translator)

    segment.refresh_from_db()
    assert (segment.target, segment.status, segment.version) == ("被告人被定罪。", "translated", 3)
    assert not segment.revisions.exists()


def test_it_fails_clearly_for_a_segment_no_longer_there(segment, translator):
    job = ask(segment, translator, segment_id=10**9)

    assert job.status == "failed"
    assert "no longer in the document" in job.error
    assert not segment.suggestions.exists()


def test_it_fails_clearly_when_the_model_cannot_answer(segment, translator, loopback_llm):
    loopback_llm.configure(plan=["unauthorized"])

    job = ask(segment, translator)

    assert job.status == "failed"
    assert "could not revise segment 1" in job.error and "OPENAI_API_KEY" in job.error
    assert not segment.suggestions.exists()
    assert ModelCall.objects.get(job=job).outcome == "refused"
