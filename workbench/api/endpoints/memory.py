"""Translation memory and termbase: import and export files, fuzzy lookup, concordance,
the terms of a text, and a search of the termbase."""

from typing import Literal

from django.http import HttpResponse, StreamingHttpResponse
from ninja import Field, File, Query, Router, Schema, UploadedFile

from workbench.documents.services import check_upload
from workbench.memory.glossary import recognise_terms
from workbench.memory.glossary_io import import_glossary
from workbench.memory.glossary_views import EXPORTS, MAX_RECOGNISE_CHARACTERS
from workbench.memory.lookup import LONGEST_FUZZY_QUERY, concordance, lookup
from workbench.memory.services import project_memory
from workbench.memory.tm_io import export_tmx, import_memory_file

from ..access import project_for
from ..schemas import (
    ConcordanceHitOut,
    GlossaryImported,
    MemoryImported,
    TermHitOut,
    TermOut,
    TMMatchOut,
)

router = Router()


def _file(content_type):
    return {
        "responses": {
            200: {
                "description": "The file",
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


# Translation memory ---------------------------------------------------------------------


@router.post(
    "/projects/{slug}/memory/import",
    response=MemoryImported,
    tags=["translation memory"],
    summary="Import TMX, CSV, XLSX or XLIFF into the project's memory (managers)",
    description="All or nothing: a file with one unusable unit is refused (422, with "
    "`problems`) and nothing is stored.",
)
def import_memory(request, slug: str, file: File[UploadedFile]):
    project, _ = project_for(request, slug, "memory.manage")
    check_upload(file.name, file.size)
    result = import_memory_file(project_memory(project), file, file.name, user=request.user)
    return {"added": result.added, "merged": result.merged}


@router.get(
    "/projects/{slug}/memory/export",
    tags=["translation memory"],
    summary="The project's memory as TMX 1.4 (managers)",
    openapi_extra=_file("application/x-tmx+xml"),
)
def export_memory(request, slug: str):
    project, _ = project_for(request, slug, "memory.manage")
    response = StreamingHttpResponse(
        export_tmx(project_memory(project)), content_type="application/x-tmx+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-memory.tmx"'
    return response


class LookupQuery(Schema):
    text: str = Field(min_length=1, max_length=MAX_RECOGNISE_CHARACTERS)
    threshold: int | None = Field(
        None, ge=1, le=101, description="Lowest percentage; omitted: the project's"
    )
    limit: int = Field(5, ge=1, le=50)


@router.get(
    "/projects/{slug}/memory/lookup",
    response=list[TMMatchOut],
    tags=["translation memory"],
    summary="Fuzzy matches for a text, best first",
    description=(
        "The best match is always as good as a scan of every unit would find. A text over "
        f"{LONGEST_FUZZY_QUERY:,} characters is matched only as the same text, or the same "
        "text with other numbers."
    ),
)
def memory_lookup(request, slug: str, query: Query[LookupQuery]):
    project, _ = project_for(request, slug, "memory.view")
    return lookup(query.text, project, limit=query.limit, threshold=query.threshold)


class ConcordanceQuery(Schema):
    q: str = Field(min_length=1, max_length=300, description="The phrase")
    side: Literal["source", "target"] = "source"
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/projects/{slug}/memory/concordance",
    response=list[ConcordanceHitOut],
    tags=["translation memory"],
    summary="Where a phrase occurs in the memories and in translated segments",
)
def memory_concordance(request, slug: str, query: Query[ConcordanceQuery]):
    project, _ = project_for(request, slug, "memory.view")
    return concordance(query.q, project, side=query.side, limit=query.limit)


# Termbase -------------------------------------------------------------------------------


@router.post(
    "/projects/{slug}/glossary/import",
    response=GlossaryImported,
    tags=["termbase"],
    summary="Import TBX or CSV into the project's glossary (managers)",
    description="All or nothing: a file with one bad row is refused (422, with `problems`).",
)
def import_terms(request, slug: str, file: File[UploadedFile]):
    project, _ = project_for(request, slug, "glossary.manage")
    check_upload(file.name, file.size)
    result = import_glossary(project, data=file.read(), filename=file.name, user=request.user)
    return {"added": result.added, "updated": result.updated}


class GlossaryExportQuery(Schema):
    format: Literal["tbx", "csv"] = "tbx"


@router.get(
    "/projects/{slug}/glossary/export",
    tags=["termbase"],
    summary="The project's glossary as TBX or CSV (managers)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/x-tbx": {"schema": {"type": "string", "format": "binary"}},
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def export_terms(request, slug: str, query: Query[GlossaryExportQuery]):
    project, _ = project_for(request, slug, "glossary.manage")
    export, content_type, extension = EXPORTS[query.format]
    response = HttpResponse(export(project), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-glossary.{extension}"'
    return response


class TermsInTextQuery(Schema):
    text: str = Field(min_length=1, max_length=MAX_RECOGNISE_CHARACTERS)


@router.get(
    "/projects/{slug}/glossary/lookup",
    response=list[TermHitOut],
    tags=["termbase"],
    summary="The glossary terms found in a source text (with inflections)",
)
def terms_in_text(request, slug: str, query: Query[TermsInTextQuery]):
    project, _ = project_for(request, slug, "glossary.view")
    return recognise_terms(query.text, project)


class TermSearchQuery(Schema):
    q: str = Field("", max_length=300, description="Text in a term, its note or domain")
    limit: int = Field(100, ge=1, le=500)


@router.get(
    "/projects/{slug}/glossary/terms",
    response=list[TermOut],
    tags=["termbase"],
    summary="Search the glossary",
)
def search_terms(request, slug: str, query: Query[TermSearchQuery]):
    project, _ = project_for(request, slug, "glossary.view")
    return project.terms.search(query.q)[: query.limit]
