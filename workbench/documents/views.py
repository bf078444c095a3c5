from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.projects.access import get_project_for_user

from .access import get_document_for_user
from .forms import AssignForm, DeadlineForm, UploadForm
from .importers.base import ImportRejected
from .models import Segment
from .services import check_upload, delete_document, import_document
from .translated import translated_file

SEGMENTS_PER_PAGE = 200


@login_required
def project_detail(request, slug):
    """The project's page: its documents with their progress by status."""
    project, role = get_project_for_user(request, slug)
    status_counts = {
        status: Count("segments", filter=Q(segments__status=status))
        for status in Segment.Status.values
    }
    documents = (
        project.documents.annotate(segment_count=Count("segments"), **status_counts)
        .prefetch_related("assignments__assignee")
        .order_by("-created_at")
    )
    return render(
        request,
        "projects/project_detail.html",
        {"project": project, "role": role, "documents": documents, "statuses": Segment.Status},
    )


@login_required
def upload(request, slug):
    project, _ = get_project_for_user(request, slug, action="document.upload")
    form = UploadForm(*([request.POST, request.FILES] if request.method == "POST" else []))
    results = []
    if form.is_bound and form.is_valid():
        files = form.cleaned_data["files"]
        if not files:
            form.add_error("files", "Choose at least one file.")
        for uploaded in files:
            results.append(_import_one(request, project, uploaded, form.cleaned_data))
    context = {
        "project": project,
        "form": form,
        "results": results,
        "max_upload_mb": settings.MAX_UPLOAD_MB,
    }
    return render(request, "documents/upload.html", context)


def _import_one(request, project, uploaded, options):
    try:
        check_upload(uploaded.name, uploaded.size)  # before reading: a huge file is never read
        document = import_document(
            project,
            data=uploaded.read(),
            filename=uploaded.name,
            user=request.user,
            format=options.get("format") or None,
            encoding=options.get("encoding") or None,
        )
    except ImportRejected as rejected:
        return {"filename": uploaded.name, "error": str(rejected)}
    return {"filename": uploaded.name, "document": document}


@login_required
def document_detail(request, slug, document_id):
    document, role = get_document_for_user(request, slug, document_id)
    audit.record(AuditEvent.Kind.DOCUMENT_VIEWED, project=document.project, target=document)
    page = Paginator(document.segments.all(), SEGMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "project": document.project,
        "document": document,
        "role": role,
        "page": page,
        "counts": document.status_counts(),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
def document_assign(request, slug, document_id):
    """The manager's page for who works on the document, on which segments, by when."""
    document, _ = get_document_for_user(request, slug, document_id, action="document.assign")
    post = request.POST if request.method == "POST" else None
    deadline = DeadlineForm(post if "deadline" in request.POST else None, instance=document)
    form = AssignForm(post if "assign" in request.POST else None, document=document)
    if "remove" in request.POST:
        wanted = request.POST["remove"]
        assignment = document.assignments.filter(
            pk=int(wanted) if wanted.isdigit() else None
        ).first()
        if assignment is not None:
            audit.record(
                AuditEvent.Kind.ASSIGNMENT_REMOVED,
                project=document.project,
                target=document,
                details=_assignment_details(assignment),
            )
            assignment.delete()
            messages.success(request, "Assignment removed.")
        else:
            messages.error(request, "That assignment had already been removed; nothing changed.")
        return redirect("document_assign", slug=slug, document_id=document.pk)
    if deadline.is_bound and deadline.is_valid():
        deadline.save()
        messages.success(request, f"Due date of “{document.title}” saved.")
        return redirect("document_assign", slug=slug, document_id=document.pk)
    assignment = form.save(by=request.user) if form.is_bound and form.is_valid() else None
    if assignment is not None:
        audit.record(
            AuditEvent.Kind.ASSIGNMENT_CREATED,
            project=document.project,
            target=document,
            details=_assignment_details(assignment),
        )
        messages.success(
            request, f"{assignment.assignee.get_username()} was assigned {assignment.scope}."
        )
        return redirect("document_assign", slug=slug, document_id=document.pk)
    context = {
        "project": document.project,
        "document": document,
        "deadline": deadline,
        "form": form,
        "assignments": document.assignments.select_related("assignee", "assigned_by"),
    }
    return render(request, "documents/assign.html", context)


def _assignment_details(assignment):
    return {
        "person": assignment.assignee.get_username(),
        "to": assignment.get_role_display().lower(),
        "scope": assignment.scope,
        "due": assignment.due_date,
    }


@login_required
@require_POST
def document_delete(request, slug, document_id):
    document, _ = get_document_for_user(request, slug, document_id, action="document.delete")
    title = document.title
    delete_document(document)
    messages.success(request, f"“{title}” deleted.")
    return redirect("project_detail", slug=slug)


@login_required
@require_GET
def download_translated(request, slug, document_id):
    """The translated original: the imported file in its own format, targets filled in."""
    document, _ = get_document_for_user(
        request, slug, document_id, action="document.download_translated"
    )
    try:
        translated = translated_file(document)
    except ImportRejected as refused:
        messages.error(request, str(refused))
        return redirect("document_detail", slug=slug, document_id=document.pk)
    audit.record(
        AuditEvent.Kind.DOCUMENT_DOWNLOADED,
        project=document.project,
        target=document,
        details={"file": "translated", "untranslated": translated.untranslated},
    )
    response = HttpResponse(translated.data, content_type=translated.content_type)
    response["Content-Disposition"] = content_disposition_header(True, translated.filename)
    response["X-Untranslated-Segments"] = str(translated.untranslated)
    return response
