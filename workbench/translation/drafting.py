"""Drafting with the agents: the workbench side of `agents/`.

A "draft_document" job plans batches of consecutive machine-writable segments once and
stores the plan (`DraftBatch`), so a resumed or retried job works on the same batches and
each batch's LangGraph checkpoint thread still matches its segments. For each batch it
gathers the context (document brief, neighbours with their human translations, glossary
terms, TM hints, few-shot corrections), records the segment versions at dispatch, runs
`agents.graph.draft_batch` in a small thread pool (model calls wait on the network, so
threads overlap them; the database is touched only by the job's own thread), and stores
what came back in one transaction per batch:

- the Translator's draft and the Proofreader's revision as Suggestions;
- the final text as the target, only by compare-and-set on the dispatched version, with
  a Revision (invariants 1 and 3), and the issues still open in it as Annotations;
- for a segment a person touched meanwhile, the final text as a "late" Suggestion.

Every model call becomes a `ModelCall` row and is tallied on the job; a project's token
budget per job stops the job before its next batch.

The threads are kept waiting on the model and little else: a document without a brief
gets it from the model while the job's thread gathers the first batches, a batch is
queued ahead for every thread, and each thread keeps one checkpoint connection for the
whole job. `bench/agents_bench.py` measures how close this comes to the model's latency
alone.
"""

import math
import queue
import threading
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import ExitStack, closing
from dataclasses import asdict, replace

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.conninfo import make_conninfo
from pydantic import ValidationError

from agents.batching import plan_batches, segment_cost
from agents.checkpoints import open_checkpointer
from agents.context import (
    BatchInput,
    GlossaryConstraint,
    LanguagePair,
    Neighbour,
    RevisionContext,
    RoleModels,
    SegmentInput,
    TMHint,
)
from agents.graph import draft_batch, make_brief, revise_segment
from agents.llm import LLMClient, LLMError
from agents.prompts import PROMPT_VERSIONS
from agents.schemas import DocumentBrief
from workbench.documents.models import Segment
from workbench.feedback.learning import lessons_for, similar_corrections
from workbench.feedback.models import Correction
from workbench.jobs.models import DraftBatch, Job, ModelCall
from workbench.jobs.registry import JobCancelled, JobFailed, JobTakenOver
from workbench.jobs.services import enqueue
from workbench.memory.glossary import termbase_for
from workbench.memory.lookup import lookup, memories_of
from workbench.memory.models import TranslationUnit
from workbench.projects.access import MANAGER, REVIEWER, TRANSLATOR

from .models import Annotation, Revision, Suggestion
from .services import EditRefused, check_target_text

DRAFT_KIND = "draft_document"
REVISE_KIND = "revise_segment"

AGENT = "agent"
BRIEF_SEGMENTS = 40  # the opening of a judgment names the court, parties and judges
NEIGHBOURS = 2
EXAMPLES = 4
TM_HINTS = 2
# Tokens of segments per Translator call, as in agents.context.BatchInput, and what a
# batch leaves of it for its context (brief, neighbours, glossary, examples), so that a
# batch is usually one Translator call.
TOKEN_BUDGET = 3000
CONTEXT_ALLOWANCE = 800
# A batch smaller than this spends more on its context than on its segments.
MIN_BATCH_SEGMENTS = 8
DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 32
# How often the job's own thread stores the model calls made so far and checks in.
CHECK_IN_SECONDS = 0.5
MAX_ERROR_CHARS = 2000

NO_ENDPOINT = (
    "No model endpoint is configured, so the agents cannot draft. Set OPENAI_BASE_URL (and "
    "OPENAI_API_KEY if the endpoint needs a key) for the web server and the workers, then "
    "try again."
)
EMPTY_BRIEF = DocumentBrief(
    court="",
    case_number="",
    parties=[],
    judges=[],
    defined_terms=[],
    key_terms=[],
    notes="",
)


class DraftingRefused(Exception):
    """Drafting cannot start; the message says why and what to do. Nothing was queued."""


# Starting ------------------------------------------------------------------------------


def check_endpoint():
    if not settings.OPENAI_BASE_URL:
        raise DraftingRefused(NO_ENDPOINT)


def selected_segments(document, params):
    """The machine-writable segments of the document that a job's params select: all, or
    `segment_ids`, or `positions` [first, last], or one `status` (new or drafted)."""
    segments = document.segments.machine_writable().order_by("position")
    if params.get("segment_ids"):
        segments = segments.filter(pk__in=params["segment_ids"])
    if params.get("positions"):
        first, last = params["positions"]
        segments = segments.filter(position__gte=first, position__lte=last)
    if params.get("status"):
        segments = segments.filter(status=params["status"])
    return segments


