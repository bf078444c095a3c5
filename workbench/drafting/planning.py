"""Which segments a drafting job works on, and its batches.

A job plans batches of consecutive segments once and stores the plan (`DraftBatch`), so a
resumed job works on the same batches and each batch's LangGraph checkpoint thread still
matches its segments. A job retried after it ended partial or failed plans new batches
for the segments that got no text, and only those.
"""

from agents.batching import plan_batches, segment_cost
from workbench.documents.models import Segment
from workbench.jobs.models import DraftBatch

from .context import CONTEXT_ALLOWANCE, TOKEN_BUDGET

# A batch smaller than this spends more on its context than on its segments.
MIN_BATCH_SEGMENTS = 8
# Segments of a batch: what one and a half Translator calls hold. Review calls answer
# briefly, so one Annotator call holds the whole batch (BatchInput.review_budget): two
# Translator calls share its review calls, and a long document still has enough batches
# to keep every call slot busy until the end (bench/agents_bench.py).
BATCH_BUDGET = CONTEXT_ALLOWANCE + (TOKEN_BUDGET - CONTEXT_ALLOWANCE) * 3 // 2
FAILED = "failed"


class DraftingRefused(Exception):
    """Drafting cannot start; the message says why and what to do. Nothing was queued."""


def selected_segments(document, params):
    """The segments of the document that a job's params select and the agents may draft:
    machines may write them (new or drafted, untouched by people, not locked), they are
    not a TM match at or above the project's drafting threshold (the TM comes first), and
    they have no text yet unless the job redrafts (`redraft`, or `status` "drafted").
    `segment_ids`, `positions` [first, last] and `status` narrow the choice."""
    project = document.project
    segments = (
        document.segments.machine_writable()
        .exclude(draft_origin=Segment.DraftOrigin.TM, match_percent__gte=project.tm_draft_threshold)
        .order_by("position")
    )
    status = params.get("status")
    if status:
        segments = segments.filter(status=status)
    elif not params.get("redraft"):
        segments = segments.filter(status=Segment.Status.NEW)
    if "segment_ids" in params:  # an empty selection selects nothing, never everything
        segments = segments.filter(pk__in=params["segment_ids"])
    if params.get("positions"):
        first, last = params["positions"]
        segments = segments.filter(position__gte=first, position__lte=last)
    return segments


def check_selection(document, ids):
    """Segment ids from a form or an API call, as ints, all of this document; refused
    (naming what is wrong) when one is not a number or not a segment of it."""
    try:
        wanted = {int(value) for value in ids}
    except (TypeError, ValueError):
        raise DraftingRefused(
            "The selection contains something that is not a segment number; tick the "
            "segments again."
        ) from None
    if not wanted:
        raise DraftingRefused("Tick the segments to draft, or choose another scope.")
    found = set(document.segments.filter(pk__in=wanted).values_list("pk", flat=True))
    if found != wanted:
        raise DraftingRefused(
            f"{len(wanted - found)} of the selected segments are not segments of "
            f"“{document.title}”; reload the page and tick the segments again."
        )
    return sorted(found)


def balanced_runs(segments, concurrency):
    """Consecutive runs of segments of about equal cost, each within the batch budget;
    at least `concurrency` of them when the document is long enough, so that a short one
    still keeps every call slot busy. Free threads take the next batch as they come
    (run.py), so the count need not be a multiple of anything."""
    runs = plan_batches(
        segments, BATCH_BUDGET, overhead=CONTEXT_ALLOWANCE, source=lambda segment: segment.source
    )
    if not runs:
        return runs
    wanted = max(len(runs), min(concurrency, len(segments) // MIN_BATCH_SEGMENTS))
    costs = [segment_cost(segment.source) for segment in segments]
    total = sum(costs)
    balanced = [[] for _ in range(wanted)]
    spent = 0
    for segment, cost in zip(segments, costs, strict=True):
        balanced[min(wanted - 1, spent * wanted // total)].append(segment)
        spent += cost
    return [run for run in balanced if run]


def plan(job, concurrency):
    """The job's batches: planned on its first run and reused when it resumes. When
    every batch is done (the job is retried after ending partial or failed), new batches
    for the segments that got no text and that machines may still write."""
    batches = list(job.draft_batches.all())
    if not batches:
        return _new_batches(job, list(selected_segments(job.document, job.params)), concurrency)
    if any(batch.status == DraftBatch.Status.PENDING for batch in batches):
        return batches
    failed = failed_segment_ids(batches)
    if not failed:
        return batches
    retried = list(selected_segments(job.document, job.params).filter(pk__in=failed))
    start = max(batch.number for batch in batches) + 1
    return batches + _new_batches(job, retried, concurrency, start)


def _new_batches(job, segments, concurrency, start=1):
    return DraftBatch.objects.bulk_create(
        DraftBatch(job=job, number=number, segment_ids=[segment.pk for segment in run])
        for number, run in enumerate(balanced_runs(segments, concurrency), start=start)
    )


def latest_outcomes(batches):
    """{segment id: {"status", "reason"}}: the latest outcome of each segment over the
    finished batches, in the order they were planned."""
    outcomes = {}
    for batch in sorted(batches, key=lambda batch: batch.number):
        if batch.status == DraftBatch.Status.DONE:
            outcomes.update({int(key): value for key, value in batch.outcomes.items()})
    return outcomes


def failed_segment_ids(batches):
    return [pk for pk, outcome in latest_outcomes(batches).items() if outcome["status"] == FAILED]


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
