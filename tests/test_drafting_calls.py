"""Every model call of a drafting job is a ModelCall row committed before its request
leaves; a request already answered in the job is never sent again; the job keeps to the
endpoint's requests per minute and rides out a storm of 429s. Run in this process against
the loopback server, whose request log is the independent count."""

from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.utils import timezone

from agents.checkpoints import open_checkpointer
from agents.context import CallRecord
from agents.limits import EndpointBudget
from tests.loopback_llm import document_data
from tests.test_drafting import BRIEF, SOURCES, draft, small_document
from workbench.dashboard.metrics import agents
from workbench.drafting import run as drafting_run
from workbench.drafting.calls import JobCalls
from workbench.jobs.models import DraftBatch, Job, ModelCall
from workbench.jobs.services import enqueue, run_job


@pytest.fixture
def endpoint(transactional_db, settings, loopback_llm):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    settings.OPENAI_TIMEOUT_SECONDS = 5
    yield loopback_llm
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(EndpointBudget(client, loopback_llm.base_url).key)
    client.close()


@pytest.fixture
def document(project):
    document = small_document(project, SOURCES * 20)
    document.brief = BRIEF
    document.save()
    return document


def attempts_of(job):
    return sum(ModelCall.objects.filter(job=job).values_list("attempts", flat=True))


def test_every_request_is_on_record_before_it_leaves(endpoint, document, manager):
    seen = []

    def count_on_arrival(body):
        # The server's own thread and database connection: it sees committed rows only.
        seen.append((len(seen) + 1, sum(ModelCall.objects.values_list("attempts", flat=True))))
        connection.close()

    endpoint.on_request = count_on_arrival

    job = draft(document, manager, concurrency=2)

    assert job.status == "succeeded", job.error
    assert all(committed >= received for received, committed in seen)
    assert attempts_of(job) == len(endpoint.requests) == job.result["calls"]
    calls = ModelCall.objects.filter(job=job)
    assert set(calls.values_list("outcome", flat=True)) == {"ok"}
    assert calls.filter(completed_at__isnull=True).count() == 0
    assert len(set(calls.values_list("key", flat=True))) == calls.count()
    assert all(call.answer.startswith("{") for call in calls)


class WorkerDied(BaseException):
    """What a kill -9 looks like from inside: nothing after it runs."""


def test_answers_that_came_back_before_the_worker_died_are_not_asked_for_again(
    endpoint, document, manager, monkeypatch
):
    job = enqueue("draft_document", project=document.project, document=document, user=manager)

    def die(*args, **kwargs):
        raise WorkerDied

    # The worker dies as it is about to store the first batch: every call it made has
    # been answered, and the checkpoints go with it (as an unsynced commit may).
    monkeypatch.setattr(drafting_run, "persist_batch", die)
    with pytest.raises(WorkerDied):
        run_job(job.pk)
    monkeypatch.undo()
    sent_before = len(endpoint.requests)
    with open_checkpointer(drafting_run.checkpoint_conninfo()) as saver:
        for batch in DraftBatch.objects.filter(job=job):
            saver.delete_thread(batch.thread_id)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.attempts == 2
    assert set(document.segments.values_list("status", flat=True)) == {"drafted"}
    # Only batches that had not finished their calls asked anything more; nothing was
    # asked twice, and every request made is on record.
    assert sent_before > 0
    bodies = Counter(repr(body) for body in endpoint.requests)
    assert max(bodies.values()) == 1
    asked = Counter(
        segment["id"]
        for body in endpoint.requests_for("TranslatorOutput")
        for segment in document_data(body)["segments"]
    )
    assert set(asked.values()) == {1}
    assert attempts_of(job) == len(endpoint.requests) == job.result["calls"]


def test_a_call_whose_worker_died_counts_with_its_estimated_prompt(project, manager, db):
    job = Job.objects.create(kind="draft_document", project=project, created_by=manager)
    record = CallRecord(role="translator", model="gpt-4.1-mini", prompt_version="v1", attempts=1)

    JobCalls(job).dispatch(record, prompt_tokens=1200)

    assert ModelCall.totals(job) == {"calls": 1, "tokens_in": 1200, "tokens_out": 0}
    assert JobCalls(job).spent == 1200
    figures = agents(project)
    assert (figures["calls"], figures["tokens_in"]) == (1, 1200)
    assert figures["cost"] > 0


def test_a_storm_of_429s_slows_the_job_and_fails_no_segment(endpoint, document, manager):
    endpoint.configure(storm_seconds=2, retry_after=0.25)

    job = draft(document, manager, concurrency=2)

    assert job.status == "succeeded", job.error
    assert job.result["failed"] == 0
    assert endpoint.stats["rate_limited"] > 0
    assert ModelCall.objects.filter(job=job, error__contains="rate limited (HTTP 429)").exists()
    assert attempts_of(job) == len(endpoint.requests)


def test_the_job_keeps_to_the_requests_per_minute_of_the_endpoint(
    endpoint, document, manager, settings
):
    # 120 a minute is one every half second, with a second's worth (two) at once.
    settings.WORKBENCH_MODEL_RPM = 120
    endpoint.configure(rpm=120)
    arrivals = []
    endpoint.on_request = lambda body: arrivals.append(timezone.now())

    job = draft(document, manager, concurrency=4)

    assert job.status == "succeeded", job.error
    assert endpoint.stats["rate_limited"] == 0
    spread = (arrivals[-1] - arrivals[0]).total_seconds()
    assert spread >= 0.45 * (len(arrivals) - 2)


def test_a_job_never_sends_the_same_request_twice(endpoint, document, manager):
    # The Proofreader changes nothing: a second round would repeat the first.
    endpoint.configure(stubborn=True)

    job = draft(document, manager, concurrency=2)

    assert job.status == "succeeded", job.error
    bodies = Counter(repr(body) for body in endpoint.requests)
    assert max(bodies.values()) == 1
    batches = DraftBatch.objects.filter(job=job).count()
    assert len(endpoint.requests_for("ProofreaderOutput")) == batches
    assert job.result["flagged"] > 0


def test_a_job_against_a_confused_server_drafts_every_segment(endpoint, project, manager):
    document = small_document(project, SOURCES * 3)
    ids = list(document.segments.values_list("pk", flat=True))
    endpoint.configure(
        missing_ids=[str(ids[1])],
        duplicate_ids=[str(ids[4])],
        merge_ids=[str(ids[8])],
        extra_ids=["999999"],
        shapes=["think", "code_fence", "trailing_prose", "no_refusal"],
    )

    job = draft(document, manager, concurrency=1)

    assert job.status == "succeeded", job.error
    assert job.result["failed"] == 0
    for segment in document.segments.all():
        assert segment.status == "drafted" and segment.target.strip()
        assert "（重複）" not in segment.target