def can_start_drafting(document, user, role):
    """Managers and reviewers start the agents on any document of the project; a
    translator only on a document assigned to them, as the drafts land in their work."""
    if role in (MANAGER, REVIEWER):
        return True
    return role == TRANSLATOR and document.is_assigned_to(user)


def start_drafting(document, user, params=None):
    """Queue a drafting job for the document, or raise DraftingRefused."""
    check_endpoint()
    params = {key: value for key, value in (params or {}).items() if value}
    running = document.jobs.filter(
        kind=DRAFT_KIND, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    ).first()
    if running:
        raise DraftingRefused(
            f"The agents are already drafting this document (job #{running.pk}); wait for it "
            "to finish or cancel it first."
        )
    if not selected_segments(document, params).exists():
        raise DraftingRefused(
            "There is nothing for the agents to draft here: every selected segment is "
            "translated, approved or was edited by a person."
        )
    return enqueue(
        DRAFT_KIND, project=document.project, document=document, params=params, user=user
    )


# Context -------------------------------------------------------------------------------


def language_pair(project):
    return LanguagePair(project.source_language, project.target_language)


def role_models(project):
    return RoleModels(
        translator=project.model_for("translator"),
        annotator=project.model_for("annotator"),
        proofreader=project.model_for("proofreader"),
        brief=project.model_for("brief"),
    )


def brief_of(document):
    """The document's brief, or None when it has none (or none that fits the form)."""
    if not document.brief:
        return None
    try:
        return DocumentBrief.model_validate(document.brief)
    except ValidationError:
        return None


class BriefOrder:
    """The document's brief for the batches of one job, made once from the opening
    segments of a document that has none. The model writes it in a pool thread while the
    job's thread gathers the first batches, which wait for it in their own threads, so
    the model call is the only wait. When the model cannot make one the batches go
    without (an empty brief, so no batch tries again)."""

    def __init__(self, document, llm, pool):
        self.document = document
        self.given = brief_of(document)
        self.made = None
        if self.given is None:
            project = document.project
            opening = document.segments.order_by("position").values_list("source", flat=True)
            self.made = pool.submit(
                _make_brief,
                language_pair(project),
                "\n".join(opening[:BRIEF_SEGMENTS]),
                llm,
                project.model_for("brief"),
            )

    def result(self):
        """The brief, once the model has written it."""
        return self.given if self.made is None else self.made.result()

    def keep(self):
        """In the job's thread: store the brief the model made on the document."""
        if self.made is None or self.made.result() is EMPTY_BRIEF:
            return
        self.document.brief = self.made.result().model_dump()
        self.document.save(update_fields=["brief"])


def _make_brief(pair, excerpt, llm, model):
    try:
        brief, _ = make_brief(pair, excerpt, llm, model)
    except LLMError:
        return EMPTY_BRIEF
    return brief


def glossary_for(termbase, text):
    found = {}
    for hit in termbase.recognise(text):
        term = hit.term
        found[(term.source_term, term.target_term)] = GlossaryConstraint(
            term.source_term, term.target_term, term.status
        )
    return list(found.values())


def few_shot_examples(project, sources):
    """Earlier corrections to show the Translator: approved segments whose person's text
    differs from the machine text it started from, the most alike to `sources` first."""
    return similar_corrections(project, sources, limit=EXAMPLES)


def tm_hints(segments, project):
    return {
        str(segment.pk): [
            TMHint(source=match.source, target=match.target, percent=match.percent)
            for match in lookup(segment, project, limit=TM_HINTS)
        ]
        for segment in segments
    }


def is_human(segment):
    return not segment.machine_writable and bool(segment.target)


