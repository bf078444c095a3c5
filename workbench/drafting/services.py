"""Starting the agents on a document, and what the pages show of their work."""

from workbench.jobs.models import DraftBatch, Job
from workbench.jobs.services import enqueue, retry_job
from workbench.projects.capabilities import can
from workbench.projects.endpoints import endpoint_problem

from .planning import DraftingRefused, latest_outcomes, selected_segments

DRAFT_KIND = "draft_document"
REVISE_KIND = "revise_segment"
IN_FLIGHT = (Job.Status.QUEUED, Job.Status.RUNNING)


def check_endpoint(project):
    if problem := endpoint_problem(project):
        raise DraftingRefused(problem)


def can_start_drafting(document, user, role):
    """Managers and reviewers start the agents on any document of the project; a
    translator only on a document assigned to them, as the drafts land in their work."""
    if can(role, "document.draft"):
        return True
    return can(role, "document.draft.assigned") and document.is_assigned_to(user)


def start_drafting(document, user, params=None):
    """Queue a drafting job for the document, or raise DraftingRefused."""
    check_endpoint(document.project)
    params = {key: value for key, value in (params or {}).items() if value}
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
    return enqueue(
        DRAFT_KIND, project=document.project, document=document, params=params, user=user
    )


def retry_failed_segments(job, user):
    """Queue a drafting job that ended partial or failed again: it drafts the segments
    that got no text, and only those."""
    if job.kind != DRAFT_KIND:
        raise DraftingRefused("Only drafting jobs retry their failed segments.")
    check_endpoint(job.project)
    retry_job(job, user)
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
