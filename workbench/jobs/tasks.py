"""The Celery side: a task that only runs the job row, and a worker step that sweeps."""

from celery import bootsteps, shared_task

from workbench.celery import app

from . import conf, services, sweeper
from .transports import CELERY_TASK


@shared_task(name=CELERY_TASK)
def run_job(job_id):
    services.run_job(job_id)


class SweepStaleJobs(bootsteps.StartStopStep):
    """Sweep on the worker's own timer, in its main process, so no beat process is
    needed. The sweep closes its database connection before the pool forks again."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_entry = None

    def start(self, worker):
        self.timer_entry = worker.timer.call_repeatedly(
            conf.sweep_every(), sweeper.sweep_from_worker
        )

    def stop(self, worker):
        if self.timer_entry is not None:
            self.timer_entry.cancel()


app.steps["worker"].add(SweepStaleJobs)
