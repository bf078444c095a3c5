"""How quickly a dead worker is noticed: WORKBENCH_JOB_* in settings (from the environment;
the defaults suit model calls that take up to a few minutes)."""

from datetime import timedelta

from django.conf import settings


def stale_after():
    """A running job whose heartbeat is older than this is presumed to have lost its worker."""
    return timedelta(seconds=settings.WORKBENCH_JOB_STALE_SECONDS)


def heartbeat_every():
    """How often a running job's heartbeat is refreshed; well under `stale_after`."""
    return settings.WORKBENCH_JOB_HEARTBEAT_SECONDS


def sweep_every():
    """How often each worker looks for stale jobs."""
    return settings.WORKBENCH_JOB_SWEEP_SECONDS


def resignal_after():
    """A queued job nobody has picked up for this long is signalled again: the first
    signal may have been lost (Redis restarted or flushed, broker down at enqueue)."""
    return timedelta(seconds=settings.WORKBENCH_JOB_RESIGNAL_SECONDS)
