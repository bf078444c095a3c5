"""People's corrections as the manager sees them, the glossary entries they suggest, and
the project's lessons for the agents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from workbench.projects.access import get_project_for_user
from workbench.projects.capabilities import can

from .access import get_candidate_for_user, get_lesson_for_user
from .forms import CandidateAcceptForm, CorrectionFilterForm, LessonForm
from .models import CandidateRefused, Correction, GlossaryCandidate, Lesson

CORRECTIONS_PER_PAGE = 50
EVIDENCE_SHOWN = 10
DECIDED_SHOWN = 20


@login_required
def corrections(request, slug):
    project, role = get_project_for_user(request, slug, action="feedback.view")
    current = project.corrections.current()
    form = CorrectionFilterForm(current, request.GET or None)
    chosen = form.filter(current).select_related("author", "segment__document")
    page = Paginator(chosen, CORRECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"project": project, "role": role, "form": form, "page": page}
    template = "feedback/_corrections.html" if request.htmx else "feedback/corrections.html"
    return render(request, template, context)


@login_required
def glossary_candidates(request, slug):
    project, role = get_project_for_user(request, slug, action="feedback.view")
    evidence = Correction.objects.select_related("segment__document").order_by("-created_at")
    waiting = project.glossary_candidates.filter(
        status=GlossaryCandidate.Status.OPEN
    ).prefetch_related(Prefetch("evidence", queryset=evidence))
    decided = (
        project.glossary_candidates.exclude(status=GlossaryCandidate.Status.OPEN)
        .select_related("term", "decided_by")
        .order_by("-decided_at")[:DECIDED_SHOWN]
    )
    forms = [
        (candidate, accept_form(candidate), list(candidate.evidence.all())[:EVIDENCE_SHOWN])
        for candidate in waiting
    ]
    context = {"project": project, "role": role, "candidates": forms, "decided": decided}
    return render(request, "feedback/glossary_candidates.html", context)


def accept_form(candidate, data=None):
    initial = {"source_term": candidate.source_term, "target_term": candidate.target_term}
    return CandidateAcceptForm(data, initial=initial, prefix=f"candidate-{candidate.pk}")


@login_required
@require_POST
def candidate_accept(request, slug, candidate_id):
    candidate, _ = get_candidate_for_user(request, slug, candidate_id)
    form = accept_form(candidate, request.POST)
    if not form.is_valid():
        problems = "; ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, f"Nothing was added to the glossary: {problems}")
        return redirect("glossary_candidates", slug=slug)
    try:
        term = candidate.accept(request.user, **form.cleaned_data)
    except CandidateRefused as refused:
        messages.error(request, f"Nothing was added to the glossary: {refused}")
    else:
        messages.success(
            request, f"“{term.source_term}” → “{term.target_term}” is in the glossary."
        )
    return redirect("glossary_candidates", slug=slug)


@login_required
@require_POST
def candidate_reject(request, slug, candidate_id):
    candidate, _ = get_candidate_for_user(request, slug, candidate_id)
    try:
        candidate.reject(request.user)
    except CandidateRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"“{candidate.machine_term}” → “{candidate.target_term}” will not be suggested again.",
        )
    return redirect("glossary_candidates", slug=slug)


@login_required
def lessons(request, slug):
    project, role = get_project_for_user(request, slug)
    can_write = can(role, "lesson.write")
    form = LessonForm(request.POST or None, instance=Lesson(project=project, author=request.user))
    if request.method == "POST" and not can_write:
        raise PermissionDenied("Only reviewers and managers write lessons.")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Lesson added; the agents follow it from their next draft.")
        return redirect("lessons", slug=slug)
    context = {
        "project": project,
        "role": role,
        "can_write": can_write,
        "form": form,
        "lessons": project.lessons.select_related("author"),
    }
    return render(request, "feedback/lessons.html", context)


@login_required
def lesson_edit(request, slug, lesson_id):
    lesson, project = get_lesson_for_user(request, slug, lesson_id)
    form = LessonForm(request.POST or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Lesson saved.")
        return redirect("lessons", slug=slug)
    return render(
        request, "feedback/lesson_form.html", {"project": project, "form": form, "lesson": lesson}
    )


@login_required
@require_POST
def lesson_active(request, slug, lesson_id):
    lesson, _ = get_lesson_for_user(request, slug, lesson_id)
    lesson.set_active(request.POST.get("active") == "on")
    state = "given to the agents again" if lesson.active else "no longer given to the agents"
    messages.success(request, f"The lesson is {state}.")
    return redirect("lessons", slug=slug)