class DraftingContext:
    """What every batch of one document shares, looked up once per job."""

    def __init__(self, document):
        project = document.project
        self.document = document
        self.pair = language_pair(project)
        self.models = role_models(project)
        self.termbase = termbase_for(project)
        self.has_memory = TranslationUnit.objects.filter(memory__in=memories_of(project)).exists()
        # Without approved corrections the search for examples, a trigram query per
        # batch, can only come back empty.
        self.has_corrections = Correction.objects.approved().filter(project=project).exists()
        self.lessons = lessons_for(project)

    def batch_input(self, segments):
        """The BatchInput for consecutive `segments`: people's translations inside their
        span are fixed context, and the segments around it are neighbours. The brief is
        added in the batch's thread (see BriefOrder)."""
        first, last = segments[0].position, segments[-1].position
        around = list(
            self.document.segments.filter(
                position__gte=first - NEIGHBOURS, position__lte=last + NEIGHBOURS
            ).order_by("position")
        )
        drafting = {segment.pk for segment in segments}
        fixed = [
            SegmentInput(
                id=str(s.pk),
                source=s.source,
                human_target=s.target,
                kind=s.kind,
                paragraph_number=s.paragraph_number,
            )
            for s in around
            if first < s.position < last and s.pk not in drafting and is_human(s)
        ]
        sources = [segment.source for segment in segments]
        return BatchInput(
            pair=self.pair,
            segments=[
                SegmentInput(
                    id=str(s.pk), source=s.source, kind=s.kind, paragraph_number=s.paragraph_number
                )
                for s in segments
            ]
            + fixed,
            models=self.models,
            before=[_neighbour(s) for s in around if s.position < first],
            after=[_neighbour(s) for s in around if s.position > last],
            glossary=glossary_for(self.termbase, "\n".join(sources)),
            tm_hints=tm_hints(segments, self.document.project) if self.has_memory else {},
            examples=few_shot_examples(self.document.project, sources)
            if self.has_corrections
            else [],
            lessons=self.lessons,
            token_budget=TOKEN_BUDGET,
        )


def _neighbour(segment):
    human = is_human(segment)
    return Neighbour(source=segment.source, target=segment.target if human else "", is_human=human)


# Planning ------------------------------------------------------------------------------


