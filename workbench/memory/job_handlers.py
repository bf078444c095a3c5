"""Background work of the translation memory: pre-translating a document, and the
analysis of a document or project by match band."""

from workbench.jobs.registry import JobFailed, job_handler

from .analysis import run_analysis
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


@job_handler("analysis")
def analyse(job):
    """Count the document (or the whole project, for a job without one) by TM match
    band. Safe to run again: it counts from the start and replaces its own result."""

    def progress(done, total):
        if done == total or done % PROGRESS_EVERY == 0:
            job.report_progress(done, total)

    job.report_progress(0)
    result = run_analysis(
        job.project, job.document, user=job.created_by, job=job, progress=progress
    )
    total = result.rows[-1]
    job.record_counts(segments=total["segments"], words=total["words"])
