"""Background work of the translation memory: pre-translating a document."""

from workbench.jobs.registry import JobFailed, job_handler

from .services import pretranslate_document

PROGRESS_EVERY = 25


@job_handler("pretranslate")
def pretranslate(job):
    """Fill the document's new segments from the TM. Safe to run again: only segments
    still `new` are looked at, and each write is a compare-and-set."""
    if job.document is None:
        raise JobFailed("This pre-translation job names no document; start it from a document.")
    threshold = job.params.get("threshold")

    def progress(done, total):
        if done == total or done % PROGRESS_EVERY == 0:
            job.report_progress(done, total)

    job.report_progress(0)
    filled = pretranslate_document(job.document, threshold, progress)
    job.tally(drafted=filled)
