"""The "draft_document" job: the TM first, then the agents, for what a document still
needs, honestly reported.

1. On its first run the job fills the selected new segments from 101% and 100% TM
   matches (at or above the project's drafting threshold); those are not sent to the
   Translator.
2. It plans batches of consecutive segments (see planning.py) and runs
   `agents.graph.draft_batch` on them in a thread pool that works as a queue: a free
   thread takes the next prepared batch at once. Twice as many batches as the job's
   concurrency C are under way, and C call slots (agents/limits.py) keep at most C
   requests in flight, earlier stages first: a batch between two calls, or stuck on a
   slow answer, never leaves the model idle, and the batches in flight finish together.
   Results are stored by the job's own thread, batch by batch (persist.py).
3. Every model call is a `ModelCall` row written by the pool thread before its request
   leaves and completed when it returns (calls.py); an answer already stored for the
   same request is reused, never paid for twice. The job's counters and the project's
   token budget per job (checked before each batch) are sums of those rows. Requests go
   out within the endpoint's requests- and tokens-per-minute budget, shared with every
   other worker through Redis, and 429s are waited out rather than failing segments.
4. It ends `succeeded` only when every segment in scope got a text; `partial` when some
   did not (retrying the job drafts those again, and only those); `failed` when none did.
   A finished job deletes its LangGraph checkpoints.

A document without a brief gets it from the model while the job's thread fills segments
from the TM and gathers the first batches; the threads share C checkpoint connections for
the whole job. `bench/agents_bench.py` measures how close this comes to the model's
latency alone.
"""

import functools
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import replace

import redis
from django.conf import settings
from django.db import connection
from psycopg.conninfo import make_conninfo

from agents.checkpoints import open_checkpointer
from agents.graph import draft_batch
from agents.limits import CallSlots, EndpointBudget
from workbench.jobs.models import DraftBatch
from workbench.jobs.registry import JobCancelled, JobFailed, JobPartial, JobTakenOver
from workbench.memory.services import pretranslate_document
from workbench.projects.endpoints import agents_client, endpoint_problem

from .calls import JobCalls, count_calls
from .context import BriefOrder, DraftingContext
from .persist import OUTCOMES, finish_empty, persist_batch
from .planning import dispatch, latest_outcomes, plan, selected_segments

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 32
# Batches under way for each call slot.
BATCHES_PER_SLOT = 2
# How often the job's own thread counts the model calls made so far and checks in.
CHECK_IN_SECONDS = 0.5
# How long one call waits out an endpoint's 429s before it fails: a storm of them slows
# the job down rather than failing its segments.
RATE_LIMIT_PATIENCE_SECONDS = 600


def llm_client(journal, project, concurrency=None):
    """The client for one job of the project: each role's calls go to its chosen
    endpoint, kept in `journal`, within each endpoint's shared budget, and with
    `concurrency` call slots when the job runs calls in parallel."""
    return agents_client(
        project,
        budget_for=endpoint_budget,
        read_timeout=settings.OPENAI_TIMEOUT_SECONDS,
        rate_limit_patience=RATE_LIMIT_PATIENCE_SECONDS,
        journal=journal,
        slots=CallSlots(concurrency) if concurrency else None,
    )


def endpoint_budget(base_url):
    return EndpointBudget(
        _redis(settings.REDIS_URL),
        base_url,
        requests_per_minute=settings.WORKBENCH_MODEL_RPM,
        tokens_per_minute=settings.WORKBENCH_MODEL_TPM,
    )


@functools.cache
def _redis(url):
    # Quick to give up: without Redis the budget lets requests go rather than hold them.
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def checkpoint_conninfo():
    """The workbench database, for the checkpointer's own connections."""
    database = connection.settings_dict
    parts = {
        "dbname": database["NAME"],
        "user": database["USER"],
        "password": database["PASSWORD"],
        "host": database["HOST"],
        "port": database["PORT"],
    }
    return make_conninfo(**{key: value for key, value in parts.items() if value})


