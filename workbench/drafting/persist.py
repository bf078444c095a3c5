"""Storing what the agents made of a batch, in one transaction per batch:

- the Translator's draft and the Proofreader's revision as Suggestions;
- the final text as the target through the lifecycle's compare-and-set on the version
  seen at dispatch (invariant 1), with the Annotator's issues still open in it (the
  deterministic checks' issues follow the text by themselves);
- for a segment a person touched meanwhile, the final text as a "late" Suggestion;
- the draft's risk (`agents.risk`) with the text, and, where the project lets low-risk
  segments skip review, the decision, both through the lifecycle.
"""

from collections import Counter
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from agents.prompts import PROMPT_VERSIONS
from agents.risk import assess
from workbench.documents import changes, lifecycle
from workbench.documents.lifecycle import EditRefused, clean_target
from workbench.documents.models import Revision, Segment
from workbench.jobs.models import DraftBatch
from workbench.translation.models import Annotation, Suggestion

from .pseudonyms import restore_result

OUTCOMES = ("drafted", "flagged", "failed", "late")
NO_TEXT = "The agents returned no text for this segment; draft it again or translate it by hand."
LATE = (
    "A person changed the segment while the agents worked; their text stays and the agents' "
    "text is offered as a suggestion."
)


def _suggestion(segment, kind, text, provenance, job, **extra):
    return Suggestion(
        segment=segment,
        kind=kind,
        text=text,
        agent_role=provenance.role[:20],
        model_name=provenance.model[:100],
        prompt_version=provenance.prompt_version[:40],
        round=provenance.round,
        job=job,
        **extra,
    )


def _annotator_issue(segment, issue, text, round_number, models, job):
    return Annotation(
        segment=segment,
        source=Annotation.Source.ANNOTATOR,
        category=issue.category if issue.category in Annotation.Category.values else "accuracy",
        severity=issue.severity if issue.severity in Annotation.Severity.values else "major",
        span=issue.span,
        suggestion=issue.suggestion,
        explanation=issue.explanation,
        target_text=text,
        round=round_number,
        model_name=models.annotator[:100],
        prompt_version=PROMPT_VERSIONS["annotator"],
        job=job,
    )


def risk_of(segment, found, final, tm_percent=None):
    """(level, reasons) of the agents' final text for `segment`."""
    draft_issues = found.annotations[0] if found.annotations else []
    risk = assess(
        segment.source,
        final,
        issues=found.issues,
        draft_issues=draft_issues,
        draft=found.draft,
        revision=found.revision,
        tm_percent=tm_percent,
    )
    return risk.as_stored()


@transaction.atomic
def persist_batch(job, batch, result, models, tm_best=None):
    """Store one batch's results and mark it done, all or nothing. Returns the counts
    by outcome (drafted, flagged, failed, late). `tm_best` is {segment id: the best TM
    match offered to the Translator}, for the risk."""
    results = restore_result(job.document, result).by_id()
    segments = Segment.objects.in_bulk(batch.segment_ids)
    suggestions, finals, outcomes = [], {}, {}
    for segment_id in batch.segment_ids:
        segment, key = segments.get(segment_id), str(segment_id)
        found = results.get(key)
        if segment is None:
            continue
        if found is None or found.status == "failed" or not found.final_target:
            outcomes[key] = {
                "status": "failed",
                "reason": (found.reason if found else "") or NO_TEXT,
            }
            continue
        try:
            final = clean_target(segment, found.final_target)
            draft = clean_target(segment, found.draft) if found.draft else ""
            revision = clean_target(segment, found.revision) if found.revision else ""
        except EditRefused as refused:
            outcomes[key] = {
                "status": "failed",
                "reason": f"The agents' text could not be stored: {refused}",
            }
            continue
        if draft:
            suggestions.append(
                _suggestion(segment, Suggestion.Kind.DRAFT, draft, found.draft_provenance, job)
            )
        if revision:
            suggestions.append(
                _suggestion(
                    segment,
                    Suggestion.Kind.REVISION,
                    revision,
                    found.revision_provenance,
                    job,
                    resolutions=[asdict(resolution) for resolution in found.resolutions],
                )
            )
        finals[segment_id] = final

    def provenance(segment_id):
        final = results[str(segment_id)].final_provenance
        return {
            "agent_role": final.role[:20],
            "model_name": final.model[:100],
            "prompt_version": final.prompt_version[:40],
        }

    tm_best = tm_best or {}
    written = lifecycle.write_drafts(
        {pk: (batch.versions[str(pk)], text) for pk, text in finals.items()},
        origin=Revision.Origin.AGENT,
        provenance=provenance,
        risks={
            pk: risk_of(segments[pk], results[str(pk)], text, tm_best.get(str(pk)))
            for pk, text in finals.items()
        },
        skip_review=job.project.low_risk_review,
    )
    issues = []
    for segment_id, final in finals.items():
        segment, found, key = segments[segment_id], results[str(segment_id)], str(segment_id)
        if segment_id not in written:
            suggestions.append(
                _suggestion(segment, Suggestion.Kind.LATE, final, found.final_provenance, job)
            )
            outcomes[key] = {"status": "late", "reason": LATE}
            continue
        issues += [
            _annotator_issue(segment, issue, final, found.final_provenance.round, models, job)
            for issue in found.issues
            if issue.source == Annotation.Source.ANNOTATOR
        ]
        outcomes[key] = {"status": found.status, "reason": found.reason}
    Suggestion.objects.bulk_create(suggestions)
    changes.note_changed(suggestion.segment.document_id for suggestion in suggestions)
    Annotation.objects.bulk_create(issues)
    batch.status = DraftBatch.Status.DONE
    batch.outcomes = outcomes
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "outcomes", "finished_at"])
    counts = Counter(outcome["status"] for outcome in outcomes.values())
    job.tally(**{status: counts[status] for status in OUTCOMES})
    return counts


def finish_empty(batch):
    """A batch with nothing left to draft (people took all its segments) is done."""
    batch.status = DraftBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])
