"""The agents draft in real Celery and RQ workers: a worker killed with kill -9 mid-job
is replaced, and the job ends as if nothing had happened: no segment lost, none drafted
twice, a person's edit made meanwhile intact, and every model call on record."""

from collections import Counter

import pytest
from django.db.models import F

from agents import schemas
from agents.llm import request_key
from agents.prompts import PROMPT_VERSIONS
from tests.loopback_llm import document_data, schema_of
from tests.test_drafting import BRIEF, SOURCES, small_document
from workbench.documents.models import Revision, Segment
from workbench.jobs.models import DraftBatch, Job, ModelCall
from workbench.jobs.services import enqueue

pytestmark = pytest.mark.worker
pytest_plugins = ["tests.workers"]  # the start_worker fixture

PERSON_TEXT = "上訴得直，由本席親自改寫。"


@pytest.fixture
def endpoint(settings, monkeypatch, loopback_llm):
    """The loopback server, slow enough that a job can be killed half-way; the workers
    get its address through their environment."""
    loopback_llm.configure(latency_ms=250)
    monkeypatch.setenv("OPENAI_BASE_URL", loopback_llm.base_url)
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    return loopback_llm


def progress_of(job):
    return Job.objects.get(pk=job.pk).progress_done


def dispatched(job, number):
    return DraftBatch.objects.filter(job=job, number=number, versions__isnull=False).exists()


def edit_as_a_person(segment, user):
    Segment.objects.filter(pk=segment.pk).update(
        target=PERSON_TEXT, status="drafted", draft_origin="person", version=F("version") + 1
    )
    Revision.objects.create(
        segment=segment,
        origin="person",
        author=user,
        old_target=segment.target,
        new_target=PERSON_TEXT,
        old_status=segment.status,
        new_status="drafted",
        version=segment.version + 1,
    )


@pytest.mark.parametrize("transport", ["celery", "rq"])
def test_a_drafting_job_survives_the_kill_of_its_worker(
    start_worker, endpoint, project, manager, translator, transport
):
    document = small_document(project, SOURCES * 60)
    document.brief = BRIEF
    document.save()
    first = start_worker(transport)
    job = enqueue(
        "draft_document",
        project=project,
        document=document,
        params={"concurrency": 2},
        user=manager,
    )
    first.wait_until(lambda: dispatched(job, 2), "the second batch to be dispatched")
    batch = DraftBatch.objects.get(job=job, number=2)
    edited = Segment.objects.get(pk=batch.segment_ids[-1])
    edit_as_a_person(edited, translator)
    first.wait_until(lambda: progress_of(job) > 0, "the first batch to be stored", timeout=30)
    first.kill()
    stored_before_kill = [
        segment_id
        for batch in DraftBatch.objects.filter(job=job, status="done")
        for segment_id in batch.segment_ids
    ]
    total = document.segments.count()
    assert progress_of(job) < total

    second = start_worker(transport)
    second.wait_for_status(job, "succeeded", timeout=90)

    assert job.attempts == 2
    batches = DraftBatch.objects.filter(job=job)
    assert {b.status for b in batches} == {"done"}
    edited.refresh_from_db()
    assert (edited.target, edited.draft_origin) == (PERSON_TEXT, "person")
    assert edited.suggestions.filter(kind="late", job=job).count() == 1
    assert not edited.revisions.filter(origin="agent").exists()
    for segment in document.segments.exclude(pk=edited.pk):
        assert segment.status == "drafted" and segment.draft_origin == "agent"
        assert segment.version == 1
        assert segment.revisions.filter(origin="agent").count() == 1
        assert segment.suggestions.filter(kind="draft", job=job).count() == 1
    assert job.result["drafted"] + job.result.get("flagged", 0) == total - 1
    assert job.result["late"] == 1
    # Work stored before the kill is never asked for again, and a batch running at the
    # kill resumes from its checkpoint: no segment goes to the Translator more than twice.
    asked = Counter(
        segment["id"]
        for request in endpoint.requests_for("TranslatorOutput")
        for segment in document_data(request)["segments"]
    )
    assert all(asked[str(segment_id)] == 1 for segment_id in stored_before_kill)
    assert max(asked.values()) <= 2
    # Every request the server received is on record, a call lost with the killed worker
    # included (counted with its estimated prompt); a request is sent twice only when
    # its first answer was lost with the worker, and no answer is recorded twice.
    calls = ModelCall.objects.filter(job=job)
    lost = set(calls.filter(outcome="dispatched").values_list("key", flat=True))
    recorded = sum(calls.values_list("attempts", flat=True))
    assert len(endpoint.requests) <= recorded <= len(endpoint.requests) + len(lost)
    assert job.result["calls"] == calls.count()
    sent = Counter(request_key_of(body) for body in endpoint.requests)
    assert {key for key, count in sent.items() if count > 1} <= lost
    answered = Counter(calls.filter(outcome="ok").values_list("key", flat=True))
    assert set(answered.values()) == {1}
    assert set(sent) == set(calls.values_list("key", flat=True))


ROLES = {
    "DocumentBrief": "brief",
    "TranslatorOutput": "translator",
    "AnnotatorOutput": "annotator",
    "ProofreaderOutput": "proofreader",
}


def request_key_of(body):
    """The idempotency key of a request as the server received it (schema mode)."""
    name = schema_of(body)
    role = ROLES[name]
    return request_key(
        role,
        body["model"],
        PROMPT_VERSIONS[role],
        body["messages"],
        getattr(schemas, name),
        body["response_format"]["type"],
    )
