"""Recording corrections: the segment lifecycle's `revisions_recorded` signal brings
every revision, inside the transaction that wrote it, so a correction exists exactly when
the confirmation or approval does. A confirmed correction is a few-shot example at once
(unreviewed); approval makes it reviewed, and sending the segment back withdraws it.

A revision yields a correction when a person confirmed or approved text that started
from machine text (an agent's draft or revision, a TM match, auto-propagation), whether
they changed it or not. Text a person typed from nothing, or imported from a bilingual
file, teaches the agents nothing about their own output and is left out.
"""

from django.db.models import Sum

from workbench.documents.models import Revision, Segment
from workbench.translation.models import Annotation

from .candidates import consider_replacements
from .effort import measure, replaced_terms
from .models import Correction, Replacement

EVENT_FOR_STATUS = {"translated": Correction.Event.CONFIRM, "approved": Correction.Event.APPROVE}
MACHINE_KINDS = {"agent", Correction.TM, Correction.PROPAGATION}
DECIDED = (Annotation.Status.ACCEPTED, Annotation.Status.DISMISSED)


def learn_from(revisions):
    """Receiver of `documents.signals.revisions_recorded`."""
    withdrawn = [r.segment_id for r in revisions if r.new_status == Segment.Status.REJECTED]
    if withdrawn:
        Correction.objects.filter(segment_id__in=withdrawn, is_current=True).update(
            is_current=False
        )
    record_corrections([r for r in revisions if r.new_status in EVENT_FOR_STATUS])


def record_correction(revision):
    """The Correction for a person's confirm or approve `revision`, or None when it is
    not one (see the module's docstring)."""
    recorded = record_corrections([revision])
    return recorded[0] if recorded else None


def record_corrections(revisions):
    """Record the corrections of several revisions (a bulk approval) and then look once
    at the replaced terms they share for glossary candidates."""
    recorded, changed_terms = [], {}
    for revision in revisions:
        correction, replacements = _record(revision)
        if correction is not None:
            recorded.append(correction)
            changed_terms.setdefault(correction.project, set()).update(replacements)
    for project, replacements in changed_terms.items():
        consider_replacements(project, replacements)
    return recorded


def _record(revision):
    event = EVENT_FOR_STATUS.get(revision.new_status)
    if event is None or revision.origin != Revision.Origin.PERSON or not revision.new_target:
        return None, set()
    machine_text, origin = machine_start_of(revision)
    if not machine_text or origin.get("kind") not in MACHINE_KINDS:
        return None, set()
    segment = revision.segment
    project = segment.document.project
    latest = segment.corrections.filter(is_current=True).first()
    same_texts = (
        latest is not None
        and latest.machine_text == machine_text
        and latest.final_text == revision.new_target
    )
    if same_texts and latest.author_id == revision.author_id:
        # The same person again on the same texts (confirmed, then approved): one
        # correction, now of the later event.
        latest.event, latest.revision = event, revision
        latest.seconds_spent = seconds_spent(revision)
        latest.issues = decided_issues(segment)
        latest.save(update_fields=["event", "revision", "seconds_spent", "issues", "updated_at"])
        return latest, set()
    if same_texts:
        effort = latest  # the figures depend on the two texts only
        replacements = {(r.machine_span, r.final_span) for r in latest.replacements.all()}
    else:
        effort = measure(machine_text, revision.new_target, project.target_language)
        replacements = replaced_terms(machine_text, revision.new_target, project.target_language)
    segment.corrections.filter(is_current=True).update(is_current=False)
    correction = Correction.objects.create(
        project=project,
        segment=segment,
        revision=revision,
        event=event,
        source=segment.source,
        machine_text=machine_text,
        machine_origin=origin,
        **origin_columns(origin),
        final_text=revision.new_target,
        author=revision.author,
        seconds_spent=seconds_spent(revision),
        issues=decided_issues(segment),
        edit_distance=effort.edit_distance,
        hter=effort.hter,
        ter_signature=effort.ter_signature,
        chrf=effort.chrf,
        chrf_signature=effort.chrf_signature,
        created_at=revision.created_at,
    )
    Replacement.objects.bulk_create(
        Replacement(correction=correction, project=project, machine_span=old, final_span=new)
        for old, new in replacements
        if len(old) <= 300 and len(new) <= 300
    )
    return correction, replacements


def machine_start_of(revision):
    """(text, origin) of the machine text behind `revision`. The editor's saves record
    it; a bulk approval does not, and then it is what was behind the revision before."""
    if revision.machine_text:
        return revision.machine_text, revision.machine_origin
    previous = (
        revision.segment.revisions.filter(pk__lt=revision.pk).order_by("-created_at", "-pk").first()
    )
    if previous is None:
        return "", {}
    previous.segment = revision.segment
    return previous.machine_start()


def origin_columns(origin):
    """The grouping columns of a machine origin: TM matches and propagated text get
    their own pseudo-roles, so the learning figures can set them beside the agents'."""
    kind = origin.get("kind")
    if kind == "agent":
        return {
            "agent_role": (origin.get("role") or "")[:20],
            "model_name": (origin.get("model") or "")[:100],
            "prompt_version": (origin.get("prompt_version") or "")[:40],
        }
    percent = origin.get("percent")
    return {"agent_role": kind, "tm_percent": percent if isinstance(percent, int) else None}


def seconds_spent(revision):
    """What the person's revisions of the segment since its last machine text say they
    spent on it; None when the editor reported no time."""
    since = (
        revision.segment.revisions.exclude(origin=Revision.Origin.PERSON)
        .filter(pk__lt=revision.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    own = revision.segment.revisions.filter(
        origin=Revision.Origin.PERSON, author_id=revision.author_id, pk__lte=revision.pk
    )
    if since is not None:
        own = own.filter(pk__gt=since)
    return own.aggregate(total=Sum("seconds_spent"))["total"]


def decided_issues(segment):
    """The issues people accepted or dismissed on the segment, with their reasons (the
    agents' own re-drafts dismiss issues too, but nobody decided those)."""
    return [
        {
            "source": issue.source,
            "category": issue.category,
            "severity": issue.severity,
            "span": issue.span,
            "suggestion": issue.suggestion,
            "explanation": issue.explanation,
            "status": issue.status,
            "reason": issue.dismiss_reason,
            "by": issue.resolved_by.get_username(),
        }
        for issue in segment.annotations.filter(
            status__in=DECIDED, resolved_by__isnull=False
        ).select_related("resolved_by")
    ]
