"""Background work of the editor's checks: a large document's consistency, read again
after its text changed (see consistency.py)."""

from workbench.jobs.registry import JobFailed, job_handler

from .consistency import check_document


@job_handler("consistency")
def check_consistency(job):
    """Safe to run again: it reads the document as it stands and reconciles the issues."""
    if job.document is None:
        raise JobFailed("This consistency check names no document.")
    check_document(job.document)
