"""Starting, running, cancelling and retrying background jobs.

`enqueue` and `retry_job` write the row and signal the queue only once the transaction
commits, so a worker never looks for a row it cannot see yet. `run_job` is all a
worker does with a signal; a signal for a job that is not ours to run does nothing.
"""

import logging
import threading
from contextlib import contextmanager
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from . import conf
from .models import Job
from .registry import (
    JobCancelled,
    JobFailed,
    JobPartial,
    JobTakenOver,
    UnknownJobKind,
    handler_for,
)
from .transports import signal

logger = logging.getLogger(__name__)

MAX_ERROR_CHARS = 2000


def enqueue(kind, *, project, document=None, params=None, user=None):
    handler_for(kind)  # an unknown kind is a programming error: refuse it here, not in a worker
    job = Job.objects.create(
        kind=kind,
        project=project,
        document=document,
        params=params or {},
        created_by=user,
        signalled_at=timezone.now(),
    )
    transaction.on_commit(partial(signal, job.pk))
    return job


def run_job(job_id):
    """Claim the job and run its handler. Returns False when the job was not ours to run
    (finished, or held by a live worker): a duplicate signal is harmless."""
    job = Job.claim(job_id)
    if job is None:
        logger.info("Job %s is not waiting for a worker; nothing to do.", job_id)
        return False
    logger.info("Job %s (%s) started, attempt %s.", job.pk, job.kind, job.attempts)
    try:
        with _heartbeat_in_background(job):
            _run_handler(job)
    except JobTakenOver:
        logger.warning("Job %s was taken over by another worker; this one stopped.", job.pk)
    else:
        logger.info("Job %s (%s) %s.", job.pk, job.kind, job.status)
    return True


def _run_handler(job):
    try:
        handler_for(job.kind)(job)
    except JobTakenOver:
        raise
    except JobCancelled:
        job.stop_cancelled()
    except JobPartial as exc:
        job.end_partial(str(exc)[:MAX_ERROR_CHARS])
    except (JobFailed, UnknownJobKind) as exc:
        job.fail(str(exc)[:MAX_ERROR_CHARS])
    except Exception as exc:
        logger.exception("Job %s (%s) failed.", job.pk, job.kind)
        job.fail(
            f"The job stopped on an unexpected error: {type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
            + f"\nWork already done is kept. Retry the job; if it fails again, tell an "
            f"administrator about job #{job.pk}."
        )
    else:
        job.succeed()


@contextmanager
def _heartbeat_in_background(job):
    """Keep the heartbeat fresh while the handler waits on something slow (a model call),
    so only a worker that is really gone looks stale."""
    stopped = threading.Event()

    def beat():
        try:
            while not stopped.wait(conf.heartbeat_every()):
                if not job.keep_alive():
                    return
        except Exception:
            logger.exception("Heartbeat of job %s failed; the sweeper may hand it on.", job.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        thread.join()


def cancel_job(job, user):
    """A queued job ends at once; a running one at its handler's next check-in."""
    job.request_cancel()
    logger.info("%s asked to cancel job %s (%s).", user, job.pk, job.kind)


def retry_job(job, user):
    """Queue a failed or cancelled job again; its handler works on what is left."""
    job.requeue_for_retry()
    logger.info("%s retried job %s (%s).", user, job.pk, job.kind)
    transaction.on_commit(partial(signal, job.pk))
