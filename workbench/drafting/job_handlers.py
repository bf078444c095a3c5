"""Background work of the agents: drafting a document, and revising one segment on a
person's request. Both are tiny: the work is in run.py and revise.py."""

from workbench.jobs.models import counters
from workbench.jobs.registry import JobFailed, job_handler, job_summary

from .persist import OUTCOMES
from .revise import revise_on_request
from .run import draft_document
from .services import DRAFT_KIND, REVISE_KIND, what_was_drafted


@job_handler(DRAFT_KIND)
def draft(job):
    draft_document(job)


@job_handler(REVISE_KIND)
def revise(job):
    segment_id = job.params.get("segment_id")
    segment = job.document.segments.filter(pk=segment_id).first() if job.document else None
    if segment is None:
        raise JobFailed(
            "The segment to revise is no longer in the document; ask again from the editor."
        )
    job.report_progress(0, 1)
    revise_on_request(job, segment, job.params.get("instruction", ""))
    job.report_progress(1, 1)


@job_summary(DRAFT_KIND)
def drafting_summary(result):
    """What the drafting did, then the job's other counters (calls, tokens)."""
    rest = {k: v for k, v in result.items() if k not in {*OUTCOMES, "from_tm"}}
    return what_was_drafted(result) + counters(rest)
