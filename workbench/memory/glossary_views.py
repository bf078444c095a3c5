from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.importers.base import ImportRejected
from workbench.projects.access import get_project_for_user

from .glossary import highlight, recognise_terms
from .glossary_forms import GlossaryImportForm, TermForm
from .glossary_io import export_csv, export_tbx, import_glossary
from .models import Term

TERMS_PER_PAGE = 100
MAX_RECOGNISE_CHARACTERS = 20_000
EXPORTS = {
    "tbx": (export_tbx, "application/x-tbx", "tbx"),
    "csv": (export_csv, "text/csv; charset=utf-8", "csv"),
}


def _get_term_for_user(request, slug, term_id, action=None):
    """Return (term, project, role); 404 unless the user is a member of its project."""
    project, role = get_project_for_user(request, slug, action=action)
    return get_object_or_404(project.terms, pk=term_id), project, role


@login_required
def glossary(request, slug):
    project, role = get_project_for_user(request, slug)
    query = request.GET.get("q", "")
    page = Paginator(project.terms.search(query), TERMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"project": project, "role": role, "query": query, "page": page}
    template = "memory/_terms.html" if request.htmx else "memory/glossary.html"
    return render(request, template, context)


@login_required
def term_add(request, slug):
    project, _ = get_project_for_user(request, slug, action="glossary.manage")
    form = TermForm(request.POST or None, instance=Term(project=project, created_by=request.user))
    if request.method == "POST" and form.is_valid():
        term = form.save()
        messages.success(request, f"“{term.source_term}” → “{term.target_term}” added.")
        return redirect("glossary", slug=slug)
    return render(request, "memory/glossary_form.html", {"project": project, "form": form})


@login_required
def term_edit(request, slug, term_id):
    term, project, _ = _get_term_for_user(request, slug, term_id, action="glossary.manage")
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"“{term.source_term}” → “{term.target_term}” saved.")
        return redirect("glossary", slug=slug)
    context = {"project": project, "form": form, "term": term}
    return render(request, "memory/glossary_form.html", context)


@login_required
@require_POST
def term_delete(request, slug, term_id):
    term, project, _ = _get_term_for_user(request, slug, term_id, action="glossary.manage")
    audit.record(
        AuditEvent.Kind.TERM_DELETED,
        project=project,
        target=term,
        target_repr=f"{term.source_term} → {term.target_term}",
    )
    term.delete()
    messages.success(request, f"“{term.source_term}” → “{term.target_term}” deleted.")
    return redirect("glossary", slug=slug)


@login_required
def glossary_import(request, slug):
    project, _ = get_project_for_user(request, slug, action="glossary.manage")
    form = GlossaryImportForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            result = import_glossary(
                project, data=uploaded.read(), filename=uploaded.name, user=request.user
            )
        except ImportRejected as error:
            rejected = error
        else:
            messages.success(
                request,
                f"“{uploaded.name}” imported: {result.added} terms added, "
                f"{result.updated} existing terms updated.",
            )
            return redirect("glossary", slug=slug)
    context = {"project": project, "form": form, "rejected": rejected}
    return render(request, "memory/glossary_import.html", context, status=400 if rejected else 200)


@login_required
@require_GET
def glossary_export(request, slug, file_format):
    project, _ = get_project_for_user(request, slug, action="glossary.manage")
    if file_format not in EXPORTS:
        raise Http404("The glossary can be exported as tbx or csv.")
    export, content_type, extension = EXPORTS[file_format]
    audit.record(
        AuditEvent.Kind.DATA_DOWNLOADED,
        project=project,
        details={"what": f"glossary ({file_format})"},
    )
    response = HttpResponse(export(project), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-glossary.{extension}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def glossary_recognise(request, slug):
    """The glossary terms of a segment's source, for the editor (an htmx fragment).

    POST takes the same `text`: a long Chinese segment, percent-encoded, outgrows the
    request line a server accepts (gunicorn: 4094 bytes)."""
    project, _ = get_project_for_user(request, slug)
    text = (request.POST if request.method == "POST" else request.GET).get("text", "")
    if len(text) > MAX_RECOGNISE_CHARACTERS:
        context = {
            "error": f"The text is {len(text)} characters long; terms are looked up in at "
            f"most {MAX_RECOGNISE_CHARACTERS} characters (one segment) at a time."
        }
        return render(request, "memory/_term_hits.html", context, status=400)
    hits = recognise_terms(text, project)
    context = {"project": project, "pieces": highlight(text, hits), "hits": hits}
    return render(request, "memory/_term_hits.html", context)
