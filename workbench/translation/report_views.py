"""The document's QA report: a page and a CSV download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.access import get_document_for_user
from workbench.spreadsheets import BYTE_ORDER_MARK, SafeWriter

from .report import CSV_COLUMNS, qa_report


@login_required
@require_GET
def document_qa_report(request, slug, document_id):
    document, role = get_document_for_user(request, slug, document_id, action="document.view")
    context = {
        "project": document.project,
        "document": document,
        "role": role,
        "report": qa_report(document),
    }
    return render(request, "documents/qa_report.html", context)


@login_required
@require_GET
def document_qa_report_csv(request, slug, document_id):
    document, _ = get_document_for_user(request, slug, document_id, action="document.view")
    report = qa_report(document)
    audit.record(
        AuditEvent.Kind.DATA_DOWNLOADED,
        project=document.project,
        target=document,
        details={"what": "QA report CSV"},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{document.title} - QA report.csv"
    )
    response.write(BYTE_ORDER_MARK)
    writer = SafeWriter(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(finding.row() for finding in report.findings)
    return response
