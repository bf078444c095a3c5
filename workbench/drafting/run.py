"""The "draft_document" job: the TM first, then the agents, for what a document still
needs, honestly reported.

1. On its first run the job fills the selected new segments from 101% and 100% TM
   matches (at or above the project's drafting threshold); those are not sent to the
   Translator.
2. It plans batches of consecutive segments (see planning.py) and runs
   `agents.graph.draft_batch` for C batches at once in a small thread pool (model calls
   wait on the network, so threads overlap them; the database is written only by the
   job's own thread), storing each batch as it comes back (persist.py).
3. It ends `succeeded` only when every segment in scope got a text; `partial` when some
   did not (retrying the job drafts those again, and only those); `failed` when none did.
   Every model call is a `ModelCall` row; a project's token budget per job stops the job
   before its next batch. A finished job deletes its LangGraph checkpoints.

The threads are kept waiting on the model and little else: a document without a brief
gets it from the model while the job's thread gathers the first batches, a batch is
queued ahead for every thread, and each thread keeps one checkpoint connection for the
whole job. `bench/agents_bench.py` measures how close this comes to the model's latency
alone.
"""

import threading
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import ExitStack, closing
from dataclasses import replace

from django.conf import settings
from django.db import connection
from psycopg.conninfo import make_conninfo

from agents.checkpoints import open_checkpointer
from agents.graph import draft_batch
from workbench.jobs.models import DraftBatch
from workbench.jobs.registry import JobCancelled, JobFailed, JobPartial, JobTakenOver
from workbench.memory.services import pretranslate_document
from workbench.projects.endpoints import agents_client, endpoint_problem

from .calls import CallLog, store_calls
from .context import BriefOrder, DraftingContext
from .persist import OUTCOMES, finish_empty, persist_batch
from .planning import dispatch, latest_outcomes, plan, selected_segments

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 32
# How often the job's own thread stores the model calls made so far and checks in.
CHECK_IN_SECONDS = 0.5


def llm_client(log, project):
    """The client of the project's agents: each role's calls go to its chosen endpoint."""
    return agents_client(project, sink=log, read_timeout=settings.OPENAI_TIMEOUT_SECONDS)


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


class Checkpointers:
    """One checkpointer per pool thread, opened with its first batch and kept for the
    job, rather than a new connection for every batch."""

    def __init__(self, conninfo):
        self.conninfo = conninfo
        self._opened = ExitStack()
        self._lock = threading.Lock()
        self._local = threading.local()

    def for_this_thread(self):
        saver = getattr(self._local, "saver", None)
        if saver is None:
            with self._lock:
                saver = self._opened.enter_context(open_checkpointer(self.conninfo))
            self._local.saver = saver
        return saver

    def close(self):
        self._opened.close()


def _run_batch(batch_input, brief, thread_id, checkpointers, llm, max_rounds, log, budget):
    """In a pool thread: the pipeline only, no Django. None when the token budget was
    spent before the batch started."""
    batch_input = replace(batch_input, brief=brief.result())
    if budget and log.spent >= budget:
        return None
    return draft_batch(
        batch_input,
        llm,
        checkpointer=checkpointers.for_this_thread(),
        thread_id=thread_id,
        max_rounds=max_rounds,
    )


def draft_document(job):
    """The "draft_document" job: draft what is left of the plan. Safe to run again."""
    if job.document is None:
        raise JobFailed("This drafting job names no document; start it from a document.")
    if problem := endpoint_problem(job.project):
        raise JobFailed(problem)
    if not job.draft_batches.exists() and job.params.get("tm_first", True):
        _tm_first(job)
    log = CallLog(spent=_spent(job))
    llm = llm_client(log, job.project)
    try:
        batches = _draft(job, llm, log)
    finally:
        llm.close()
    _report(job, batches)


def _tm_first(job):
    """Fill the selected new segments from TM matches at or above the project's drafting
    threshold (100 by default; 101 is in context), before any model call."""
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


def _draft(job, llm, log):
    """Run the job's pending batches; returns all its batches."""
    concurrency = concurrency_for(job)
    conninfo = checkpoint_conninfo()
    checkpointers = Checkpointers(conninfo)
    with (
        open_checkpointer(conninfo) as saver,
        closing(checkpointers),
        ThreadPoolExecutor(concurrency, thread_name_prefix=f"job-{job.pk}") as pool,
    ):
        # The brief first: the model writes it while this thread plans and gathers.
        brief = BriefOrder(job.document, llm, pool)
        run = _DraftRun(job, plan(job, concurrency), concurrency, log)
        job.report_progress(run.done, run.total)
        run.context = DraftingContext(job.document)

        def submit(batch_input, thread_id):
            project = job.project
            return pool.submit(
                _run_batch,
                batch_input,
                brief,
                thread_id,
                checkpointers,
                llm,
                project.agent_max_rounds,
                log,
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
                store_calls(job, log)
                results = [(run.running.pop(future), future.result()) for future in finished]
                # Free threads get their next batch before the results are stored, so the
                # model is never idle while this thread writes.
                run.fill()
                for (batch, planned), result in results:
                    if result is None:
                        run.stop_for_budget()
                        continue
                    persist_batch(job, batch, result, run.context.models)
                    saver.delete_thread(batch.thread_id)
                    run.done += planned
                run.check_in()
                run.fill()
        finally:
            pool.shutdown(cancel_futures=True)
        store_calls(job, log)
        if run.stopped is not None:
            raise run.stopped
        # Done: no batch will resume, so none of its checkpoints is needed any more.
        for batch in run.batches:
            saver.delete_thread(batch.thread_id)
    return run.batches


class _DraftRun:
    """One run of a drafting job: the batches waiting, those with the agents, how far
    the job has got, and why it must stop early (spent budget, a cancel)."""

    def __init__(self, job, batches, concurrency, log):
        self.job = job
        self.batches = batches
        self.log = log
        self.concurrency = concurrency
        self.waiting = deque(b for b in batches if b.status == DraftBatch.Status.PENDING)
        self.total = sum(len(batch.segment_ids) for batch in batches)
        self.done = self.total - sum(len(batch.segment_ids) for batch in self.waiting)
        self.running = {}  # future -> (batch, segments planned)
        self.stopped = None
        self.context = None
        self.submit = None

    def fill(self):
        """Dispatch batches while threads are free, unless the job must stop."""
        budget = self.job.project.job_token_budget
        # A batch queued ahead for each thread: a thread that finishes starts its next
        # batch at once, without waiting for this thread to store the last one.
        while self.waiting and len(self.running) < 2 * self.concurrency:
            if budget and self.log.spent >= budget:
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
            future = self.submit(self.context.batch_input(segments), batch.thread_id)
            self.running[future] = (batch, planned)

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


def _spent(job):
    return job.result.get("tokens_in", 0) + job.result.get("tokens_out", 0)
