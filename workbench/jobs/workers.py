"""The RQ worker class to run: `manage.py rqworker default --worker-class
workbench.jobs.workers.SweepingRQWorker` (or RQ = {"WORKER_CLASS": ...} in settings)."""

import time

from rq import Worker

from . import conf, sweeper


class SweepingRQWorker(Worker):
    """An RQ worker that also sweeps stale jobs, so RQ needs no scheduler process.

    The sweep runs in the worker's main process, on the heartbeats RQ sends while it
    waits for work and while it watches a running job. Waiting is cut into short
    slices so an idle worker still sweeps on time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.job_monitoring_interval = min(self.job_monitoring_interval, self._sweep_seconds())
        self._last_sweep = None

    @property
    def dequeue_timeout(self):
        return min(super().dequeue_timeout, self._sweep_seconds())

    def heartbeat(self, timeout=None, pipeline=None):
        super().heartbeat(timeout, pipeline=pipeline)
        # Heartbeats inside a Redis pipeline come from the work horse preparing a job;
        # the sweep belongs to the main process.
        if pipeline is not None:
            return
        now = time.monotonic()
        if self._last_sweep is None or now - self._last_sweep >= conf.sweep_every():
            self._last_sweep = now
            sweeper.sweep_from_worker()

    @staticmethod
    def _sweep_seconds():
        return max(1, int(conf.sweep_every()))
