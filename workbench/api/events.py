"""What the API's webhooks announce, heard from the apps below through their signals:
a job finished (jobs.signals), an export's file is ready (its job succeeded), and a
document is fully approved (the lifecycle's revisions_recorded)."""

from functools import partial

from django.db import transaction
from django.urls import reverse

from workbench.documents.models import Document, Segment
from workbench.feedback.models import Export
from workbench.jobs.models import Job

from .schemas import ExportOut, JobOut
from .webhooks import DELIVERY_KIND, emit, wanted

JOB_FINISHED, DOCUMENT_APPROVED, EXPORT_READY = "job.finished", "document.approved", "export.ready"


def job_finished(sender, job, **kwargs):
    if job.kind == DELIVERY_KIND:
        return  # a delivery's own job is not news, and announcing it would never end
    if wanted(job.project_id, JOB_FINISHED):
        emit(job.project, JOB_FINISHED, {"job": JobOut.from_orm(job).model_dump(mode="json")})
    if job.kind == "export" and job.status == Job.Status.SUCCEEDED:
        export = Export.objects.select_related("project", "job").filter(job=job).first()
        if export is not None and export.is_ready and wanted(job.project_id, EXPORT_READY):
            emit(
                job.project,
                EXPORT_READY,
                {"export": ExportOut.from_orm(export).model_dump(mode="json")},
            )


def revisions_recorded(sender, revisions, **kwargs):
    """Approvals may complete a document: look once the change has committed."""
    approved = {
        revision.segment.document_id
        for revision in revisions
        if revision.new_status == Segment.Status.APPROVED
    }
    if approved:
        transaction.on_commit(partial(announce_approved, approved))


def announce_approved(document_ids):
    documents = Document.objects.filter(pk__in=document_ids).select_related("project")
    for document in documents:
        if not wanted(document.project_id, DOCUMENT_APPROVED):
            continue
        segments = document.segments.all()
        if not segments.exists() or segments.exclude(status=Segment.Status.APPROVED).exists():
            continue
        emit(
            document.project,
            DOCUMENT_APPROVED,
            {
                "document": {
                    "id": document.pk,
                    "title": document.title,
                    "segments": segments.count(),
                    "url": reverse(
                        "api-v1:get_document",
                        kwargs={"slug": document.project.slug, "document_id": document.pk},
                    ),
                }
            },
        )
