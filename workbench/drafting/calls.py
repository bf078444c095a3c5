"""The model calls a job makes, as `ModelCall` rows: the LLM client's journal.

A row is written before a call's request leaves and completed when the call returns, so
a worker killed mid-call still leaves its calls counted: one that never returned counts
with its estimated prompt tokens. The job's counters, its token budget and the
dashboard's cost figures are sums of these rows. A completed row keeps the answer, so a
request already answered in the job (the worker died before the result was saved, or the
job was retried) is answered from it instead of being sent again.

The client calls the journal from the job's pool threads, which write through Django
connections of their own, in autocommit: each row is committed before its request
leaves. The pool closes a thread's connection when its task ends (run.py).
"""

import threading

from django.utils import timezone

from workbench.jobs.models import ModelCall

MAX_ERROR_CHARS = 2000


class JobCalls:
    """The `agents.llm.CallJournal` of one job. Also keeps the job's token count, so a
    thread can see that the budget is spent before it starts a batch."""

    def __init__(self, job):
        self.job_id = job.pk
        self.project_id = job.project_id
        self.document_id = job.document_id
        totals = ModelCall.totals(job)
        self.spent = totals["tokens_in"] + totals["tokens_out"]
        self._estimates = {}
        self._lock = threading.Lock()

    def answer_to(self, key):
        return (
            ModelCall.objects.filter(job_id=self.job_id, key=key, outcome__in=ModelCall.ANSWERED)
            .exclude(answer="")
            .values_list("answer", flat=True)
            .first()
        )

    def dispatch(self, record, prompt_tokens):
        if record.call_id is not None:
            # A retry of the same call: one more request on its row.
            ModelCall.objects.filter(pk=record.call_id).update(
                attempts=record.attempts, key=record.key, response_format=record.response_format
            )
            return
        call = ModelCall.objects.create(
            job_id=self.job_id,
            project_id=self.project_id,
            document_id=self.document_id,
            role=record.role[:20],
            model=record.model[:100],
            prompt_version=record.prompt_version[:40],
            key=record.key,
            response_format=record.response_format,
            outcome=ModelCall.DISPATCHED,
            attempts=record.attempts,
            tokens_in=prompt_tokens,
        )
        record.call_id = call.pk
        with self._lock:
            self._estimates[call.pk] = prompt_tokens
            self.spent += prompt_tokens

    def complete(self, record, answer):
        ModelCall.objects.filter(pk=record.call_id).update(
            outcome=record.outcome[:20],
            tokens_in=record.tokens_in,
            tokens_out=record.tokens_out,
            latency_ms=record.latency_ms,
            attempts=record.attempts,
            error=record.error[:MAX_ERROR_CHARS],
            key=record.key,
            response_format=record.response_format,
            answer=answer,
            completed_at=timezone.now(),
        )
        with self._lock:
            estimate = self._estimates.pop(record.call_id, 0)
            self.spent += record.tokens_in + record.tokens_out - estimate

    def forget(self, key):
        ModelCall.objects.filter(job_id=self.job_id, key=key).update(answer="")


def count_calls(job):
    """Set the job's call and token counters from its rows."""
    job.record_counts(**ModelCall.totals(job))
