"""What the job workers tell the apps above them.

`worker_swept` is sent after each of a worker's periodic sweeps (every
WORKBENCH_JOB_SWEEP_SECONDS), so an app can do its own housekeeping on the same timer
(e.g. deleting expired export files) without a scheduler process of its own. Receivers
must be quick and must not raise."""

from django.dispatch import Signal

worker_swept = Signal()
