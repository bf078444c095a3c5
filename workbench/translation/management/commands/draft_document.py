"""Draft a document with the agents from the command line, through the same queue and
workers as the "Draft with agents" button."""

import time

from django.core.management.base import BaseCommand, CommandError

from workbench.documents.models import Document
from workbench.jobs.models import Job
from workbench.translation.drafting import DraftingRefused, start_drafting

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
        "Queue a drafting job for a document. With --wait, follow the job until a worker "
        "finishes it and print what the agents did; the exit status is 1 if it failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("document_id", type=int)
        parser.add_argument("--segments", help="only these segment numbers, e.g. 1-50")
        parser.add_argument(
            "--wait", action="store_true", help="wait for the job to finish (needs a worker)"
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=0,
            help="with --wait, give up waiting after this many seconds (default: no limit)",
        )

    def handle(self, *args, document_id, segments, wait, timeout, **options):
        document = Document.objects.select_related("project").filter(pk=document_id).first()
        if document is None:
            raise CommandError(f"There is no document {document_id}; check its number.")
        params = {"positions": segment_range(segments)} if segments else {}
        try:
            job = start_drafting(document, None, params)
        except DraftingRefused as refused:
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
            raise CommandError(f"Job #{job.pk} {job.status}: {job.error or 'no reason given'}")

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
        f"Job #{job.pk} {job.status}: drafted {result.get('drafted', 0)}, flagged "
        f"{result.get('flagged', 0)}, failed {result.get('failed', 0)}, late "
        f"{result.get('late', 0)}; {result.get('calls', 0)} model calls, "
        f"{tokens_in + tokens_out} tokens ({tokens_in} in, {tokens_out} out)."
    )
