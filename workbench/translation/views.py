"""The translator's editor: the segment grid, the side panel of the active segment, and
the actions on a segment. Pages for a browser, fragments for htmx and editor.js."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from agents.languages import is_cjk, side_of_query
from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.access import get_document_for_user
from workbench.documents.lifecycle import clean_target
from workbench.jobs.services import TooManyJobs
from workbench.memory.glossary import highlight, recognise_terms
from workbench.memory.lookup import LONGEST_FUZZY_QUERY, concordance, diff, is_long, lookup
from workbench.memory.tm_forms import ConcordanceForm
from workbench.projects.endpoints import endpoint_problem

from .access import get_segment_for_user
from .forms import SegmentFilter, seen_versions, with_row_facts
from .issues import unlisted
from .models import Annotation
from .qa import QAWarning, qa_warnings
from .services import (
    APPROVE,
    SAVE,
    EditRefused,
    QABlocked,
    StaleVersion,
    changed_since,
    changes_cursor,
    cursor_after_own_save,
    do_accept_annotation,
    do_add_comment,
    do_ask_revision,
    do_bulk_approve,
    do_dismiss_annotation,
    do_reopen,
    do_resolve_comment,
    do_restore,
    do_save_target,
    do_send_back,
    latest_suggestions,
    next_to_review,
    next_unconfirmed,
    parse_cursor,
    unchanged_since,
)

ROWS_PER_PAGE = 50
HISTORY_SHOWN = 20
TM_MATCHES_SHOWN = 5
CONCORDANCE_SHOWN = 20


# The grid ------------------------------------------------------------------------------


@login_required
@require_GET
def editor(request, slug, document_id):
    """The page; for htmx, the grid (filters changed) or the next rows (scrolling)."""
    document, role = get_document_for_user(request, slug, document_id)
    filters = SegmentFilter(request.GET)
    segments = filters.segments(document, request.user)
    rows = with_row_facts(segments).order_by("position")
    after = _number(request.GET.get("after"))
    before = _number(request.GET.get("before"))
    less_url = ""
    if before is not None:
        # Scrolling up from "go to #": the rows above, nearest last.
        earlier = list(rows.filter(position__lt=before).order_by("-position")[: ROWS_PER_PAGE + 1])
        if len(earlier) > ROWS_PER_PAGE:
            less_url = _page_url(request, "before", earlier[ROWS_PER_PAGE - 1].position)
        context = {
            "project": document.project,
            "document": document,
            "role": role,
            "rows": earlier[:ROWS_PER_PAGE][::-1],
            "less_url": less_url,
        }
        return render(request, "translation/_rows.html", context)
    if after is not None:
        rows = rows.filter(position__gt=after)
    elif filters.cleaned_data.get("go"):
        go = filters.cleaned_data["go"]
        if rows.filter(position__lt=go).exists():
            less_url = _page_url(request, "before", go)
        rows = rows.filter(position__gte=go)
    rows = list(rows[: ROWS_PER_PAGE + 1])
    context = {
        "project": document.project,
        "document": document,
        "role": role,
        "rows": rows[:ROWS_PER_PAGE],
        "more_url": _more_url(request, rows[ROWS_PER_PAGE - 1])
        if len(rows) > ROWS_PER_PAGE
        else "",
        "less_url": less_url,
    }
    if request.htmx and after is not None:
        return render(request, "translation/_rows.html", context)
    context.update(
        filters=filters,
        matching=segments.count(),
        counts=document.status_counts(),
        cursor=changes_cursor(document),
    )
    if request.htmx:
        return render(request, "translation/_grid.html", context)
    audit.record(AuditEvent.Kind.DOCUMENT_VIEWED, project=document.project, target=document)
    return render(request, "translation/editor.html", context)


@login_required
@require_GET
def editor_changes(request, slug, document_id):
    """Polled by the open editor: the rows changed since `since` (by anyone), the status
    counts and the new cursor; 204 and nothing else when the document's change stamp
    says nothing changed, which is the answer to most polls."""
    document, role = get_document_for_user(request, slug, document_id)
    since = parse_cursor(request.GET.get("since"))
    if since is not None and unchanged_since(document, since):
        return HttpResponse(status=204)
    cursor = changes_cursor(document)
    ids = changed_since(document, since) if since is not None else []
    rows = with_row_facts(document.segments.filter(pk__in=ids)).order_by("position") if ids else []
    context = {
        "project": document.project,
        "document": document,
        "role": role,
        "rows": rows,
        "counts": document.status_counts(),
        "cursor": cursor,
    }
    return render(request, "translation/_changes.html", context)


@login_required
@require_GET
def editor_concordance(request, slug, document_id):
    """Concordance from the editor's panel (Ctrl+K): the TM and the project's translated
    segments, on the side the query is written in unless the person chose one."""
    document, role = get_document_for_user(request, slug, document_id)
    project = document.project
    form = ConcordanceForm(request.GET)
    hits, query, side, detected = [], "", "source", False
    if form.is_valid():
        query = form.cleaned_data["q"]
        chosen = form.cleaned_data["side"]
        found = side_of_query(query, project.source_language, project.target_language)
        side, detected = chosen or found or "source", not chosen and bool(found)
        hits = concordance(query, project, side=side, limit=CONCORDANCE_SHOWN)
    context = {
        "project": project,
        "form": form,
        "hits": hits,
        "query": query,
        "side": side,
        "detected": detected,
    }
    return render(request, "translation/_concordance.html", context)


def _more_url(request, last):
    return _page_url(request, "after", last.position)


def _page_url(request, direction, position):
    """The next ("after") or earlier ("before") rows under the same filters."""
    params = request.GET.copy()
    for name in ("go", "after", "before"):
        params.pop(name, None)
    params[direction] = position
    return f"{request.path}?{params.urlencode()}"


def _number(value):
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def segment_row(request, slug, document_id, segment_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)
    return _rows_response(request, [segment.pk], segment.document, role)


def _rows_response(request, segment_ids, document, role, status=200):
    rows = with_row_facts(document.segments.filter(pk__in=segment_ids)).order_by("position")
    context = {"project": document.project, "document": document, "role": role, "rows": rows}
    return render(request, "translation/_rows.html", context, status=status)


# Saving -------------------------------------------------------------------------------


@login_required
@require_POST
def segment_save(request, slug, document_id, segment_id):
    """Save, confirm or approve. 200 with the changed rows; 409 with the conflict; 400
    with what to fix (422 when blocking QA findings need a reason to override)."""
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)
    text = request.POST.get("text", "")
    action = request.POST.get("action", SAVE)
    version = _number(request.POST.get("version"))
    if version is None:
        return _refused(request, "The save carries no version; reload the page and try again.")
    try:
        saved = do_save_target(
            segment,
            user=request.user,
            role=role,
            text=text,
            base_version=version,
            action=action,
            started_from=request.POST.get("started_from", ""),
            seconds_spent=request.POST.get("seconds"),
            override_reason=request.POST.get("override_reason", ""),
        )
    except StaleVersion as stale:
        return _conflict(request, stale.segment, text)
    except QABlocked as blocked:
        return render(
            request,
            "translation/_qa_blocked.html",
            {"message": str(blocked), "findings": blocked.findings, "action": action},
            status=422,
        )
    except EditRefused as refused:
        return _refused(request, str(refused))
    # The status counts come with the rows, so the page shows its own save without
    # asking for changes (others' changes come with its next poll); and when nothing
    # else changed since its last poll, its cursor moves past its own save.
    moved = cursor_after_own_save(segment.document, parse_cursor(request.POST.get("since")), saved)
    rows = with_row_facts(
        segment.document.segments.filter(pk__in=[saved.segment.pk, *saved.propagated])
    ).order_by("position")
    context = {
        "project": segment.document.project,
        "document": segment.document,
        "role": role,
        "rows": rows,
        "counts": segment.document.status_counts(),
    }
    response = render(request, "translation/_saved.html", context)
    response["X-Segment-Version"] = saved.segment.version
    if moved:
        response["X-Changes-Cursor"] = str(moved)
    if action != SAVE:
        # A translator goes on to what still needs translating, a reviewer to what
        # still needs review.
        following = (next_to_review if action == APPROVE else next_unconfirmed)(saved.segment)
        if following:
            response["X-Next-Segment"] = following.pk
            response["X-Next-Position"] = following.position
    return response


@login_required
@require_POST
def revision_restore(request, slug, document_id, segment_id, revision_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)
    revision = get_object_or_404(segment.revisions, pk=revision_id)
    version = _number(request.POST.get("version"))
    if version is None:
        return _refused(request, "The restore carries no version; reload the page and try again.")
    try:
        saved = do_restore(revision, user=request.user, role=role, base_version=version)
    except StaleVersion as stale:
        return _conflict(request, stale.segment, revision.new_target)
    except EditRefused as refused:
        return _refused(request, str(refused))
    response = _rows_response(request, [saved.segment.pk], segment.document, role)
    response["X-Segment-Version"] = saved.segment.version
    return response


def _conflict(request, current, yours):
    latest = current.revisions.select_related("author").order_by("-created_at", "-pk").first()
    context = {"segment": current, "latest": latest, "yours": yours}
    return render(request, "translation/_conflict.html", context, status=409)


def _refused(request, message):
    return render(request, "translation/_refused.html", {"message": message}, status=400)


# The side panel ------------------------------------------------------------------------


@login_required
@require_GET
def segment_panel(request, slug, document_id, segment_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)
    return _panel(request, segment, role)


def _panel(request, segment, role, *, notice="", error="", status=200, applied_text=None):
    project = segment.document.project
    cjk = is_cjk(project.target_language)
    term_hits = recognise_terms(segment.source, project)
    revisions = list(
        segment.revisions.select_related("author").order_by("-created_at", "-pk")[:HISTORY_SHOWN]
    )
    context = {
        "project": project,
        "document": segment.document,
        "segment": segment,
        "role": role,
        "suggestions": _numbered_suggestions(segment, project, cjk),
        "tm_exact_only": is_long(segment.source),
        "longest_fuzzy_query": LONGEST_FUZZY_QUERY,
        "annotations": segment.annotations.exclude(
            status=Annotation.Status.OUTDATED
        ).select_related("resolved_by"),
        "outdated": segment.annotations.filter(status=Annotation.Status.OUTDATED).count(),
        "overrides": segment.revisions.exclude(reason="").select_related("author")[:5],
        "warnings": unlisted(segment, qa_warnings(segment, segment.target, project)),
        "term_pieces": highlight(segment.source, term_hits),
        "term_hits": term_hits,
        "history": [
            (revision, diff(revision.old_target, revision.new_target, cjk))
            for revision in revisions
        ],
        "comments": segment.comments.select_related("author", "resolved_by"),
        "model_problem": endpoint_problem(project),
        "notice": notice,
        "error": error,
    }
    response = render(request, "translation/_panel.html", context, status=status)
    if applied_text is not None:
        # ASCII-only JSON: a header cannot carry Chinese as it is.
        response["HX-Trigger"] = json.dumps(
            {"apply-text": {"segment": segment.pk, "text": applied_text}}
        )
    return response


def _numbered_suggestions(segment, project, cjk):
    """Exact TM matches (101%, 100%) first, then the agents' suggestions, then fuzzy TM
    matches, numbered together for Ctrl+1…9: a match a person approved for the same
    sentence is worth more than any machine draft."""
    agents = [
        {
            "label": suggestion.get_kind_display(),
            "kind": "agent",
            "text": suggestion.text,
            "pieces": diff(segment.target, suggestion.text, cjk),
            "who": " · ".join(
                part
                for part in (
                    suggestion.agent_role,
                    suggestion.model_name,
                    suggestion.prompt_version,
                )
                if part
            ),
            "when": suggestion.created_at,
            "instruction": suggestion.instruction,
            "started_from": f"suggestion:{suggestion.pk}",
        }
        for suggestion in latest_suggestions(segment)
    ]
    exact, fuzzy = [], []
    for match in lookup(segment, project, limit=TM_MATCHES_SHOWN):
        (exact if match.percent >= 100 else fuzzy).append(
            {
                "label": f"TM {match.percent}%" + (" · in context" if match.percent > 100 else ""),
                "kind": "tm",
                "percent": match.percent,
                "text": match.target,
                "source_pieces": match.diff,
                "who": f"{match.memory_name} · {match.who}",
                "when": match.when,
                "started_from": f"tm:{match.unit_id}:{match.percent}",
                "quality": match.quality,
            }
        )
    offers = exact + agents + fuzzy
    for number, offer in enumerate(offers[:9], start=1):
        offer["number"] = number
    return offers[:9]


@login_required
@require_POST
def segment_qa(request, slug, document_id, segment_id):
    """The QA warnings of the text being typed; nothing is saved."""
    segment, _ = get_segment_for_user(request, slug, document_id, segment_id)
    text = request.POST.get("text", "")
    try:
        clean_target(segment, text)
    except EditRefused as refused:
        warnings = [QAWarning("tags", "critical", str(refused))]
    else:
        # What the segment's issue list already shows is not shown twice.
        warnings = unlisted(segment, qa_warnings(segment, text, segment.document.project))
    return render(request, "translation/_qa.html", {"warnings": warnings, "live": True})


def _panel_action(request, segment, role, action):
    """Run a panel action and answer with the refreshed panel (400 with the reason)."""
    try:
        outcome = action()
    except EditRefused as refused:
        return _panel(request, segment, role, error=str(refused), status=400)
    return _panel(request, segment, role, **outcome)


@login_required
@require_POST
def comment_add(request, slug, document_id, segment_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)

    def add():
        do_add_comment(segment, user=request.user, role=role, text=request.POST.get("text"))
        return {"notice": "Comment added."}

    return _panel_action(request, segment, role, add)


@login_required
@require_POST
def comment_resolve(request, slug, document_id, segment_id, comment_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)
    comment = get_object_or_404(segment.comments, pk=comment_id)
    do_resolve_comment(comment, user=request.user, role=role)
    return _panel(request, segment, role)


@login_required
@require_POST
def annotation_accept(request, slug, document_id, segment_id, annotation_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)
    annotation = get_object_or_404(segment.annotations, pk=annotation_id)

    def accept():
        text = do_accept_annotation(
            annotation, user=request.user, role=role, text=request.POST.get("text", segment.target)
        )
        if text is None:
            return {
                "notice": "Issue accepted. Change the text yourself: the suggestion cannot be applied to it."
            }
        return {
            "notice": "Issue accepted and its suggestion applied; save to keep it.",
            "applied_text": text,
        }

    return _panel_action(request, segment, role, accept)


@login_required
@require_POST
def annotation_dismiss(request, slug, document_id, segment_id, annotation_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)
    annotation = get_object_or_404(segment.annotations, pk=annotation_id)

    def dismiss():
        do_dismiss_annotation(
            annotation, user=request.user, role=role, reason=request.POST.get("reason")
        )
        return {"notice": "Issue dismissed."}

    return _panel_action(request, segment, role, dismiss)


@login_required
@require_POST
def segment_send_back(request, slug, document_id, segment_id):
    segment, role = get_segment_for_user(
        request, slug, document_id, segment_id, action="segment.send_back"
    )

    def send_back():
        do_send_back(segment, user=request.user, role=role, text=request.POST.get("text"))
        segment.refresh_from_db()
        return {"notice": f"Segment {segment.position} sent back to the translator."}

    return _changed(_panel_action(request, segment, role, send_back), segment)


@login_required
@require_POST
def segment_reopen(request, slug, document_id, segment_id):
    """Take an approved segment back to translated, with a reason, so it can change."""
    segment, role = get_segment_for_user(
        request, slug, document_id, segment_id, action="segment.reopen"
    )

    def reopen():
        do_reopen(segment, user=request.user, role=role, reason=request.POST.get("reason"))
        segment.refresh_from_db()
        return {"notice": f"Segment {segment.position} reopened; it can be edited again."}

    return _changed(_panel_action(request, segment, role, reopen), segment)


def _changed(response, segment):
    """Tell the page that the segment's row changed (status, version)."""
    if response.status_code == 200:
        response["HX-Trigger"] = json.dumps({"segment-changed": {"segment": segment.pk}})
    return response


