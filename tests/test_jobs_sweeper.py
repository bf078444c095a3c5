"""The sweeper: jobs whose worker went quiet, and queued jobs whose signal was lost."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.job_kinds import document_to_draft
from workbench.jobs.models import Job
from workbench.jobs.services import enqueue
from workbench.jobs.sweeper import sweep


@pytest.fixture
def job(project, manager):
    document = document_to_draft(project, segments=3)
    return enqueue("test.draft", project=project, document=document, user=manager)


def went_quiet(job, seconds_ago=600, **fields):
    heartbeat = timezone.now() - timedelta(seconds=seconds_ago)
    Job.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=heartbeat, attempts=1, lease=None, **fields
    )


def test_it_queues_again_a_job_whose_worker_went_quiet(job, django_capture_on_commit_callbacks):
    went_quiet(job)
    with django_capture_on_commit_callbacks() as signals:
        outcome = sweep()
    job.refresh_from_db()
    assert outcome.requeued == [job.pk]
    assert (job.status, job.attempts) == ("queued", 1)
    assert len(signals) == 1


def test_it_leaves_a_job_with_a_fresh_heartbeat_alone(job, django_capture_on_commit_callbacks):
    went_quiet(job, seconds_ago=1)
    with django_capture_on_commit_callbacks() as signals:
        outcome = sweep()
    job.refresh_from_db()
    assert (outcome.requeued, job.status, signals) == ([], "running", [])


def test_it_fails_a_job_that_used_up_its_attempts(job, django_capture_on_commit_callbacks):
    went_quiet(job)
    Job.objects.filter(pk=job.pk).update(attempts=3)
    with django_capture_on_commit_callbacks() as signals:
        outcome = sweep()
    job.refresh_from_db()
    assert outcome.ended == [job.pk]
    assert job.status == "failed"
    assert "stopped responding 3 times (the limit is 3)" in job.error
    assert signals == []


def test_it_ends_a_quiet_job_that_was_being_cancelled(job):
    went_quiet(job, cancel_requested=True)
    sweep()
    job.refresh_from_db()
    assert job.status == "cancelled"


def test_it_signals_again_a_queued_job_nobody_picked_up(job, django_capture_on_commit_callbacks):
    Job.objects.filter(pk=job.pk).update(signalled_at=None)
    with django_capture_on_commit_callbacks() as signals:
        outcome = sweep()
    job.refresh_from_db()
    assert outcome.resignalled == [job.pk]
    assert job.signalled_at is not None
    assert len(signals) == 1


def test_it_does_not_signal_again_a_job_signalled_recently(job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as signals:
        outcome = sweep()
    assert (outcome.resignalled, signals) == ([], [])


def test_the_command_says_what_it_did(job, capsys):
    went_quiet(job)
    call_command("sweep_jobs")
    assert "Queued again: 1; ended: 0; signalled again: 0." in capsys.readouterr().out
