"""Issues follow the text: when a segment's target changes, whoever changed it, its
issues are brought up to date in the same transaction.

- The deterministic checks run again on the new text. Their findings are stored as
  `check` annotations, one per finding: a finding still there stays as it was (open, or
  decided by a person), a new one opens, and one the new text no longer has becomes
  outdated.
- An Annotator issue whose span is no longer in the text becomes outdated on its own.
- The document's consistency (`consistency.follow_documents`) is checked again: a change
  in one segment can make another deviate, or stop deviating.

So "open issues" means issues of the text as it stands, and the live QA of the editor
shows only what is not already listed.
"""

from django.db.models import Q
from django.utils import timezone

from .consistency import follow_documents
from .models import Annotation
from .qa import qa_warnings

CHECK = Annotation.Source.CHECK
LIVE = ~Q(status=Annotation.Status.OUTDATED)


def follow_text(revisions):
    """Receiver of `documents.signals.revisions_recorded`."""
    changed = [revision for revision in revisions if revision.changed_text]
    if not changed:
        return
    now = timezone.now()
    new_issues, documents = [], set()
    for revision in changed:
        segment = revision.segment
        text = revision.new_target
        documents.add(segment.document_id)
        # The model's order without its join to the segment's document, all of one segment.
        existing = list(segment.annotations.filter(LIVE).order_by("-created_at", "-pk"))
        _outdate(
            [
                issue
                for issue in existing
                if issue.source != CHECK and issue.span and issue.span not in text
            ],
            now,
        )
        findings = qa_warnings(segment, text, segment.document.project) if text.strip() else []
        new_issues += _reconcile(
            segment, text, findings, [i for i in existing if _is_segment_check(i)], now
        )
    Annotation.objects.bulk_create(new_issues)
    follow_documents(documents)


def _is_segment_check(issue):
    """A finding of the checks of one segment; consistency is the document's."""
    return issue.source == CHECK and issue.category != Annotation.Category.CONSISTENCY


def _reconcile(segment, text, findings, stored, now):
    """New check annotations for the findings not stored yet; stored ones the text no
    longer has become outdated, the others now concern the new text."""
    by_key = {(issue.category, issue.explanation): issue for issue in stored}
    found = {}
    for finding in findings:
        found.setdefault((_category(finding.category), finding.message), finding)
    _outdate([issue for key, issue in by_key.items() if key not in found], now)
    kept = [issue.pk for key, issue in by_key.items() if key in found]
    Annotation.objects.filter(pk__in=kept).update(target_text=text)
    return [
        Annotation(
            segment=segment,
            source=CHECK,
            category=category,
            severity=finding.severity,
            span=finding.span,
            suggestion=finding.suggestion,
            explanation=message,
            target_text=text,
        )
        for (category, message), finding in found.items()
        if (category, message) not in by_key
    ]


def _outdate(issues, now):
    open_ones = [issue.pk for issue in issues if issue.status == Annotation.Status.OPEN]
    if open_ones:
        Annotation.objects.filter(pk__in=open_ones).update(
            status=Annotation.Status.OUTDATED, resolved_at=now
        )


def _category(category):
    return category if category in Annotation.Category.values else Annotation.Category.ACCURACY


def unlisted(segment, warnings):
    """The live QA warnings that are not already among the segment's current issues."""
    listed = set(
        segment.annotations.filter(LIVE, source=CHECK).values_list("category", "explanation")
    )
    return [w for w in warnings if (_category(w.category), w.message) not in listed]