@login_required
@require_POST
def segment_ask_revision(request, slug, document_id, segment_id):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)

    def ask():
        try:
            job = do_ask_revision(
                segment, user=request.user, role=role, instruction=request.POST.get("instruction")
            )
        except TooManyJobs as refused:
            raise EditRefused(str(refused)) from None
        return {
            "notice": f"Asked the agents to revise (job #{job.pk}). Their answer will appear "
            "here as a suggestion; reopen the segment to see it."
        }

    return _panel_action(request, segment, role, ask)


# Bulk approve ---------------------------------------------------------------------------


@login_required
@require_POST
def bulk_approve(request, slug, document_id):
    """Approve the confirmed segments the reviewer has on screen: the form sends each
    loaded row's id and the version it showed ("seen"), so only what was seen, as it was
    seen, is approved."""
    document, role = get_document_for_user(request, slug, document_id, action="segment.approve")
    seen = seen_versions(request.POST.get("seen", ""))
    if not seen:
        return _refused(
            request, "No segments were on screen to approve; load the grid and try again."
        )
    result = do_bulk_approve(document, seen, user=request.user, role=role)
    response = render(
        request, "translation/_bulk_result.html", {"result": result, "document": document}
    )
    response["HX-Trigger"] = json.dumps({"grid-changed": True})
    return response
