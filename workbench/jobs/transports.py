"""Telling a worker that a job is waiting, over Redis: Celery (the default) or RQ,
chosen by WORKBENCH_QUEUE. Both deliver only a job id; the worker claims the row."""

import logging

import django_rq
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from workbench.celery import app as celery_app

from .models import Job

logger = logging.getLogger(__name__)

TRANSPORTS = ("celery", "rq")
CELERY_TASK = "workbench.jobs.run_job"
RQ_FUNCTION = "workbench.jobs.services.run_job"


def signal(job_id):
    """Tell the configured queue about a job. A broker failure is logged, not raised (the
    job is safely stored): the job stays queued and the sweeper signals it again."""
    try:
        if settings.WORKBENCH_QUEUE == "rq":
            # Send now: callers already wait for their commit, and a broker error must
            # surface here, not in a later callback of django-rq's own.
            django_rq.get_queue("default", commit_mode="auto").enqueue(RQ_FUNCTION, job_id)
        elif settings.WORKBENCH_QUEUE == "celery":
            celery_app.send_task(CELERY_TASK, args=[job_id])
        else:
            raise ImproperlyConfigured("Set WORKBENCH_QUEUE to celery or rq.")
    except Exception:
        logger.exception(
            "Could not signal job %s to %s; the sweeper will retry.",
            job_id,
            settings.WORKBENCH_QUEUE,
        )
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(signalled_at=None)
