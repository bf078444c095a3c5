"""Draft a document with the agents from the command line, through the same queue and
workers as the "Draft with agents" button."""

import time

from django.core.management.base import BaseCommand, CommandError

from workbench.documents.models import Document
from workbench.drafting.planning import DraftingRefused
from workbench.drafting.services import (
    latest_drafting_job,
    retry_failed_segments,
    start_drafting,
    what_was_drafted,
)
from workbench.jobs.models import Job, JobStateError

POLL_SECONDS = 1.0


def segment_range(value):
    first, _, last = value.partition("-")
    try:
        first, last = int(first), int(last or first)
    except ValueError:
        raise CommandError(
            f"--segments takes a segment number or a range such as 1-50, not “{value}”."
        ) from None
    if first < 1 or last < first:
        raise CommandError(f"--segments {value} is empty; write it as first-last, e.g. 1-50.")
    return [first, last]


class Command(BaseCommand):
    help = (
        "Queue a drafting job for a document: the TM first, then the agents, for segments "
        "with no text yet. With --wait, follow the job until a worker finishes it and print "
        "what the agents did; the exit status is 1 unless every segment got a text."
    )

    def add_arguments(self, parser):
        parser.add_argument("document_id", type=int)
        parser.add_argument("--segments", help="only these segment numbers, e.g. 1-50")
        parser.add_argument(
            "--redraft",
            action="store_true",
            help="also draft again segments that the agents drafted before",
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="retry the segments that got no text in the document's last drafting job",
        )
        parser.add_argument(
            "--wait", action="store_true", help="wait for the job to finish (needs a worker)"
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=0,
            help="with --wait, give up waiting after this many seconds (default: no limit)",
        )

    def handle(self, *args, document_id, segments, redraft, retry_failed, wait, timeout, **options):
        document = Document.objects.select_related("project").filter(pk=document_id).first()
        if document is None:
            raise CommandError(f"There is no document {document_id}; check its number.")
        try:
            if retry_failed:
                job = self._retry(document)
            else:
                params = {"positions": segment_range(segments)} if segments else {}
                job = start_drafting(document, None, {**params, "redraft": redraft})
        except (DraftingRefused, JobStateError) as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Queued drafting job #{job.pk} for “{document.title}”.")
        if not wait:
            self.stdout.write(
                f"Follow it at /projects/{document.project.slug}/jobs/ or run again with --wait."
            )
            return
        job = self._follow(job, timeout)
        self.stdout.write(summary(job))
        if job.status != Job.Status.SUCCEEDED:
            hint = (
                f" Retry the failed segments with: manage.py draft_document {document.pk} "
                "--retry-failed --wait"
                if job.status in (Job.Status.PARTIAL, Job.Status.FAILED)
                else ""
            )
            raise CommandError(
                f"Job #{job.pk} {job.status}: {job.error or 'no reason given'}{hint}"
            )

    def _retry(self, document):
        job = latest_drafting_job(document)
        if job is None or job.status not in (Job.Status.PARTIAL, Job.Status.FAILED):
            raise CommandError(
                f"“{document.title}” has no partial or failed drafting job to retry; its last "
                f"one is {job.get_status_display().lower() if job else 'missing'}."
            )
        return retry_failed_segments(job, None)

    def _follow(self, job, timeout):
        """Poll the job row, the truth about the job, until it is finished."""
        started, shown = time.monotonic(), None
        while True:
            job.refresh_from_db()
            progress = (job.status, job.progress_done, job.progress_total)
            if progress != shown:
                self.stdout.write(f"  {job.status}: {job.progress_done} of {job.progress_total}")
                shown = progress
            if job.is_finished:
                return job
            if timeout and time.monotonic() - started > timeout:
                raise CommandError(
                    f"Job #{job.pk} is still {job.status} after {timeout:g} s; it goes on in "
                    "the background. Is a worker running (make worker)?"
                )
            time.sleep(POLL_SECONDS)


def summary(job):
    result = job.result
    tokens_in, tokens_out = result.get("tokens_in", 0), result.get("tokens_out", 0)
    return (
        f"Job #{job.pk} {job.status}: {', '.join(what_was_drafted(result))}; "
        f"{result.get('calls', 0)} model calls, {tokens_in + tokens_out} tokens "
        f"({tokens_in} in, {tokens_out} out)."
    )
