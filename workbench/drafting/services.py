"""Starting the agents on a document, and what the pages show of their work."""

from django.db.models import Count, Q

from workbench.documents.models import Revision
from workbench.jobs.models import DraftBatch, Job
from workbench.jobs.services import TooManyJobs, enqueue, retry_job
from workbench.projects.capabilities import can
from workbench.projects.endpoints import endpoint_problem

from .planning import DraftingRefused, check_selection, latest_outcomes, selected_segments

DRAFT_KIND = "draft_document"
REVISE_KIND = "revise_segment"
IN_FLIGHT = (Job.Status.QUEUED, Job.Status.RUNNING)
DRAFT_PARAMS = {"redraft", "status", "segment_ids", "positions", "concurrency", "tm_first"}
SCOPES = ("all", "new", "drafted", "positions", "selection")


def check_endpoint(project):
    if problem := endpoint_problem(project):
        raise DraftingRefused(problem)


def can_start_drafting(document, user, role):
    """Managers and reviewers start the agents on any document of the project; a
    translator only on a document assigned to them, as the drafts land in their work."""
    if can(role, "document.draft"):
        return True
    return can(role, "document.draft.assigned") and document.is_assigned_to(user)


def check_params(document, params):
    """A drafting job's params, checked whatever sent them (the page, the command line,
    a test): a selection must be segments of this document, a range two numbers in
    order. An empty or foreign selection is refused, never read as "everything"."""
    unknown = set(params) - DRAFT_PARAMS
    if unknown:
        raise DraftingRefused(
            f"Unknown drafting option(s): {', '.join(sorted(unknown))}; choose from "
            f"{', '.join(sorted(DRAFT_PARAMS))}."
        )
    checked = {key: params[key] for key in ("concurrency", "tm_first") if key in params}
    if params.get("redraft"):
        checked["redraft"] = True
    if params.get("status"):
        if params["status"] not in ("new", "drafted"):
            raise DraftingRefused("Draft the new or the drafted segments, or choose another scope.")
        checked["status"] = params["status"]
    if "segment_ids" in params:
        checked["segment_ids"] = check_selection(document, params["segment_ids"])
    if params.get("positions") is not None:
        checked["positions"] = check_positions(params["positions"])
    return checked


def check_positions(positions):
    try:
        first, last = (int(value) for value in positions)
    except (TypeError, ValueError):
        raise DraftingRefused("Give the range as two segment numbers, e.g. from 1 to 50.") from None
    if first < 1 or last < first:
        raise DraftingRefused(
            f"The range {first}–{last} is empty; the first number must be at least 1 and not "
            "above the last."
        )
    return [first, last]


def drafting_params(document, *, scope="all", redraft=False, first=None, last=None, segment_ids=()):
    """Job params for what a person chose to draft, on the drafting page or through the
    API: the whole document, one status, a range of positions, or chosen segments.
    `start_drafting` checks them (`check_params`), whatever sent them."""
    if scope not in SCOPES:
        raise DraftingRefused("Choose what to draft: all, new, drafted, a range or a selection.")
    if scope in ("new", "drafted"):
        return {"status": scope}
    redrafting = {"redraft": True} if redraft else {}
    if scope == "positions":
        return {**redrafting, "positions": [first, last]}
    if scope == "selection":
        return {**redrafting, "segment_ids": list(segment_ids)}
    return redrafting


def start_drafting(document, user, params=None):
    """Queue a drafting job for the document, or raise DraftingRefused."""
    check_endpoint(document.project)
    params = check_params(document, params or {})
    running = document.jobs.filter(kind=DRAFT_KIND, status__in=IN_FLIGHT).first()
    if running:
        raise DraftingRefused(
            f"The agents are already drafting this document (job #{running.pk}); wait for it "
            "to finish or cancel it first."
        )
    if not selected_segments(document, params).exists():
        raise DraftingRefused(
            "There is nothing for the agents to draft here: every selected segment already "
            "has a text, or is confirmed, approved, locked or was edited by a person. Tick "
            "“draft again” to replace machine drafts."
        )
    try:
        return enqueue(
            DRAFT_KIND, project=document.project, document=document, params=params, user=user
        )
    except TooManyJobs as refused:
        raise DraftingRefused(str(refused)) from None


def retry_failed_segments(job, user):
    """Queue a drafting job that ended partial or failed again: it drafts the segments
    that got no text, and only those."""
    if job.kind != DRAFT_KIND:
        raise DraftingRefused("Only drafting jobs retry their failed segments.")
    check_endpoint(job.project)
    try:
        retry_job(job, user)
    except TooManyJobs as refused:
        raise DraftingRefused(str(refused)) from None
    return job


def latest_drafting_job(document):
    return document.jobs.filter(kind=DRAFT_KIND).first()


def draft_outcomes(document):
    """{segment id: {"status", "reason"}}: what the latest drafting job that reached each
    segment made of it."""
    outcomes = {}
    batches = DraftBatch.objects.filter(
        job__document=document, status=DraftBatch.Status.DONE
    ).order_by("job_id", "number")
    by_job = {}
    for batch in batches:
        by_job.setdefault(batch.job_id, []).append(batch)
    for job_batches in by_job.values():
        outcomes.update(latest_outcomes(job_batches))
    return outcomes


def machine_drafted(document):
    """(segments the agents drafted, segments filled from the TM) in the document, from
    its history: a segment counts once however often it was drafted, and stays counted
    once a person confirms or approves it (its status then says translated or approved,
    which is why the status counts alone cannot say what was drafted)."""
    counted = Revision.objects.filter(segment__document=document).aggregate(
        agents=Count("segment", filter=Q(origin=Revision.Origin.AGENT), distinct=True),
        tm=Count("segment", filter=Q(origin=Revision.Origin.TM), distinct=True),
    )
    return counted["agents"], counted["tm"]


def what_was_drafted(result):
    """A drafting job's outcome counters as the drafting page and the command say them:
    every segment the agents wrote counts as drafted, those with issues left for a person
    among them (the counters keep "drafted" and "flagged" apart)."""
    drafted = result.get("drafted", 0) + result.get("flagged", 0)
    lines = [f"{drafted:,} drafted by the agents"]
    if result.get("flagged"):
        lines[0] += f" ({result['flagged']:,} with issues to check)"
    if result.get("from_tm"):
        lines.append(f"{result['from_tm']:,} filled from the TM")
    if result.get("failed"):
        lines.append(f"{result['failed']:,} got no text")
    if result.get("late"):
        lines.append(f"{result['late']:,} changed by a person meanwhile (offered as suggestions)")
    return lines
