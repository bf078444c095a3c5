"""Starting, running, cancelling and retrying background jobs.

`enqueue` and `retry_job` write the row and signal the queue only once the transaction
commits, so a worker never looks for a row it cannot see yet. `run_job` is all a
worker does with a signal; a signal for a job that is not ours to run does nothing.
"""

import logging
import threading
from contextlib import contextmanager
from functools import partial
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from workbench import audit
from workbench.audit.models import AuditEvent

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


class TooManyJobs(Exception):
    """A person, or a project, has as many jobs queued or running as allowed; the
    message says which and what to do. Nothing was queued."""


# Namespaces of the advisory locks that make counting jobs in flight and queueing one
# atomic, per person and per project (two requests at once cannot both slip under the
# limit).
USER_LOCK, PROJECT_LOCK = 7301, 7302


def check_jobs_in_flight(project, user):
    """Refuse (TooManyJobs) when `user` or `project` already has as many queued or
    running jobs started by people as WORKBENCH_MAX_JOBS_PER_USER / _PER_PROJECT allow. Call it inside the
    transaction that queues the job: it holds the locks until that transaction ends."""
    with connection.cursor() as cursor:
        if user is not None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [USER_LOCK, user.pk])
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PROJECT_LOCK, project.pk])
    in_flight = Job.objects.filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
    per_user = settings.WORKBENCH_MAX_JOBS_PER_USER
    if user is not None and in_flight.filter(created_by=user).count() >= per_user:
        raise TooManyJobs(
            f"You have {per_user} jobs queued or running already, the most one person may "
            "have. Wait for one to finish (the jobs page shows them), or cancel one."
        )
    per_project = settings.WORKBENCH_MAX_JOBS_PER_PROJECT
    # Only jobs people started: the workbench's own (an analysis after each import, a
    # webhook delivery) must not lock people out after a large upload.
    started_by_people = in_flight.filter(project=project, created_by__isnull=False)
    if started_by_people.count() >= per_project:
        raise TooManyJobs(
            f"“{project.name}” has {per_project} jobs queued or running already, the most "
            "one project may have. Wait for some to finish, or ask a manager to cancel some."
        )


def enqueue(kind, *, project, document=None, params=None, user=None):
    """Queue a job; TooManyJobs when a person started it and they or the project have
    too many in flight (jobs the workbench starts itself are not limited)."""
    handler_for(kind)  # an unknown kind is a programming error: refuse it here, not in a worker
    with transaction.atomic():
        if user is not None:
            check_jobs_in_flight(project, user)
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
        log_agent_job(job)
    return True


def log_agent_job(job):
    """A job that called a model goes into the audit log when it ends: which endpoint,
    which models for which roles, how many calls and tokens, and the job's counters.
    Never a prompt or an answer."""
    calls = list(
        job.model_calls.values("role", "model")
        .annotate(
            calls=Count("pk"),
            tokens_in=Coalesce(Sum("tokens_in"), 0),
            tokens_out=Coalesce(Sum("tokens_out"), 0),
        )
        .order_by("role", "model")
    )
    if not calls:
        return
    audit.record(
        AuditEvent.Kind.AGENT_JOB,
        user=job.created_by,
        project=job.project,
        target=job.document or job,
        details={
            "job": job.pk,
            "kind": job.kind,
            "status": job.status,
            "endpoint": endpoint_address(settings.OPENAI_BASE_URL),
            "models": {
                f"{row['role']} {row['model']}": {
                    "calls": row["calls"],
                    "tokens_in": row["tokens_in"],
                    "tokens_out": row["tokens_out"],
                }
                for row in calls
            },
            "counts": {name: count for name, count in job.result.items() if isinstance(count, int)},
        },
    )


def endpoint_address(url):
    """The endpoint as the log keeps it: scheme, host, port and path, never a password
    or key that the URL may carry."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


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
    with transaction.atomic():
        check_jobs_in_flight(job.project, user)
        job.requeue_for_retry()
    logger.info("%s retried job %s (%s).", user, job.pk, job.kind)
    transaction.on_commit(partial(signal, job.pk))
