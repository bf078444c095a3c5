"""Job kinds that exist only in the tests. `test.draft` drafts a document's segments the
way an agent does (compare-and-set, only segments still new), slowly enough to be
watched, killed and cancelled. Each draft names the attempt that wrote it, so a test can
tell which worker did what."""

import time

from django.db.models import F

from workbench.documents.models import Document, Segment
from workbench.jobs.registry import JobFailed, job_handler


@job_handler("test.draft")
def draft_segments(job):
    pause = job.params.get("seconds_per_segment", 0)
    segments = job.document.segments.order_by("position")
    total = segments.count()
    remaining = list(segments.filter(status=Segment.Status.NEW))
    done = total - len(remaining)
    job.report_progress(done, total)
    for segment in remaining:
        if segment.position == job.params.get("fail_at") and job.result.get(
            "failures", 0
        ) < job.params.get("failures", 1):
            job.tally(failures=1)
            raise ConnectionError("the model endpoint answered 503 Service Unavailable")
        time.sleep(pause)
        drafted = Segment.objects.filter(
            pk=segment.pk, status=Segment.Status.NEW, version=segment.version
        ).update(
            target=f"[attempt {job.attempts}] {segment.source}",
            status=Segment.Status.DRAFTED,
            version=F("version") + 1,
            draft_origin="test",
        )
        job.tally(drafted=drafted)
        done += 1
        job.report_progress(done, total)


@job_handler("test.refuse")
def refuse(job):
    raise JobFailed("The document has no segments left to draft; import it again.")


def document_to_draft(project, segments=5):
    document = Document.objects.create(
        project=project,
        title="HCAL 1234/2024",
        original_filename="judgment.txt",
        format=Document.Format.TXT,
        status=Document.Status.READY,
    )
    for position in range(1, segments + 1):
        source = f"Paragraph {position}: the applicant seeks leave to apply for judicial review."
        Segment.objects.create(
            document=document,
            position=position,
            source=source,
            source_hash=Segment.hash_source(source),
        )
    return document


def drafts_by_attempt(document):
    """{attempt number: segments it drafted}, from the drafts' own labels."""
    counts = {}
    for target in document.segments.values_list("target", flat=True):
        if target.startswith("[attempt "):
            attempt = int(target.split()[1].rstrip("]"))
            counts[attempt] = counts.get(attempt, 0) + 1
    return counts
