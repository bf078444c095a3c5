"""Background work of the feedback app: writing an export file."""

from workbench.jobs.registry import JobFailed, job_handler

from .exports import ExportRefused
from .models import Export


@job_handler("export")
def write_export(job):
    """Writes the whole file each time it runs, so a retried or redelivered job simply
    replaces the file."""
    export = Export.objects.select_related("project", "document").get(pk=job.params["export"])
    try:
        tally = export.write(report=job.report_progress)
    except ExportRefused as refusal:
        raise JobFailed(str(refusal)) from None
    # The runner keeps counters in job.result and only adds to them: top up to the total.
    job.tally(units=tally.units - job.result.get("units", 0))
