"""Signalling a queue: a broker that is down loses no job."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.job_kinds import document_to_draft
from workbench.jobs.models import Job
from workbench.jobs.services import enqueue
from workbench.jobs.transports import signal

UNREACHABLE_REDIS = "redis://127.0.0.1:1/5"


def test_it_keeps_the_job_queued_when_the_broker_is_down(settings, project, manager, caplog):
    settings.WORKBENCH_QUEUE = "rq"
    settings.RQ_QUEUES = {"default": {"URL": UNREACHABLE_REDIS}}
    job = enqueue("test.draft", project=project, document=document_to_draft(project), user=manager)
    signal(job.pk)
    job.refresh_from_db()
    assert (job.status, job.signalled_at) == ("queued", None)
    assert f"Could not signal job {job.pk} to rq; the sweeper will retry." in caplog.text


def test_it_refuses_to_start_with_an_unknown_queue(settings, db):
    settings.WORKBENCH_QUEUE = "carrier-pigeon"
    with pytest.raises(SystemCheckError, match="Set WORKBENCH_QUEUE to celery or rq"):
        call_command("check")
    assert not Job.objects.exists()