def concurrency_for(job):
    wanted = job.params.get("concurrency") or getattr(
        settings, "WORKBENCH_AGENT_CONCURRENCY", DEFAULT_CONCURRENCY
    )
    return max(1, min(int(wanted), MAX_CONCURRENCY))


class _ClosingPool:
    """The job's thread pool as BriefOrder and the batches use it. A task's model calls
    are written through its thread's own database connection, closed when it ends."""

    def __init__(self, executor):
        self.executor = executor

    def submit(self, task, *args):
        return self.executor.submit(_closing_connection, task, *args)


def _closing_connection(task, *args):
    try:
        return task(*args)
    finally:
        connection.close()


def _run_batch(batch_input, brief, thread_id, checkpointer, llm, max_rounds, calls, budget):
    """In a pool thread: the pipeline, whose only database writes are its call records.
    None when the token budget was spent before the batch started."""
    batch_input = replace(batch_input, brief=brief.result())
    if budget and calls.spent >= budget:
        return None
    return draft_batch(
        batch_input,
        llm,
        checkpointer=checkpointer,
        thread_id=thread_id,
        max_rounds=max_rounds,
    )


def draft_document(job):
    """The "draft_document" job: draft what is left of the plan. Safe to run again."""
    if job.document is None:
        raise JobFailed("This drafting job names no document; start it from a document.")
    if problem := endpoint_problem(job.project):
        raise JobFailed(problem)
    calls = JobCalls(job)
    llm = llm_client(calls, job.project, concurrency_for(job))
    try:
        batches = _draft(job, llm, calls)
    finally:
        llm.close()
    _report(job, batches)


def _tm_first(job, context):
    """Fill the selected new segments from TM matches at or above the project's drafting
    threshold (100 by default; 101 is in context), before any model call. Without any
    translation unit there is nothing to find, and the batches need not wait for a lookup
    of every segment to say so."""
    if not context.has_memory:
        return
    document = job.document
    scope = selected_segments(document, {**job.params, "status": "new"})
    filled = pretranslate_document(
        document, threshold=document.project.tm_draft_threshold, segments=scope
    )
    if filled:
        job.tally(from_tm=filled)


def _report(job, batches):
    """Set the job's counters from what became of each segment, and end it partial or
    failed when some segments got no text."""
    outcomes = latest_outcomes(batches)
    counts = Counter(outcome["status"] for outcome in outcomes.values())
    job.record_counts(**{status: counts[status] for status in OUTCOMES})
    failed = [outcome for outcome in outcomes.values() if outcome["status"] == "failed"]
    if not failed:
        return
    first = failed[0]["reason"]
    if len(failed) == len(outcomes):
        raise JobFailed(
            f"The agents produced no text for any of the {len(failed):,} segments: {first} "
            "Retry the job once the cause is fixed; it drafts these segments again."
        )
    raise JobPartial(
        f"{len(failed):,} of {len(outcomes):,} segments got no text: {first} Retry the "
        "failed segments; the others are kept."
    )


