"""Pages of the agents' work on a document: start drafting and watch it, see what came
back per segment, and read or edit the document brief."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agents.schemas import DocumentBrief
from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.access import get_document_for_user
from workbench.jobs.models import JobStateError
from workbench.projects.capabilities import can
from workbench.projects.endpoints import agent_setup
from workbench.translation.models import Suggestion

from .context import brief_of
from .planning import DraftingRefused
from .pseudonyms import applies_to
from .services import (
    DRAFT_KIND,
    can_start_drafting,
    draft_outcomes,
    drafting_params,
    machine_drafted,
    retry_failed_segments,
    start_drafting,
)

SEGMENTS_PER_PAGE = 100
RECENT_JOBS = 5
MAX_LINES = 200
MAX_FIELD_CHARS = 20_000
SHOWN_SUGGESTIONS = (Suggestion.Kind.DRAFT, Suggestion.Kind.REVISION, Suggestion.Kind.LATE)


@login_required
def drafting(request, slug, document_id):
    document, role = get_document_for_user(request, slug, document_id)
    segments = (
        document.segments.annotate(
            open_issues=Count("annotations", filter=Q(annotations__status="open"))
        )
        .prefetch_related(
            Prefetch(
                "suggestions",
                queryset=Suggestion.objects.filter(kind__in=SHOWN_SUGGESTIONS),
                to_attr="agent_suggestions",
            )
        )
        .order_by("position")
    )
    page = Paginator(segments, SEGMENTS_PER_PAGE).get_page(request.GET.get("page"))
    outcomes = draft_outcomes(document)
    for segment in page:
        segment.outcome = outcomes.get(segment.pk)
        latest = {}
        for suggestion in segment.agent_suggestions:  # newest first
            latest.setdefault(suggestion.kind, suggestion)
        segment.latest_draft = latest.get(Suggestion.Kind.DRAFT)
        segment.latest_revision = latest.get(Suggestion.Kind.REVISION)
        segment.latest_late = latest.get(Suggestion.Kind.LATE)
    context = {
        "project": document.project,
        "document": document,
        "role": role,
        "page": page,
        "jobs": document.jobs.filter(kind=DRAFT_KIND)[:RECENT_JOBS],
        "can_start": can_start_drafting(document, request.user, role),
        "brief": brief_of(document),
        "counts": document.status_counts(),
        "drafted": machine_drafted(document),
    }
    setup, context["model_problem"] = agent_setup(document.project)
    context["models"] = _by_model(setup)
    return render(request, "drafting/drafting.html", context)


def _by_model(setup):
    """[(role labels, model, endpoint)]: the roles that call the same model together."""
    groups = {}
    for _, label, endpoint, model in setup:
        key = (endpoint.name if endpoint else "", model)
        groups.setdefault(key, ([], model, endpoint))[0].append(label)
    return list(groups.values())


@login_required
@require_POST
def draft_start(request, slug, document_id):
    document, role = get_document_for_user(request, slug, document_id)
    if not can_start_drafting(document, request.user, role):
        raise PermissionDenied(
            "Managers and reviewers start the agents; a translator only on a document "
            "assigned to them."
        )
    try:
        params = drafting_params(
            document,
            scope=request.POST.get("scope", "all"),
            redraft=bool(request.POST.get("redraft")),
            first=request.POST.get("first", ""),
            last=request.POST.get("last", ""),
            segment_ids=request.POST.getlist("segment_ids"),
        )
        job = start_drafting(document, request.user, params)
    except DraftingRefused as refused:
        if request.htmx:
            return render(request, "drafting/drafting_refused.html", {"problem": refused})
        messages.error(request, str(refused))
        return redirect("drafting", slug=slug, document_id=document.pk)
    if request.htmx:
        return render(request, "jobs/_progress.html", {"job": job, "role": role})
    messages.success(request, "The agents are drafting; progress shows below.")
    return redirect("drafting", slug=slug, document_id=document.pk)


@login_required
@require_POST
def draft_retry(request, slug, document_id, job_id):
    """Draft again the segments that got no text in a partial or failed drafting job."""
    document, role = get_document_for_user(request, slug, document_id)
    job = get_object_or_404(document.jobs, pk=job_id, kind=DRAFT_KIND)
    if not can_start_drafting(document, request.user, role):
        raise PermissionDenied(
            "Managers and reviewers start the agents; a translator only on a document "
            "assigned to them."
        )
    try:
        retry_failed_segments(job, request.user)
    except (DraftingRefused, JobStateError) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Job #{job.pk} drafts the failed segments again.")
    return redirect("drafting", slug=slug, document_id=document.pk)


# The brief -----------------------------------------------------------------------------


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class BriefForm(forms.Form):
    """The brief as people write it: one entry per line, parts separated by “|”."""

    court = forms.CharField(max_length=300, required=False)
    case_number = forms.CharField(max_length=200, required=False)
    judges = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_FIELD_CHARS,
        help_text="One judge per line, e.g. Ribeiro PJ.",
    )
    parties = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_FIELD_CHARS,
        help_text="One per line: name | role | how the judgment refers to them.",
    )
    defined_terms = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_FIELD_CHARS,
        help_text="One per line: term | what it means in this judgment.",
    )
    key_terms = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_FIELD_CHARS,
        help_text="One per line: source term | its translation.",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=MAX_FIELD_CHARS
    )

    ENTRIES = {
        "parties": ("name", "role", "referred_to_as"),
        "defined_terms": ("term", "meaning"),
        "key_terms": ("source", "target"),
    }

    @classmethod
    def for_brief(cls, brief, data=None):
        initial = {}
        if brief is not None:
            initial = {
                "court": brief.court,
                "case_number": brief.case_number,
                "judges": "\n".join(brief.judges),
                "notes": brief.notes,
            }
            for name, parts in cls.ENTRIES.items():
                initial[name] = "\n".join(
                    " | ".join(getattr(entry, part) for part in parts)
                    for entry in getattr(brief, name)
                )
        return cls(data, initial=initial)

    def clean_judges(self):
        judges = _lines(self.cleaned_data["judges"])
        if len(judges) > MAX_LINES:
            raise forms.ValidationError(f"Keep the list under {MAX_LINES} lines.")
        return judges

    def clean_parties(self):
        return self._entries("parties")

    def clean_defined_terms(self):
        return self._entries("defined_terms")

    def clean_key_terms(self):
        return self._entries("key_terms")

    def _entries(self, name):
        parts = self.ENTRIES[name]
        lines = _lines(self.cleaned_data[name])
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(f"Keep the list under {MAX_LINES} lines.")
        entries = []
        for number, line in enumerate(lines, start=1):
            values = [value.strip() for value in line.split("|")]
            if len(values) != len(parts) or not values[0]:
                raise forms.ValidationError(
                    f"Line {number} (“{line[:60]}”) needs {len(parts)} parts separated by “|”: "
                    f"{' | '.join(part.replace('_', ' ') for part in parts)}."
                )
            entries.append(dict(zip(parts, values, strict=True)))
        return entries

    def brief(self):
        return DocumentBrief.model_validate(self.cleaned_data)


@login_required
def brief(request, slug, document_id):
    document, role = get_document_for_user(request, slug, document_id)
    can_edit = can(role, "document.brief.edit")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Only managers and reviewers edit the document brief.")
    current = brief_of(document)
    form = BriefForm.for_brief(current, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        document.brief = form.brief().model_dump()
        document.save(update_fields=["brief"])
        audit.record(
            AuditEvent.Kind.BRIEF_CHANGED,
            project=document.project,
            target=document,
            details={"changed": form.changed_data},
        )
        messages.success(request, "Brief saved; the agents use it for every batch from now on.")
        return redirect("document_brief", slug=slug, document_id=document.pk)
    context = {
        "project": document.project,
        "document": document,
        "role": role,
        "brief": current,
        "form": form,
        "can_edit": can_edit,
        "pseudonymising": applies_to(document.project),
        # Who stands behind each placeholder is for managers only.
        "pseudonyms": document.pseudonyms.all() if can(role, "pseudonyms.view") else None,
    }
    return render(request, "drafting/drafting_brief.html", context)
