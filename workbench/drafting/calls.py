"""The model calls a job makes: counted against its token budget and stored as
`ModelCall` rows, which the dashboard's cost figures and the budget are sums of."""

import queue
import threading

from django.db import transaction

from workbench.jobs.models import ModelCall

MAX_ERROR_CHARS = 2000


class CallLog:
    """The LLM client's sink: collects call records from any thread for the job's own
    thread to store, and keeps the job's token count, so a pool thread can see that the
    budget is spent before it starts a batch."""

    def __init__(self, spent=0):
        self._records = queue.SimpleQueue()
        self._lock = threading.Lock()
        self.spent = spent

    def __call__(self, record):
        self._records.put(record)
        with self._lock:
            self.spent += record.tokens_in + record.tokens_out

    def drain(self):
        calls = []
        while True:
            try:
                calls.append(self._records.get_nowait())
            except queue.Empty:
                return calls


def store_calls(job, log):
    """Store the model calls reported so far and add them to the job's tally."""
    calls = log.drain()
    if not calls:
        return
    with transaction.atomic():
        ModelCall.objects.bulk_create(
            ModelCall(
                job=job,
                project_id=job.project_id,
                document_id=job.document_id,
                role=record.role[:20],
                model=record.model[:100],
                prompt_version=record.prompt_version[:40],
                tokens_in=record.tokens_in,
                tokens_out=record.tokens_out,
                latency_ms=record.latency_ms,
                outcome=record.outcome[:20],
                attempts=record.attempts,
                error=record.error[:MAX_ERROR_CHARS],
            )
            for record in calls
        )
        job.tally(
            calls=len(calls),
            tokens_in=sum(record.tokens_in for record in calls),
            tokens_out=sum(record.tokens_out for record in calls),
        )
