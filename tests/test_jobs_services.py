"""enqueue, run_job, cancel_job and retry_job, run in this process (no worker)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.job_kinds import document_to_draft, drafts_by_attempt
from workbench.jobs.models import Job, JobStateError
from workbench.jobs.registry import UnknownJobKind
from workbench.jobs.services import cancel_job, enqueue, retry_job, run_job


@pytest.fixture
def document(project):
    return document_to_draft(project, segments=5)


def draft_job(document, manager, **params):
    return enqueue(
        "test.draft", project=document.project, document=document, params=params, user=manager
    )


def test_it_writes_a_queued_row_and_signals_the_queue_on_commit(
    document, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = draft_job(document, manager)
    job.refresh_from_db()
    assert (job.kind, job.status, job.created_by, job.attempts) == (
        "test.draft",
        "queued",
        manager,
        0,
    )
    assert len(callbacks) == 1


def test_it_refuses_a_kind_nobody_handles(project, manager):
    with pytest.raises(UnknownJobKind, match="No handler is registered"):
        enqueue("no.such.kind", project=project, user=manager)
    assert not Job.objects.exists()


def test_it_runs_a_job_to_success(document, manager):
    job = draft_job(document, manager)
    assert run_job(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == ("succeeded", 5, 5)
    assert job.result == {"drafted": 5}
    assert job.lease is None and job.finished_at and job.started_at
    assert drafts_by_attempt(document) == {1: 5}


def test_it_does_nothing_with_a_signal_for_a_finished_job(document, manager):
    job = draft_job(document, manager)
    run_job(job.pk)
    assert run_job(job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("succeeded", 1)


def test_it_leaves_a_running_job_with_a_fresh_heartbeat_to_its_worker(document, manager):
    job = draft_job(document, manager)
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now(), attempts=1)
    assert run_job(job.pk) is False
    assert document.segments.filter(status="new").count() == 5


def test_it_records_the_error_of_a_failing_handler(document, manager):
    job = draft_job(document, manager, fail_at=3)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "503 Service Unavailable" in job.error
    assert "Retry the job" in job.error
    assert job.progress_done == 2
    assert document.segments.filter(status="drafted").count() == 2


def test_it_stores_the_message_of_a_deliberate_failure_as_is(project, manager):
    job = enqueue("test.refuse", project=project, user=manager)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "The document has no segments left to draft; import it again."


def test_it_retries_a_failed_job_on_the_segments_left(document, manager):
    job = draft_job(document, manager, fail_at=3)
    run_job(job.pk)
    job.refresh_from_db()
    retry_job(job, manager)
    assert (job.status, job.error, job.attempts) == ("queued", "", 0)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.result == {"drafted": 5, "failures": 1}
    assert list(document.segments.values_list("version", flat=True)) == [1] * 5


def test_it_refuses_to_retry_a_job_that_succeeded(document, manager):
    job = draft_job(document, manager)
    run_job(job.pk)
    job.refresh_from_db()
    with pytest.raises(JobStateError, match="only failed or cancelled jobs can be retried"):
        retry_job(job, manager)
    job.refresh_from_db()
    assert job.status == "succeeded"


def test_it_cancels_a_queued_job_at_once(document, manager):
    job = draft_job(document, manager)
    cancel_job(job, manager)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert run_job(job.pk) is False
    assert document.segments.filter(status="new").count() == 5


def test_it_asks_a_running_job_to_stop(document, manager):
    job = draft_job(document, manager)
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    cancel_job(job, manager)
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == ("running", True)


def test_it_refuses_to_cancel_a_finished_job(document, manager):
    job = draft_job(document, manager)
    run_job(job.pk)
    with pytest.raises(JobStateError, match="already succeeded"):
        cancel_job(job, manager)


def test_it_fails_a_job_whose_worker_died_too_often(document, manager):
    job = draft_job(document, manager)
    stale = timezone.now() - timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=stale, attempts=3)
    assert run_job(job.pk) is False
    job.refresh_from_db()
    assert job.status == "failed"
    assert "stopped responding 3 times" in job.error
    assert document.segments.filter(status="new").count() == 5


def test_it_resumes_a_job_whose_worker_died(document, manager):
    job = draft_job(document, manager)
    run_job(job.pk)
    document.segments.filter(position__gte=4).update(status="new", target="", version=0)
    stale = timezone.now() - timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=stale)
    assert run_job(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert drafts_by_attempt(document) == {1: 3, 2: 2}


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_job_delivered_twice_at_once_only_once(project, manager):
    document = document_to_draft(project, segments=4)
    job = draft_job(document, manager, seconds_per_segment=0.1)
    start = threading.Barrier(2)
    ran = []

    def deliver():
        start.wait()
        try:
            ran.append(run_job(job.pk))
        finally:
            connection.close()

    deliveries = [threading.Thread(target=deliver) for _ in range(2)]
    for delivery in deliveries:
        delivery.start()
    for delivery in deliveries:
        delivery.join(30)
    assert sorted(ran) == [False, True]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == ("succeeded", 1, {"drafted": 4})
    assert list(document.segments.values_list("version", flat=True)) == [1] * 4
