from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.access import get_document_for_user
from workbench.documents.importers.base import ImportRejected
from workbench.documents.services import check_upload
from workbench.jobs.services import TooManyJobs, enqueue
from workbench.projects.access import get_project_for_user

from .lookup import LONGEST_FUZZY_QUERY, concordance, contains_pattern, is_long, lookup, memories_of
from .services import project_memory
from .tm_forms import MAX_QUERY_CHARS, ConcordanceForm, MemoryImportForm, PretranslateForm, UnitForm
from .tm_io import export_tmx, import_memory_file

UNITS_PER_PAGE = 50


def _get_unit_for_user(request, slug, unit_id, action=None):
    """Return (unit, project); units of the project's own memory only, members only."""
    project, _ = get_project_for_user(request, slug, action=action)
    return get_object_or_404(project_memory(project).units, pk=unit_id), project


@login_required
@require_GET
def unit_list(request, slug):
    project, role = get_project_for_user(request, slug)
    memory = project_memory(project)
    query = " ".join(request.GET.get("q", "").split())
    units = memory.units.select_related("created_by")
    error = ""
    if len(query) > MAX_QUERY_CHARS:
        error = (
            f"The search is {len(query):,} characters long; search for a phrase of at most "
            f"{MAX_QUERY_CHARS} characters."
        )
        units = units.none()
    elif query:
        pattern = contains_pattern(query)
        units = units.filter(Q(source__ilike=pattern) | Q(target__ilike=pattern))
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "role": role,
        "memory": memory,
        "shared": memories_of(project).exclude(pk=memory.pk),
        "page": page,
        "query": query[:MAX_QUERY_CHARS],
        "error": error,
    }
    template = "memory/tm_units_partial.html" if request.htmx else "memory/tm_units.html"
    return render(request, template, context)


@login_required
def unit_add(request, slug):
    project, _ = get_project_for_user(request, slug, action="memory.manage")
    memory = project_memory(project)
    unit = memory.units.model(
        memory=memory,
        source_language=memory.source_language,
        target_language=memory.target_language,
        origin="project",
        quality="translated",
        created_by=request.user,
    )
    return _unit_form(request, project, unit, "Unit added to the memory.")


@login_required
def unit_edit(request, slug, unit_id):
    unit, project = _get_unit_for_user(request, slug, unit_id, action="memory.manage")
    return _unit_form(request, project, unit, "Unit saved.")


def _unit_form(request, project, unit, done_message):
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, done_message)
        return redirect("tm_units", slug=project.slug)
    return render(
        request, "memory/tm_unit_form.html", {"project": project, "form": form, "unit": unit}
    )


@login_required
@require_POST
def unit_delete(request, slug, unit_id):
    unit, project = _get_unit_for_user(request, slug, unit_id, action="memory.manage")
    # Which unit, not its text: a translation unit is a sentence of a judgment.
    audit.record(
        AuditEvent.Kind.TM_UNIT_DELETED,
        project=project,
        target=unit,
        target_repr=f"Unit {unit.pk} of {unit.memory.name}",
    )
    unit.delete()
    messages.success(request, "Unit deleted from the memory.")
    return redirect("tm_units", slug=project.slug)


@login_required
def memory_import(request, slug):
    project, _ = get_project_for_user(request, slug, action="memory.manage")
    memory = project_memory(project)
    form = MemoryImportForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            check_upload(uploaded.name, uploaded.size)
            result = import_memory_file(memory, uploaded, uploaded.name, user=request.user)
        except ImportRejected as error:
            rejected = error
        else:
            messages.success(
                request,
                f"“{uploaded.name}” imported: {result.summary()}",
            )
            return redirect("tm_units", slug=slug)
    context = {
        "project": project,
        "memory": memory,
        "form": form,
        "rejected": rejected,
        "problems": getattr(rejected, "problems", []),
    }
    status = 400 if rejected else 200
    return render(request, "memory/tm_import.html", context, status=status)


@login_required
@require_GET
def memory_export(request, slug):
    project, _ = get_project_for_user(request, slug, action="memory.manage")
    audit.record(
        AuditEvent.Kind.DATA_DOWNLOADED,
        project=project,
        details={"what": "translation memory (TMX)"},
    )
    response = StreamingHttpResponse(
        export_tmx(project_memory(project)), content_type="application/x-tmx+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-memory.tmx"'
    return response


@login_required
@require_GET
def concordance_search(request, slug):
    project, role = get_project_for_user(request, slug)
    form = ConcordanceForm(request.GET or None)
    hits, query, side = [], "", "source"
    if form.is_valid():
        query, side = form.cleaned_data["q"], form.cleaned_data["side"] or "source"
        hits = concordance(query, project, side=side)
    context = {"project": project, "form": form, "hits": hits, "query": query, "side": side}
    template = "memory/concordance_partial.html" if request.htmx else "memory/concordance.html"
    return render(request, template, context)


@login_required
def pretranslate(request, slug, document_id):
    document, _ = get_document_for_user(request, slug, document_id, action="memory.manage")
    project = document.project
    form = PretranslateForm(request.POST or None, initial={"threshold": project.tm_threshold})
    job = None
    if request.method == "POST" and form.is_valid():
        try:
            job = enqueue(
                "pretranslate",
                project=project,
                document=document,
                params={"threshold": form.cleaned_data["threshold"]},
                user=request.user,
            )
        except TooManyJobs as refused:
            form.add_error(None, str(refused))
    counts = document.status_counts()
    context = {"project": project, "document": document, "form": form, "job": job, "counts": counts}
    return render(request, "memory/tm_pretranslate.html", context)


@login_required
@require_GET
def segment_matches(request, slug, document_id, position):
    document, _ = get_document_for_user(request, slug, document_id)
    segment = get_object_or_404(document.segments, position=position)
    matches = lookup(segment, document.project)
    context = {
        "project": document.project,
        "segment": segment,
        "matches": matches,
        "tm_exact_only": is_long(segment.source),
        "longest_fuzzy_query": LONGEST_FUZZY_QUERY,
    }
    return render(request, "memory/_matches.html", context)
