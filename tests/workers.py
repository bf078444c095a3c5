"""Real Celery and RQ workers for the tests: subprocesses on the pytest test database and
the test run's Redis, with the settings of tests/worker_settings.py.

Tests that use them need `transactional_db`, so the workers see committed rows, and
must not run beside other worker tests (they share the Redis queues).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from workbench.jobs.models import Job

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
READY_WITHIN = 30
READY_MARKERS = {"celery": "ready.", "rq": "Listening on"}


def wait_for(condition, timeout, what):
    """Poll until condition() is true; fail the test naming what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Waited {timeout} s for {what}.")


def test_database_url():
    database = settings.DATABASES["default"]
    url = urlsplit(os.environ.get("DATABASE_URL", settings.DATABASE_URL))
    return urlunsplit(url._replace(path=f"/{database['NAME']}"))


def descendants(pid):
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The command name may contain spaces: the parent pid follows its closing ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Worker:
    def __init__(self, transport, log_dir):
        self.transport = transport
        self.log_path = log_dir / f"{transport}-{uuid.uuid4().hex[:8]}.log"
        self.process = None

    def command(self):
        if self.transport == "celery":
            return [
                str(BIN / "celery"),
                "-A",
                "workbench",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"test-{uuid.uuid4().hex[:8]}@%h",
            ]
        return [
            sys.executable,
            "manage.py",
            "rqworker",
            "default",
            "--worker-class",
            "workbench.jobs.workers.SweepingRQWorker",
        ]

    def environment(self):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "WORKBENCH_QUEUE": self.transport,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }

    def start(self):
        with open(self.log_path, "wb") as log:
            # A session of its own, so stop() reaches the Celery pool children.
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._ready, READY_WITHIN, f"the {self.transport} worker to start:\n{self.log()}")
        return self

    def _ready(self):
        if self.process.poll() is not None:
            pytest.fail(f"The {self.transport} worker exited:\n{self.log()}")
        return READY_MARKERS[self.transport] in self.log()

    def kill(self):
        """kill -9 the worker and every process it started, as a machine crash would.
        Also how tests end their workers: quick, and the job rows are the truth anyway.
        The RQ work horse runs in a process group of its own, so the tree is walked."""
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(10)

    def wait_until(self, condition, what, timeout=20):
        wait_for(condition, timeout, f"{what}; the {self.transport} worker's log:\n{self.log()}")

    def wait_for_status(self, job, status, timeout=20):
        self.wait_until(
            lambda: Job.objects.get(pk=job.pk).status == status, f"job {status}", timeout
        )
        job.refresh_from_db()

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def start_worker(transactional_db, settings, tmp_path):
    """start_worker("celery" | "rq") -> a running Worker; every one is stopped afterwards.
    The test process signals the same transport."""
    workers = []

    def start(transport):
        settings.WORKBENCH_QUEUE = transport
        worker = Worker(transport, tmp_path)
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        if worker.process.poll() is None:
            worker.kill()
