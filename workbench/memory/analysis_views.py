"""The analysis pages of a document and of a project: the latest analysis with its date,
whether the documents changed since, the job while one runs, and the downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from workbench.documents.access import get_document_for_user
from workbench.jobs.services import TooManyJobs
from workbench.projects.access import get_project_for_user

from .analysis import (
    changed_since,
    latest_analysis,
    pending_job,
    start_analysis,
    write_csv,
    write_xlsx,
)

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", write_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx),
}


@login_required
@require_GET
def document_analysis(request, slug, document_id):
    document, role = get_document_for_user(request, slug, document_id, action="analysis.view")
    return _page(request, document.project, role, document)


@login_required
@require_GET
def project_analysis(request, slug):
    project, role = get_project_for_user(request, slug, action="analysis.view")
    return _page(request, project, role)


@login_required
@require_POST
def document_analysis_run(request, slug, document_id):
    document, _ = get_document_for_user(request, slug, document_id, action="analysis.run")
    _run(request, document.project, document)
    return redirect("document_analysis", slug=slug, document_id=document.pk)


@login_required
@require_POST
def project_analysis_run(request, slug):
    project, _ = get_project_for_user(request, slug, action="analysis.run")
    _run(request, project)
    return redirect("project_analysis", slug=slug)


@login_required
@require_GET
def document_analysis_download(request, slug, document_id, file_format):
    document, _ = get_document_for_user(request, slug, document_id, action="analysis.view")
    return _download(document.project, document, file_format, document.title)


@login_required
@require_GET
def project_analysis_download(request, slug, file_format):
    project, _ = get_project_for_user(request, slug, action="analysis.view")
    return _download(project, None, file_format, project.slug)


def _page(request, project, role, document=None):
    analysis = latest_analysis(project, document)
    context = {
        "project": project,
        "document": document,
        "role": role,
        "analysis": analysis,
        "changed": analysis is not None and changed_since(analysis),
        "job": pending_job(project, document, analysis),
    }
    template = "memory/_analysis.html" if request.htmx else "memory/analysis.html"
    return render(request, template, context)


def _run(request, project, document=None):
    """Queue the analysis; the page it returns to shows the job's progress."""
    try:
        start_analysis(project, document, request.user)
    except TooManyJobs as refused:
        messages.error(request, str(refused))


def _download(project, document, file_format, name):
    if file_format not in DOWNLOADS:
        raise Http404("The analysis downloads as .csv or .xlsx.")
    analysis = latest_analysis(project, document)
    if analysis is None:
        raise Http404("No analysis yet; run it first.")
    content_type, write = DOWNLOADS[file_format]
    response = HttpResponse(write(analysis), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{name} - analysis {analysis.created_at:%Y-%m-%d}.{file_format}"
    )
    return response
