"""Documents: upload (imported at once, all or nothing), their import status, the original
file back, and the translated original (the file in its own format, targets filled in)."""

from typing import Literal

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Form, Router, Status, UploadedFile

from workbench.documents.models import Document
from workbench.documents.services import check_upload, import_document
from workbench.documents.translated import translated_file
from workbench.feedback import lqa

from ..access import document_for, project_for
from ..schemas import DocumentOut, DocumentQualityOut

router = Router(tags=["documents"])

BINARY = {
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
}
Encoding = Literal["utf-8", "utf-16", "gb18030", "big5hkscs"]


@router.get("/projects/{slug}/documents", response=list[DocumentOut])
def list_documents(request, slug: str):
    project, _ = project_for(request, slug, "document.view")
    return project.documents.all()


@router.post(
    "/projects/{slug}/documents",
    response={201: DocumentOut},
    summary="Upload a document (managers)",
    description="TXT, DOCX, PDF with a text layer or XLIFF. The file is imported and "
    "segmented before the call returns: 201 with the ready document, or 422 with the reason "
    "it was refused, and then nothing is stored.",
)
def upload_document(
    request,
    slug: str,
    file: File[UploadedFile],
    format: Form[Literal[tuple(Document.Format.values)] | None] = None,
    encoding: Form[Encoding | None] = None,
    title: Form[str] = "",
):
    project, _ = project_for(request, slug, "document.upload")
    check_upload(file.name, file.size)  # before reading: a huge file is never read
    document = import_document(
        project,
        data=file.read(),
        filename=file.name,
        user=request.user,
        format=format,
        encoding=encoding,
        title=title[:255],
    )
    return Status(201, document)


@router.get(
    "/projects/{slug}/documents/{document_id}", response=DocumentOut, url_name="get_document"
)
def get_document(request, slug: str, document_id: int):
    document, _ = document_for(request, slug, document_id)
    return document


@router.get(
    "/projects/{slug}/documents/{document_id}/original",
    summary="Download the file as it was uploaded",
    openapi_extra={"responses": {200: {"description": "The original file", **BINARY}}},
)
def download_original(request, slug: str, document_id: int):
    document, _ = document_for(request, slug, document_id)
    return FileResponse(
        document.original_file.open("rb"),
        as_attachment=True,
        filename=document.original_filename,
        content_type="application/octet-stream",
    )


@router.get(
    "/projects/{slug}/documents/{document_id}/translated",
    summary="Download the translated original: the file in its own format, targets filled in",
    openapi_extra={"responses": {200: {"description": "The translated file", **BINARY}}},
)
def download_translated(request, slug: str, document_id: int):
    document, _ = document_for(request, slug, document_id, "document.download_translated")
    translated = translated_file(document)
    response = HttpResponse(translated.data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, translated.filename)
    response["X-Untranslated-Segments"] = str(translated.untranslated)
    return response


def _score(score):
    return {
        "evaluated_words": score.words,
        "errors": score.errors,
        "points": score.points,
        "points_per_1000": None if score.per_1000 is None else round(score.per_1000, 2),
        "result": score.verdict,
    }


@router.get(
    "/projects/{slug}/documents/{document_id}/quality",
    response=DocumentQualityOut,
    summary="The document's quality score (LQA)",
    description="The reviewers' quality assessment: error points per 1,000 evaluated words, "
    "pass or fail against the project's threshold, errors per severity and category, and "
    "the score of each translator and agent whose text was reviewed.",
)
def document_quality(request, slug: str, document_id: int):
    document, _ = document_for(request, slug, document_id, "lqa.view")
    quality = lqa.report(document.project, [document])
    return {
        **_score(quality.score),
        "threshold": float(quality.score.threshold),
        "by_severity": quality.totals,
        "by_category": {
            category: sum(1 for error in quality.errors if error.category == category)
            for category in lqa.Category.values
        },
        "authors": [
            {**_score(score), "kind": author.kind_label.lower(), "name": author.label}
            for author, score in quality.authors
        ],
    }