def balanced_runs(segments, concurrency):
    """Consecutive runs of segments, each within the token budget of one Translator call,
    and as many as fills every worker thread equally (a multiple of `concurrency`) so the
    last round of batches does not leave threads idle."""
    runs = plan_batches(
        segments, TOKEN_BUDGET, overhead=CONTEXT_ALLOWANCE, source=lambda segment: segment.source
    )
    if concurrency <= 1 or not runs:
        return runs
    wanted = math.ceil(len(runs) / concurrency) * concurrency
    wanted = min(wanted, max(len(runs), len(segments) // MIN_BATCH_SEGMENTS))
    costs = [segment_cost(segment.source) for segment in segments]
    total = sum(costs)
    balanced = [[] for _ in range(wanted)]
    spent = 0
    for segment, cost in zip(segments, costs, strict=True):
        balanced[min(wanted - 1, spent * wanted // total)].append(segment)
        spent += cost
    return [run for run in balanced if run]


def plan(job, concurrency):
    """The job's batches, planned on its first run and reused on every later one."""
    batches = list(job.draft_batches.all())
    if batches:
        return batches
    segments = list(selected_segments(job.document, job.params))
    return DraftBatch.objects.bulk_create(
        DraftBatch(job=job, number=number, segment_ids=[segment.pk for segment in run])
        for number, run in enumerate(balanced_runs(segments, concurrency), start=1)
    )


def dispatch(batch):
    """The batch's segments as sent to the agents. The first dispatch records their
    versions (dropping any a person took in the meantime); a resumed batch keeps them,
    so its checkpoint and its compare-and-set stay those of the first dispatch."""
    segments = Segment.objects.filter(pk__in=batch.segment_ids).order_by("position")
    if batch.versions is None:
        segments = [segment for segment in segments if segment.machine_writable]
        batch.segment_ids = [segment.pk for segment in segments]
        batch.versions = {str(segment.pk): segment.version for segment in segments}
        batch.save(update_fields=["segment_ids", "versions"])
    return list(segments)


# Persisting ----------------------------------------------------------------------------


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


def _suggestion(segment, kind, text, provenance, job, **extra):
    return Suggestion(
        segment=segment,
        kind=kind,
        text=text,
        agent_role=provenance.role[:20],
        model_name=provenance.model[:100],
        prompt_version=provenance.prompt_version[:40],
        round=provenance.round,
        job=job,
        **extra,
    )


def _annotation(segment, issue, round_number, models, job):
    from_annotator = issue.source == Annotation.Source.ANNOTATOR
    return Annotation(
        segment=segment,
        source=issue.source if issue.source in Annotation.Source.values else "check",
        category=issue.category if issue.category in Annotation.Category.values else "accuracy",
        severity=issue.severity if issue.severity in Annotation.Severity.values else "major",
        span=issue.span,
        suggestion=issue.suggestion,
        explanation=issue.explanation,
        round=round_number,
        model_name=models.annotator[:100] if from_annotator else "",
        prompt_version=PROMPT_VERSIONS["annotator"] if from_annotator else "",
        job=job,
    )


def _clean(segment, text):
    """The agents' text as it may be stored, or EditRefused: the same rules as a
    person's (no control characters, whole tags, a sane length)."""
    return check_target_text(segment, text or "")


@transaction.atomic
def persist_batch(job, batch, result, models):
    """Store one batch's results and mark it done, all or nothing. Returns the counts
    by outcome (drafted, flagged, failed, late)."""
    results = result.by_id()
    segments = Segment.objects.in_bulk(batch.segment_ids)
    suggestions, annotations, revisions, finals = [], [], [], {}
    outcomes = {}
    for segment_id in batch.segment_ids:
        segment, key = segments.get(segment_id), str(segment_id)
        found = results.get(key)
        if segment is None:
            continue
        if found is None or found.status == "failed" or not found.final_target:
            reason = (found.reason if found else "") or (
                "The agents returned no text for this segment; draft it again or translate "
                "it by hand."
            )
            outcomes[key] = {"status": "failed", "reason": reason}
            continue
        try:
            final = _clean(segment, found.final_target)
            draft = _clean(segment, found.draft) if found.draft else ""
            revision = _clean(segment, found.revision) if found.revision else ""
        except EditRefused as refused:
            outcomes[key] = {
                "status": "failed",
                "reason": f"The agents' text could not be stored: {refused}",
            }
            continue
        if draft:
            suggestions.append(
                _suggestion(segment, Suggestion.Kind.DRAFT, draft, found.draft_provenance, job)
            )
        if revision:
            suggestions.append(
                _suggestion(
                    segment,
                    Suggestion.Kind.REVISION,
                    revision,
                    found.revision_provenance,
                    job,
                    resolutions=[asdict(resolution) for resolution in found.resolutions],
                )
            )
        finals[segment.pk] = final
    now = timezone.now()
    written = write_targets(finals, batch.versions, now)
    for segment_id, final in finals.items():
        segment, found, key = segments[segment_id], results[str(segment_id)], str(segment_id)
        provenance = found.final_provenance
        if segment_id not in written:
            suggestions.append(_suggestion(segment, Suggestion.Kind.LATE, final, provenance, job))
            outcomes[key] = {
                "status": "late",
                "reason": "A person changed the segment while the agents worked; their text "
                "stays and the agents' text is offered as a suggestion.",
            }
            continue
        revisions.append(
            Revision(
                segment=segment,
                origin=Revision.Origin.AGENT,
                agent_role=provenance.role[:20],
                model_name=provenance.model[:100],
                prompt_version=provenance.prompt_version[:40],
                old_target=segment.target,
                new_target=final,
                old_status=segment.status,
                new_status=Segment.Status.DRAFTED,
                version=batch.versions[key] + 1,
            )
        )
        annotations += [
            _annotation(segment, issue, provenance.round, models, job) for issue in found.issues
        ]
        outcomes[key] = {"status": found.status, "reason": found.reason}
    # Issues found in an earlier text of a segment drafted again no longer apply.
    Annotation.objects.filter(segment_id__in=written, status=Annotation.Status.OPEN).update(
        status=Annotation.Status.DISMISSED,
        dismiss_reason="The agents drafted the segment again.",
        resolved_at=now,
    )
    Suggestion.objects.bulk_create(suggestions)
    Revision.objects.bulk_create(revisions)
    Annotation.objects.bulk_create(annotations)
    batch.status = DraftBatch.Status.DONE
    batch.outcomes = outcomes
    batch.finished_at = now
    batch.save(update_fields=["status", "outcomes", "finished_at"])
    counts = Counter(outcome["status"] for outcome in outcomes.values())
    job.tally(**{status: counts[status] for status in ("drafted", "flagged", "failed", "late")})
    return counts


def write_targets(finals, versions, now):
    """Write the agents' texts ({segment id: text}) by compare-and-set: only where the
    segment still has the version seen at dispatch, is new or drafted, and was not saved
    by a person (invariant 1). One statement for the whole batch; returns the ids written.
    It is this ORM update, for many rows at once:

        Segment.objects.filter(pk=id, version=dispatched, status__in=("new", "drafted"))
        .exclude(draft_origin="person").update(target=text, status="drafted", ...)
    """
    if not finals:
        return set()
    rows = [(pk, versions[str(pk)], text) for pk, text in finals.items()]
    values = ", ".join(["(%s::bigint, %s::integer, %s::text)"] * len(rows))
    table = connection.ops.quote_name(Segment._meta.db_table)
    # Only the quoted table name and placeholders are formatted in; values are parameters.
    sql = (
        f"UPDATE {table} AS segment SET target = agent.target, status = %s, "  # noqa: S608
        "draft_origin = %s, version = segment.version + 1, match_percent = NULL, "
        f"updated_at = %s FROM (VALUES {values}) AS agent(id, version, target) "
        "WHERE segment.id = agent.id AND segment.version = agent.version "
        "AND segment.status = ANY(%s) AND segment.draft_origin <> %s RETURNING segment.id"
    )
    parameters = [
        Segment.Status.DRAFTED,
        AGENT,
        now,
        *(value for row in rows for value in row),
        list(Segment.MACHINE_WRITABLE),
        Segment.PERSON,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return {row[0] for row in cursor.fetchall()}


# The job -------------------------------------------------------------------------------


def llm_client(log):
    return LLMClient(
        settings.OPENAI_BASE_URL,
        settings.OPENAI_API_KEY,
        read_timeout=settings.OPENAI_TIMEOUT_SECONDS,
        sink=log,
    )


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
    if not settings.OPENAI_BASE_URL:
        raise JobFailed(NO_ENDPOINT)
    log = CallLog(spent=_spent(job))
    llm = llm_client(log)
    try:
        _draft(job, llm, log)
    finally:
        llm.close()


def _draft(job, llm, log):
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


class _DraftRun:
    """One run of a drafting job: the batches waiting, those with the agents, how far
    the job has got, and why it must stop early (spent budget, a cancel)."""

    def __init__(self, job, batches, concurrency, log):
        self.job = job
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
                _finish_empty(batch)
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


def _finish_empty(batch):
    batch.status = DraftBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])


def _spent(job):
    return job.result.get("tokens_in", 0) + job.result.get("tokens_out", 0)


# Revising on request -------------------------------------------------------------------


def revise_on_request(job, segment, instruction):
    """The "revise_segment" job: the agents' answer to a person's instruction, stored as
    an on_request Suggestion. The segment's target is never written."""
    if not settings.OPENAI_BASE_URL:
        raise JobFailed(NO_ENDPOINT)
    project, document = job.project, segment.document
    log = CallLog()
    llm = llm_client(log)
    around = list(
        document.segments.filter(
            position__gte=segment.position - NEIGHBOURS, position__lte=segment.position + NEIGHBOURS
        )
        .exclude(pk=segment.pk)
        .order_by("position")
    )
    revision_context = RevisionContext(
        pair=language_pair(project),
        current_target=segment.target,
        brief=brief_of(document),
        before=[_neighbour(s) for s in around if s.position < segment.position],
        after=[_neighbour(s) for s in around if s.position > segment.position],
        glossary=glossary_for(termbase_for(project), segment.source),
        lessons=lessons_for(project),
    )
    source = SegmentInput(
        id=str(segment.pk),
        source=segment.source,
        kind=segment.kind,
        paragraph_number=segment.paragraph_number,
    )
    model = project.model_for("proofreader")
    try:
        text, record = revise_segment(source, instruction, revision_context, llm, model)
    except (LLMError, ValueError) as error:
        raise JobFailed(
            f"The agents could not revise segment {segment.position}: {error}"
        ) from None
    finally:
        llm.close()
        store_calls(job, log)
    try:
        text = _clean(segment, text)
    except EditRefused as refused:
        raise JobFailed(f"The agents' revision could not be stored: {refused}") from None
    suggestion = Suggestion.objects.create(
        segment=segment,
        kind=Suggestion.Kind.ON_REQUEST,
        text=text,
        agent_role="proofreader",
        model_name=record.model[:100],
        prompt_version=record.prompt_version[:40],
        instruction=instruction,
        job=job,
        requested_by=job.created_by,
    )
    job.tally(suggestions=1)
    return suggestion


# What the pages show -------------------------------------------------------------------


def draft_outcomes(document):
    """{segment id: {"status", "reason"}}: what the latest drafting job that reached each
    segment made of it."""
    outcomes = {}
    batches = DraftBatch.objects.filter(
        job__document=document, status=DraftBatch.Status.DONE
    ).order_by("finished_at", "pk")
    for outcome_map in batches.values_list("outcomes", flat=True):
        outcomes.update({int(key): value for key, value in outcome_map.items()})
    return outcomes
