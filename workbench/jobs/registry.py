"""Which function does which kind of background work.

Writing a handler: in your app, create `job_handlers.py` (it is imported at startup) and

    from workbench.jobs.registry import JobFailed, job_handler

    @job_handler("pretranslate")
    def pretranslate(job):
        remaining = job.document.segments.machine_writable().filter(...)
        job.report_progress(done_so_far, total)
        for batch in ...:
            ...  # write each segment with compare-and-set
            job.tally(drafted=3, calls=1)
            job.report_progress(done_so_far, total)

The rules a handler lives by:

- It must be idempotent. A job can be delivered twice, or its worker killed and the job
  resumed by another worker, or a person can retry it: each time the handler starts again
  from the top, so it must look up what is left and work only on that.
- `job.report_progress(done, total=None)` records progress and checks in. It raises
  `JobCancelled` when a person cancelled the job (or another worker took it over): let it
  propagate, and the runner records the outcome. Call it at least once per item or batch.
- `job.heartbeat()` checks in without progress. The runner also keeps the heartbeat fresh
  from a background thread, so a long model call does not look like a dead worker.
- `job.tally(**counts)` adds to the job's result counters (drafted, flagged, calls...).
- Raise `JobFailed("what happened and what to do")` for a failure a person should read,
  and `JobPartial("...")` when some items got done and others not: a job ends
  `succeeded` only when everything it was asked to do was done. Any other exception
  fails the job with a generic message and is logged.
- `job.params`, `job.project`, `job.document` and `job.created_by` say what to work on.
"""

from importlib import import_module

from django.conf import settings
from django.utils.module_loading import autodiscover_modules

_handlers = {}
_summaries = {}


class JobCancelled(Exception):
    """This worker must stop: a person cancelled the job."""


class JobTakenOver(JobCancelled):
    """This worker must stop: it lost the job (it was presumed dead and another worker
    has it now)."""


class JobFailed(Exception):
    """A failure whose message a person reads on the jobs page."""


class JobPartial(Exception):
    """The job did some of its items but not all; the message says which and what to do.
    Retrying the job works on what is left."""


class UnknownJobKind(LookupError):
    pass


def job_handler(kind):
    """Register `handler(job)` as the code that runs jobs of this kind."""

    def register(handler):
        existing = _handlers.get(kind)
        if existing and _qualified_name(existing) != _qualified_name(handler):
            raise ValueError(
                f"Job kind “{kind}” is handled by {_qualified_name(existing)} already; "
                f"choose another kind for {_qualified_name(handler)}."
            )
        _handlers[kind] = handler
        return handler

    return register


def handler_for(kind):
    try:
        return _handlers[kind]
    except KeyError:
        raise UnknownJobKind(
            f"No handler is registered for jobs of kind “{kind}”. The worker may run older "
            "code than the web server: restart the workers, then retry the job."
        ) from None


def job_summary(kind):
    """Register `summary(result) -> list of phrases` as how a kind's counters read, where
    the plain "N name" of each counter would mislead (a drafted segment with issues is
    still drafted)."""

    def register(summary):
        _summaries[kind] = summary
        return summary

    return register


def summary_for(kind):
    return _summaries.get(kind)


def registered_kinds():
    return sorted(_handlers)


def autodiscover():
    """Import every app's `job_handlers` module, and any listed in
    WORKBENCH_EXTRA_JOB_MODULES (e.g. handlers that only the tests define)."""
    autodiscover_modules("job_handlers")
    for module in getattr(settings, "WORKBENCH_EXTRA_JOB_MODULES", []):
        import_module(module)


def _qualified_name(function):
    return f"{function.__module__}.{function.__qualname__}"
