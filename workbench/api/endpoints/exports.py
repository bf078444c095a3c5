"""Corpus exports: start one (a background job writes the file), watch it, download it."""

from django.http import FileResponse
from ninja import Router, Status

from workbench.feedback.export_views import ExportForm
from workbench.feedback.models import Export

from ..access import export_for, project_for
from ..problems import ProblemRaised
from ..schemas import ExportIn, ExportOut

router = Router(tags=["exports"])


@router.post(
    "/projects/{slug}/exports",
    response={202: ExportOut},
    summary="Start an export (managers)",
    description="TMX, XLIFF 1.2/2.0, JSONL (SFT or preference pairs), CSV, XLSX, or the "
    "translated DOCX of one document. Poll the export until `ready`, then download it.",
)
def start_export(request, slug: str, body: ExportIn):
    project, _ = project_for(request, slug, "export.create")
    # The export page's form states the rules (a DOCX is of one document, dates in order).
    form = ExportForm(
        project,
        {
            "format": body.format,
            "document": body.document_id or "",
            "statuses": list(body.statuses),
            "since": body.since or "",
            "until": body.until or "",
        },
    )
    if not form.is_valid():
        errors = [
            {"where": "body" if name == "__all__" else f"body → {_field(name)}", "message": text}
            for name, texts in form.errors.items()
            for text in texts
        ]
        raise ProblemRaised(
            "invalid-request",
            "Correct these and start the export again: "
            + "; ".join(error["message"] for error in errors),
            errors=errors,
        )
    return Status(202, Export.start(project, request.user, **form.cleaned_data))


def _field(name):
    return "document_id" if name == "document" else name


@router.get("/projects/{slug}/exports", response=list[ExportOut], summary="Recent exports")
def list_exports(request, slug: str):
    project, _ = project_for(request, slug, "export.create")
    return project.exports.select_related("project", "job__created_by")[:50]


@router.get("/projects/{slug}/exports/{export_id}", response=ExportOut)
def get_export(request, slug: str, export_id: int):
    export, _ = export_for(request, slug, export_id)
    return export


@router.get(
    "/projects/{slug}/exports/{export_id}/file",
    url_name="export_download",
    summary="Download the exported file",
    description="409 while its job is still writing it.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_export(request, slug: str, export_id: int):
    export, _ = export_for(request, slug, export_id)
    if not export.is_ready:
        status = export.job.get_status_display().lower() if export.job else "without a job"
        raise ProblemRaised(
            "conflict",
            f"Export {export.pk} has no file yet (its job is {status}); poll the export until "
            "`ready` is true. A failed export can be retried through its job.",
        )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.download_name,
        content_type="application/octet-stream",
    )
