"""The bilingual review file, out and back in, from the document's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from workbench.documents.access import get_document_for_user
from workbench.documents.importers.base import ImportRejected
from workbench.documents.services import check_upload

from .review_file import import_review_workbook, review_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def review_file_download(request, slug, document_id):
    document, _ = get_document_for_user(request, slug, document_id, action="document.review_file")
    response = HttpResponse(review_workbook(document), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{document.title} - review.xlsx"
    )
    return response


@login_required
@require_POST
def review_file_import(request, slug, document_id):
    document, role = get_document_for_user(
        request, slug, document_id, action="document.review_file"
    )
    uploaded = request.FILES.get("file")
    try:
        if uploaded is None:
            raise ImportRejected("Choose the review file (.xlsx) to import.")
        check_upload(uploaded.name, uploaded.size)
        result = import_review_workbook(document, uploaded.read(), user=request.user, role=role)
    except ImportRejected as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Review file imported: {result.summary()}")
        for _, sentence in result.conflicts + result.refused:
            messages.warning(request, sentence)
    return redirect("document_detail", slug=slug, document_id=document.pk)
