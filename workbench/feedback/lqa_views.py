"""Quality assessment (LQA) in the browser: a segment's errors in the editor's panel, and
the quality report of a document or a project as a page, a CSV file and a printable view.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.access import get_document_for_user
from workbench.projects.access import get_project_for_user
from workbench.projects.capabilities import can
from workbench.translation.access import get_segment_for_user

from . import lqa
from .forms import LqaErrorForm


def _segment_errors(request, segment, role, *, form=None, notice="", error="", status=200):
    errors = list(segment.lqa_errors.select_related("reviewer", "translator"))
    for item in errors:
        item.author = lqa.error_author(item)
        item.may_withdraw = lqa.may_withdraw(item, request.user, role)
    context = {
        "project": segment.document.project,
        "document": segment.document,
        "segment": segment,
        "role": role,
        "errors": errors,
        "points": sum(item.points for item in errors),
        "form": form or LqaErrorForm(segment=segment),
        "notice": notice,
        "error": error,
    }
    return render(request, "feedback/_lqa.html", context, status=status)


@login_required
def segment_lqa(request, slug, document_id, segment_id):
    """GET: the segment's errors (and the form, for reviewers); POST: record one."""
    segment, role = get_segment_for_user(request, slug, document_id, segment_id, "lqa.view")
    if request.method != "POST":
        return _segment_errors(request, segment, role)
    if not can(role, "lqa.record"):
        raise PermissionDenied("Only reviewers and managers record quality errors.")
    form = LqaErrorForm(request.POST, segment=segment)
    if not form.is_valid():
        message = f"Nothing was recorded: {form.problems()}"
        return _segment_errors(request, segment, role, form=form, error=message, status=400)
    try:
        recorded = lqa.record_error(segment, user=request.user, role=role, **form.cleaned_data)
    except lqa.LqaRefused as refused:
        message = f"Nothing was recorded: {refused}"
        return _segment_errors(request, segment, role, form=form, error=message, status=400)
    notice = (
        f"Recorded a {recorded.get_severity_display().lower()} "
        f"{recorded.get_category_display().lower()} error ({recorded.points} "
        f"point{'s' if recorded.points != 1 else ''}) against "
        f"{lqa.error_author(recorded).label}."
    )
    return _segment_errors(request, segment, role, notice=notice)


@login_required
@require_POST
def lqa_error_withdraw(request, slug, document_id, segment_id, error_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id, "lqa.record")
    error = get_object_or_404(segment.lqa_errors, pk=error_id)
    lqa.withdraw_error(error, user=request.user, role=role)
    return _segment_errors(request, segment, role, notice="The error was withdrawn.")


def _report_response(request, quality, *, document=None, role):
    project = quality.project
    if request.GET.get("format") == "csv":
        scope = f"document-{document.pk}-" if document else ""
        name = f"{project.slug}-{scope}quality.csv"
        audit.record(
            AuditEvent.Kind.DATA_DOWNLOADED,
            project=project,
            target=document,
            details={"what": "quality report CSV"},
        )
        response = HttpResponse(lqa.report_csv(quality), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    printable = request.GET.get("print") == "1"
    context = {
        "project": project,
        "document": document,
        "role": role,
        "quality": quality,
        "severities": lqa.Severity.choices,
        "weights": [lqa.WEIGHTS[value] for value in lqa.Severity.values],
        "printable": printable,
    }
    template = "feedback/lqa_print.html" if printable else "feedback/lqa_report.html"
    return render(request, template, context)


@login_required
@require_GET
def document_lqa_report(request, slug, document_id):
    document, role = get_document_for_user(request, slug, document_id, action="lqa.view")
    return _report_response(
        request, lqa.report(document.project, [document]), document=document, role=role
    )


@login_required
@require_GET
def project_lqa_report(request, slug):
    project, role = get_project_for_user(request, slug, action="lqa.project_report")
    return _report_response(request, lqa.report(project), role=role)
