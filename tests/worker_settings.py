"""Settings for the worker processes the tests start (see tests/workers.py): the real
settings, plus the test-only job kinds and timings short enough to watch a dead worker
being noticed within seconds."""

from workbench.settings import *  # noqa: F403

WORKBENCH_EXTRA_JOB_MODULES = ["tests.job_kinds"]
WORKBENCH_JOB_STALE_SECONDS = 2
WORKBENCH_JOB_HEARTBEAT_SECONDS = 0.5
WORKBENCH_JOB_SWEEP_SECONDS = 1
