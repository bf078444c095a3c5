"""Real Celery and RQ workers run the jobs: to success, after a kill -9, and to a stop."""

import pytest

from tests.job_kinds import document_to_draft, drafts_by_attempt
from workbench.jobs.models import Job
from workbench.jobs.services import cancel_job, enqueue

pytestmark = pytest.mark.worker
pytest_plugins = ["tests.workers"]  # the start_worker fixture


def draft_job(project, manager, segments, **params):
    document = document_to_draft(project, segments=segments)
    job = enqueue("test.draft", project=project, document=document, params=params, user=manager)
    return job, document


def progress_of(job):
    return Job.objects.get(pk=job.pk).progress_done


@pytest.mark.parametrize("transport", ["celery", "rq"])
def test_a_worker_runs_an_enqueued_job_to_success(start_worker, project, manager, transport):
    worker = start_worker(transport)
    job, document = draft_job(project, manager, segments=3)
    worker.wait_for_status(job, "succeeded")
    assert (job.progress_done, job.progress_total, job.attempts) == (3, 3, 1)
    assert job.result == {"drafted": 3}
    assert drafts_by_attempt(document) == {1: 3}


@pytest.mark.parametrize("transport", ["celery", "rq"])
def test_a_job_survives_the_kill_of_its_worker(start_worker, project, manager, transport):
    first = start_worker(transport)
    job, document = draft_job(project, manager, segments=8, seconds_per_segment=0.25)
    first.wait_until(lambda: progress_of(job) >= 3, "the first worker to draft 3 segments")
    first.kill()
    killed_at = progress_of(job)
    assert killed_at < 8

    second = start_worker(transport)
    second.wait_for_status(job, "succeeded", timeout=30)
    assert job.attempts == 2
    assert f"Job {job.pk} (test.draft) went quiet; it is now queued." in second.log()
    by_attempt = drafts_by_attempt(document)
    assert by_attempt[1] >= killed_at and by_attempt[2] >= 1
    assert sum(by_attempt.values()) == 8
    # Written once each: nothing lost, nothing drafted twice.
    assert list(document.segments.values_list("version", flat=True)) == [1] * 8


def test_cancel_stops_a_running_job(start_worker, project, manager):
    worker = start_worker("celery")
    job, document = draft_job(project, manager, segments=20, seconds_per_segment=0.2)
    worker.wait_until(lambda: progress_of(job) >= 2, "the worker to draft 2 segments")
    cancel_job(job, manager)
    worker.wait_for_status(job, "cancelled", timeout=10)
    untouched = document.segments.filter(status="new").count()
    assert untouched > 0
    assert job.progress_done == 20 - untouched
