"""News from the jobs app for the apps above it, which it may not import.

`worker_swept` is sent after each of a worker's periodic sweeps (every
WORKBENCH_JOB_SWEEP_SECONDS), so an app can do its own housekeeping on the same timer
(e.g. deleting expired export files) without a scheduler process of its own. Receivers
must be quick and must not raise.

`job_finished` is sent with `job=` when a job reaches a final state (succeeded, partial,
failed or cancelled), by whichever path it got there: its worker, the sweeper giving up,
a claim that finds it cancelled, or a person cancelling it while it was still queued.
"""

from django.dispatch import Signal

worker_swept = Signal()
job_finished = Signal()
