"""Finding jobs whose worker went away, and jobs whose signal was lost.

Each worker runs a sweep every WORKBENCH_JOB_SWEEP_SECONDS (see tasks.py for Celery and
workers.SweepingRQWorker for RQ); `manage.py sweep_jobs` runs one by hand. Sweeps
from several workers at once are safe: each locks the rows it handles and skips rows
another sweep has locked.
"""

import logging
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import conf
from .models import Job
from .signals import worker_swept
from .transports import signal

logger = logging.getLogger(__name__)


@dataclass
class Sweep:
    requeued: list = field(default_factory=list)
    ended: list = field(default_factory=list)
    resignalled: list = field(default_factory=list)


def sweep():
    now = timezone.now()
    outcome = Sweep()
    with transaction.atomic():
        stalled = Job.objects.select_for_update(skip_locked=True).filter(
            status=Job.Status.RUNNING, heartbeat_at__lt=now - conf.stale_after()
        )
        for job in stalled:
            (outcome.requeued if job.release_stalled(now) else outcome.ended).append(job.pk)
            logger.warning("Job %s (%s) went quiet; it is now %s.", job.pk, job.kind, job.status)
        unsignalled = Job.objects.select_for_update(skip_locked=True).filter(
            Q(signalled_at__isnull=True) | Q(signalled_at__lt=now - conf.resignal_after()),
            status=Job.Status.QUEUED,
        )
        outcome.resignalled = list(unsignalled.values_list("pk", flat=True))
        Job.objects.filter(pk__in=outcome.resignalled).update(signalled_at=now)
        for job_id in outcome.requeued + outcome.resignalled:
            transaction.on_commit(partial(signal, job_id))
    return outcome


def sweep_from_worker():
    """A sweep on a worker's timer: never let it break the worker, and leave no database
    connection open in a process that forks its job runners."""
    try:
        sweep()
    except Exception:
        logger.exception("Sweeping stale jobs failed; the next sweep will try again.")
    finally:
        connection.close()
    worker_swept.send_robust(sweep_from_worker)
