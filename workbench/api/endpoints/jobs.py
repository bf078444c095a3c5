"""Background jobs: start the agents drafting, watch progress, cancel, retry."""

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from workbench.drafting.services import (
    DRAFT_KIND,
    can_start_drafting,
    drafting_params,
    retry_failed_segments,
    start_drafting,
)
from workbench.jobs.services import cancel_job, retry_job

from ..access import check, document_for, job_for, project_for
from ..schemas import DraftingIn, JobOut

router = Router(tags=["jobs"])

MAY_NOT_DRAFT = (
    "Managers and reviewers start the agents; a translator only on a document assigned to "
    "them. Ask a manager to assign you the document."
)


class JobQuery(Schema):
    document_id: int | None = Field(None, description="Only the jobs of this document")
    kind: str | None = Field(None, max_length=64, description="e.g. draft_document, export")
    limit: int = Field(50, ge=1, le=200)


@router.get("/projects/{slug}/jobs", response=list[JobOut], summary="Recent jobs, newest first")
def list_jobs(request, slug: str, query: Query[JobQuery]):
    project, _ = project_for(request, slug)
    jobs = project.jobs.select_related("created_by")
    if query.document_id is not None:
        jobs = jobs.filter(document_id=query.document_id)
    if query.kind:
        jobs = jobs.filter(kind=query.kind)
    return jobs[: query.limit]


@router.post(
    "/projects/{slug}/documents/{document_id}/drafting",
    response={202: JobOut},
    summary="Start the agents drafting the document, or a part of it",
    description="Managers and reviewers on any document; translators on documents "
    "assigned to them. Poll the job for progress.",
)
def start_document_drafting(request, slug: str, document_id: int, body: DraftingIn):
    document, role = document_for(request, slug, document_id)
    if not can_start_drafting(document, request.user, role):
        raise PermissionDenied(MAY_NOT_DRAFT)
    params = drafting_params(
        document,
        scope=body.scope,
        redraft=body.redraft,
        first=body.first,
        last=body.last,
        segment_ids=body.segment_ids,
    )
    return Status(202, start_drafting(document, request.user, params))


@router.get(
    "/projects/{slug}/jobs/{job_id}", response=JobOut, summary="A job's status and progress"
)
def get_job(request, slug: str, job_id: int):
    job, _ = job_for(request, slug, job_id)
    return job


@router.post(
    "/projects/{slug}/jobs/{job_id}/cancel",
    response={202: JobOut},
    summary="Cancel a job (managers)",
    description="A queued job ends at once; a running one at its next check-in, keeping "
    "what it has done.",
)
def cancel(request, slug: str, job_id: int):
    job, _ = job_for(request, slug, job_id, "job.manage")
    cancel_job(job, request.user)
    return Status(202, job)


@router.post(
    "/projects/{slug}/jobs/{job_id}/retry",
    response={202: JobOut},
    summary="Retry a job that failed, ended partly done or was cancelled",
    description="A drafting job drafts again the segments that got no text, and only "
    "those (who may start drafting may retry it); other jobs are retried by managers.",
)
def retry(request, slug: str, job_id: int):
    job, role = job_for(request, slug, job_id)
    if job.kind == DRAFT_KIND and job.document is not None:
        if not can_start_drafting(job.document, request.user, role):
            raise PermissionDenied(MAY_NOT_DRAFT)
        retry_failed_segments(job, request.user)
    else:
        check(role, "job.manage")
        retry_job(job, request.user)
    return Status(202, job)
