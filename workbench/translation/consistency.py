"""A document's consistency (`agents.consistency`) as issues on its segments.

The deviating segments get a `check` issue of category consistency, kept up to date as
the text changes (`issues.follow_text` calls `follow_documents` for the documents of
every changed target): a deviation still there stays as it was (open, or decided by a
person), a new one opens, one that is gone becomes outdated.

Rereading a document costs time in proportion to its translated segments (about 75 ms
for 5,000), too much for every save of a large document. Up to INLINE_SEGMENTS
translated segments the check runs within the save; above, a background job does it
(the `consistency` job kind), one waiting job per document however many saves come in
meanwhile.
"""

from django.utils import timezone

from agents.consistency import SegmentText, find_inconsistencies
from agents.context import LanguagePair
from agents.schemas import stored_brief
from workbench.documents.models import Document
from workbench.documents.placeholders import TOKEN
from workbench.jobs.models import Job
from workbench.jobs.services import enqueue
from workbench.memory.glossary import termbase_for

from .models import Annotation

CONSISTENCY = Annotation.Category.CONSISTENCY


def inconsistencies(document):
    """The document's deviating segments, in order (`agents.consistency.Inconsistency`)."""
    project = document.project
    segments = [
        # Tags are markup, not wording: two renderings differing only in ⟦1⟧ are the same.
        SegmentText(pk, position, TOKEN.sub(" ", source), TOKEN.sub(" ", target))
        for pk, position, source, target in document.segments.exclude(target="")
        .order_by("position")
        .values_list("pk", "position", "source", "target")
    ]
    return find_inconsistencies(
        segments,
        LanguagePair(project.source_language, project.target_language),
        termbase_for(project),
        stored_brief(document.brief),
    )


INLINE_SEGMENTS = 500


def follow_documents(document_ids):
    """Check the documents again now, or queue the check of the large ones."""
    for document in Document.objects.filter(pk__in=document_ids).select_related("project"):
        if document.segments.exclude(target="")[INLINE_SEGMENTS:].exists():
            queue_check(document)
        else:
            check_document(document)


def check_document(document):
    _reconcile(document, inconsistencies(document))


def queue_check(document):
    """One waiting check per document: a job already waiting will read the latest text."""
    waiting = Job.objects.filter(
        kind="consistency", document=document, status=Job.Status.QUEUED
    ).exists()
    if not waiting:
        enqueue("consistency", project=document.project, document=document)


def _reconcile(document, findings):
    stored = {
        (issue.segment_id, issue.explanation): issue
        for issue in Annotation.objects.filter(
            segment__document=document, source=Annotation.Source.CHECK, category=CONSISTENCY
        )
        .exclude(status=Annotation.Status.OUTDATED)
        .order_by()  # not the listing's order, which joins the document to sort
    }
    found = {}
    for finding in findings:
        found.setdefault((finding.segment_id, finding.message), finding)
    gone = [
        issue.pk
        for key, issue in stored.items()
        if key not in found and issue.status == Annotation.Status.OPEN
    ]
    if gone:
        Annotation.objects.filter(pk__in=gone).update(
            status=Annotation.Status.OUTDATED, resolved_at=timezone.now()
        )
    targets = dict(
        document.segments.filter(pk__in=[pk for pk, _ in found]).values_list("pk", "target")
    )
    Annotation.objects.bulk_create(
        Annotation(
            segment_id=segment_id,
            source=Annotation.Source.CHECK,
            category=CONSISTENCY,
            severity=finding.severity,
            span=finding.span,
            suggestion=finding.suggestion,
            explanation=message,
            target_text=targets.get(segment_id, ""),
        )
        for (segment_id, message), finding in found.items()
        if (segment_id, message) not in stored
    )
