"""The job row is the truth about background work; the queue is only a signal.

A worker owns a running job through its `lease`, a token written when it claims the row.
Every write a worker makes is guarded by the lease, so a worker that was presumed dead
(its heartbeat went stale and the job was handed to another worker) cannot overwrite
the new owner's state: its next check-in raises `JobTakenOver` and it stops.
"""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from workbench.documents.models import Document
from workbench.projects.models import Project

from . import conf
from .registry import JobCancelled, JobTakenOver
from .signals import job_finished


class JobStateError(Exception):
    """A person asked for a transition the job's state does not allow."""


def counters(result):
    """Each counter of a job's result as "1,234 tokens in"."""
    return [
        f"{count:,} {name.replace('_', ' ')}" if isinstance(count, int) else f"{name}: {count}"
        for name, count in result.items()
    ]


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        PARTIAL = "partial", "Partly done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.SUCCEEDED, Status.PARTIAL, Status.FAILED, Status.CANCELLED)
    RETRYABLE = (Status.PARTIAL, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease = models.UUIDField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    signalled_at = models.DateTimeField(
        null=True, blank=True, help_text="When the queue was last told about this job"
    )
    cancel_requested = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweeper's two questions: which running jobs went quiet, which queued
            # jobs were never picked up.
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
            models.Index(fields=["project", "-created_at"], name="job_project_recent"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self):
        return self.status in self.FINISHED

    @property
    def can_be_cancelled(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING) and not (
            self.cancel_requested
        )

    @property
    def can_be_retried(self):
        return self.status in self.RETRYABLE

    @property
    def percent(self):
        if not self.progress_total:
            return 100 if self.status == self.Status.SUCCEEDED else 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def summary(self):
        """The handler's counters as people read them: "76,866 tokens in", or as the
        kind's own summary words them (registry.job_summary)."""
        from .registry import summary_for

        summary = summary_for(self.kind)
        if summary is not None:
            return summary(self.result)
        return counters(self.result)

    # Claiming and finishing: the runner's side.

    @classmethod
    def claim(cls, job_id):
        """Take the job for this worker, or return None when it is not ours to run: it
        is finished, another worker holds it, or it is running with a fresh heartbeat."""
        now = timezone.now()
        with transaction.atomic():
            job = (
                cls.objects.select_for_update(skip_locked=True)
                .filter(pk=job_id)
                .filter(
                    Q(status=cls.Status.QUEUED)
                    | Q(status=cls.Status.RUNNING, heartbeat_at__lt=now - conf.stale_after())
                )
                .first()
            )
            if job is None:
                return None
            if job.cancel_requested:
                job._finish(cls.Status.CANCELLED, now)
                return None
            if job.attempts >= job.max_attempts:
                job.error = job._gave_up_message()
                job._finish(cls.Status.FAILED, now)
                return None
            job.status = cls.Status.RUNNING
            job.attempts += 1
            job.lease = uuid.uuid4()
            job.heartbeat_at = now
            job.started_at = job.started_at or now
            job.error = ""
            job.save(
                update_fields=["status", "attempts", "lease", "heartbeat_at", "started_at", "error"]
            )
        return job

    def succeed(self):
        self._finish_as_owner(self.Status.SUCCEEDED)

    def fail(self, error):
        self._finish_as_owner(self.Status.FAILED, error=error)

    def end_partial(self, error):
        self._finish_as_owner(self.Status.PARTIAL, error=error)

    def stop_cancelled(self):
        self._finish_as_owner(self.Status.CANCELLED)

    def _finish_as_owner(self, status, **fields):
        now = timezone.now()
        updated = self._owned().update(status=status, finished_at=now, lease=None, **fields)
        if not updated:
            raise JobTakenOver(f"Job {self.pk} was taken over before it finished here.")
        self.status, self.finished_at, self.lease = status, now, None
        for name, value in fields.items():
            setattr(self, name, value)
        job_finished.send(sender=Job, job=self)

    def _finish(self, status, now):
        self.status, self.finished_at, self.lease = status, now, None
        self.save(update_fields=["status", "finished_at", "lease", "error"])
        job_finished.send(sender=Job, job=self)

    def _owned(self):
        return Job.objects.filter(pk=self.pk, status=self.Status.RUNNING, lease=self.lease)

    def _gave_up_message(self):
        return (
            f"The worker running this job stopped responding {self.attempts} times "
            f"(the limit is {self.max_attempts}), so it was given up. Items already done are "
            "kept; retry the job to work on the rest, and tell an administrator if it "
            "happens again."
        )

    # Checking in: the handler's side.

    def report_progress(self, done, total=None):
        """Record progress and check in; raises JobCancelled when the handler must stop."""
        self.progress_done = done
        if total is not None:
            self.progress_total = total
        self._check_in(progress_done=self.progress_done, progress_total=self.progress_total)

    def heartbeat(self):
        """Check in without progress; raises JobCancelled when the handler must stop."""
        self._check_in()

    def tally(self, **counts):
        """Add to the result counters, e.g. job.tally(drafted=5, calls=1)."""
        for name, count in counts.items():
            self.result[name] = self.result.get(name, 0) + count
        self._store_result()

    def record_counts(self, **counts):
        """Set result counters outright, where the handler knows the totals (what became
        of each item, over every run of the job)."""
        self.result.update(counts)
        self._store_result()

    def _store_result(self):
        if not self._owned().update(result=self.result):
            raise JobTakenOver(f"Job {self.pk} was taken over by another worker.")

    def _check_in(self, **fields):
        now = timezone.now()
        owned = self._owned()
        if owned.filter(cancel_requested=False).update(heartbeat_at=now, **fields):
            self.heartbeat_at = now
            return
        # Either a person cancelled the job, and the progress reached is kept, or
        # another worker has it now, and this one must leave the row alone.
        if owned.update(heartbeat_at=now, **fields):
            raise JobCancelled(f"Job {self.pk} was cancelled.")
        raise JobTakenOver(f"Job {self.pk} was taken over by another worker.")

    def keep_alive(self):
        """Refresh the heartbeat only; False once this worker no longer owns the job."""
        return bool(self._owned().update(heartbeat_at=timezone.now()))

    # What people and the sweeper do.

    def request_cancel(self):
        """A queued job is cancelled at once; a running one stops at its next check-in."""
        now = timezone.now()
        if Job.objects.filter(pk=self.pk, status=self.Status.QUEUED).update(
            status=self.Status.CANCELLED, finished_at=now
        ):
            self.status, self.finished_at = self.Status.CANCELLED, now
            job_finished.send(sender=Job, job=self)
            return
        if Job.objects.filter(pk=self.pk, status=self.Status.RUNNING).update(cancel_requested=True):
            self.cancel_requested = True
            return
        self.refresh_from_db()
        raise JobStateError(
            f"This job has already {self.get_status_display().lower()}; there is nothing to cancel."
        )

    def requeue_for_retry(self):
        """Queue a failed or cancelled job again with a fresh attempt budget; its handler
        then works on what is left."""
        now = timezone.now()
        updated = Job.objects.filter(pk=self.pk, status__in=self.RETRYABLE).update(
            status=self.Status.QUEUED,
            attempts=0,
            cancel_requested=False,
            error="",
            finished_at=None,
            signalled_at=now,
        )
        if not updated:
            self.refresh_from_db()
            raise JobStateError(
                f"This job is {self.get_status_display().lower()}; only failed or cancelled "
                "jobs can be retried."
            )
        self.refresh_from_db()

    def release_stalled(self, now):
        """For the sweeper, on a row it has locked: the worker went quiet. Queue the job
        again, or end it when it was cancelled or has used up its attempts. Returns True
        when it was queued again."""
        if self.cancel_requested:
            self._finish(self.Status.CANCELLED, now)
            return False
        if self.attempts >= self.max_attempts:
            self.error = self._gave_up_message()
            self._finish(self.Status.FAILED, now)
            return False
        self.status, self.lease, self.signalled_at = self.Status.QUEUED, None, now
        self.save(update_fields=["status", "lease", "signalled_at"])
        return True


class ModelCall(models.Model):
    """One call to a model endpoint made for a job: what it cost, how long it took and how
    it ended. Token budgets and the dashboard's cost figures are sums over these rows.

    The row is written before the call's request leaves ("dispatched", with the prompt's
    estimated tokens) and completed when the call returns, so a call whose worker died is
    still counted. `key` is the request's idempotency key; a completed row keeps the
    answer, and a job never sends a request it already has the answer to.
    """

    DISPATCHED = "dispatched"
    ANSWERED = ("ok", "repaired")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="model_calls")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="model_calls")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="model_calls"
    )
    role = models.CharField(max_length=20)
    model = models.CharField(max_length=100)
    prompt_version = models.CharField(max_length=40)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    key = models.CharField(max_length=64, blank=True)
    response_format = models.CharField(max_length=20, blank=True)
    answer = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "created_at", "pk"]
        indexes = [models.Index(fields=["job", "key"], name="model_call_job_key")]

    def __str__(self):
        return f"{self.role} · {self.model} · {self.outcome} (job {self.job_id})"

    @classmethod
    def totals(cls, job):
        """The job's calls and tokens so far, those still in flight (or lost with their
        worker) included with their estimates."""
        return cls.objects.filter(job=job).aggregate(
            calls=models.Count("pk"),
            tokens_in=Coalesce(models.Sum("tokens_in"), 0),
            tokens_out=Coalesce(models.Sum("tokens_out"), 0),
        )


class DraftBatch(models.Model):
    """Consecutive segments that one drafting job sends to the agents together.

    The plan is stored when the job first runs, so a job that is resumed (its worker
    died) or retried works on the same batches, and each batch's LangGraph checkpoint
    thread ("job-<id>-batch-<number>") still matches its segments. `versions` are the
    segment versions seen at dispatch, the base of the compare-and-set that writes the
    agents' text; `outcomes` say what became of each segment, failures with the reason.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DONE = "done", "Done"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="draft_batches")
    number = models.PositiveIntegerField()
    segment_ids = models.JSONField(default=list)
    versions = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # {segment id: {"status": drafted | flagged | failed | late, "reason": "..."}}
    outcomes = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="one_draft_batch_per_number")
        ]

    def __str__(self):
        return f"Batch {self.number} of job {self.job_id} ({self.status})"

    @property
    def thread_id(self):
        return f"job-{self.job_id}-batch-{self.number}"