def _draft(job, llm, calls):
    """Run the job's pending batches; returns all its batches."""
    concurrency = concurrency_for(job)
    threads = BATCHES_PER_SLOT * concurrency
    conninfo = checkpoint_conninfo()
    with (
        open_checkpointer(conninfo) as saver,
        # The threads share as many checkpoint connections as requests may be in flight.
        open_checkpointer(conninfo, connections=concurrency) as checkpointer,
        ThreadPoolExecutor(threads, thread_name_prefix=f"job-{job.pk}") as executor,
    ):
        pool = _ClosingPool(executor)
        # The brief first: the model writes it while this thread fills segments from the
        # TM, plans and gathers the first batches.
        brief = BriefOrder(job.document, llm, pool)
        context = DraftingContext(job.document)
        if not job.draft_batches.exists() and job.params.get("tm_first", True):
            _tm_first(job, context)
        run = _DraftRun(job, plan(job, concurrency), threads, calls)
        job.report_progress(run.done, run.total)
        run.context = context

        def submit(batch_input, thread_id):
            project = job.project
            return pool.submit(
                _run_batch,
                batch_input,
                brief,
                thread_id,
                checkpointer,
                llm,
                project.agent_max_rounds,
                calls,
                project.job_token_budget,
            )

        run.submit = submit
        try:
            run.fill()
            brief.keep()
            while run.running:
                finished, _ = wait(
                    run.running, timeout=CHECK_IN_SECONDS, return_when=FIRST_COMPLETED
                )
                results = [(run.running.pop(future), future.result()) for future in finished]
                # Free threads get their next batch before the results are stored, so the
                # model is never idle while this thread writes.
                run.fill()
                for (batch, planned), result in results:
                    if result is None:
                        run.stop_for_budget()
                        continue
                    persist_batch(
                        job, batch, result, run.context.models, run.tm_best.pop(batch.pk, {})
                    )
                    saver.delete_thread(batch.thread_id)
                    run.done += planned
                count_calls(job)
                run.check_in()
                run.fill()
        except JobTakenOver:
            raise  # the worker that has the job now resumes from the checkpoints
        except Exception:
            _forget_checkpoints(saver, run.batches)  # the job fails here
            raise
        finally:
            executor.shutdown(cancel_futures=True)
        count_calls(job)
        # The job ends now, finished, cancelled or out of budget: no batch resumes from a
        # checkpoint (a retry starts its batches again; the calls already answered are
        # answered from their records, never sent twice).
        _forget_checkpoints(saver, run.batches)
        if run.stopped is not None:
            raise run.stopped
    return run.batches


def _forget_checkpoints(saver, batches):
    for batch in batches:
        saver.delete_thread(batch.thread_id)


class _DraftRun:
    """One run of a drafting job: the batches waiting, those with the agents, how far
    the job has got, and why it must stop early (spent budget, a cancel)."""

    def __init__(self, job, batches, threads, calls):
        self.job = job
        self.batches = batches
        self.calls = calls
        self.threads = threads
        self.waiting = deque(b for b in batches if b.status == DraftBatch.Status.PENDING)
        self.total = sum(len(batch.segment_ids) for batch in batches)
        self.done = self.total - sum(len(batch.segment_ids) for batch in self.waiting)
        self.running = {}  # future -> (batch, segments planned)
        self.tm_best = {}  # batch id -> {segment id: best TM match offered}, for the risk
        self.stopped = None
        self.context = None
        self.submit = None

    def fill(self):
        """Dispatch batches while threads are free, unless the job must stop."""
        budget = self.job.project.job_token_budget
        # Batches prepared ahead of the threads: a thread that finishes starts its next
        # batch at once, without waiting for this thread to store the last one.
        while self.waiting and len(self.running) < self.threads + self.threads // 2:
            if budget and self.calls.spent >= budget:
                self.stop_for_budget()
            if self.stopped is not None:
                self.unqueue()
                return
            batch = self.waiting.popleft()
            planned = len(batch.segment_ids)
            segments = dispatch(batch)
            if not segments:
                finish_empty(batch)
                self.done += planned
                continue
            batch_input = self.context.batch_input(segments)
            future = self.submit(batch_input, batch.thread_id)
            self.running[future] = (batch, planned)
            self.tm_best[batch.pk] = {
                key: max(hint.percent for hint in hints)
                for key, hints in batch_input.tm_hints.items()
                if hints
            }

    def stop_for_budget(self):
        budget = self.job.project.job_token_budget
        self.stopped = self.stopped or JobFailed(
            f"The token budget of {budget:,} for one job is spent, after {self.done:,} of "
            f"{self.total:,} segments. Raise it in the project settings and retry the job; "
            "it continues with what is left."
        )

    def unqueue(self):
        """Take back the batches no thread has started; they stay pending for a retry."""
        for future in [future for future in self.running if future.cancel()]:
            del self.running[future]

    def check_in(self):
        """Report progress. A cancel stops new batches; the running ones are still stored
        (their model calls are paid for) before the job ends."""
        try:
            self.job.report_progress(self.done)
        except JobTakenOver:
            raise
        except JobCancelled as cancelled:
            self.stopped = self.stopped or cancelled
            self.unqueue()
