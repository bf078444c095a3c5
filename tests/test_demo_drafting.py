"""With no model configured, "Draft with agents" on the demo judgment runs the real
pipeline in a real worker against the demo replay model, to the end; a document of your
own gets the replay model's advice on connecting a model."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from workbench.demo.recordings import read_recordings, recordings_path
from workbench.demo.replay_model import MODEL, ReplayModel
from workbench.documents.models import Document
from workbench.documents.services import import_document
from workbench.drafting.services import start_drafting
from workbench.projects.models import Membership, Project


def seed_demo_command(*args, **options):
    """`manage.py seed_demo` in demo mode, as `make run` runs it."""
    with override_settings(WORKBENCH_DEMO=True):
        call_command("seed_demo", *args, **options)


pytestmark = pytest.mark.worker
pytest_plugins = ["tests.workers"]  # the start_worker fixture


@pytest.fixture
def replay(settings, monkeypatch):
    """What `make run` does without a model: the replay model on loopback, and the web
    server and workers pointed at it like at any endpoint."""
    with ReplayModel() as server:
        for name, value in [("OPENAI_BASE_URL", server.base_url), ("OPENAI_MODEL", MODEL)]:
            monkeypatch.setenv(name, value)
            setattr(settings, name, value)
        monkeypatch.delenv("WORKBENCH_ENDPOINTS", raising=False)
        settings.WORKBENCH_ENDPOINTS = ""
        yield server


def test_drafting_the_demo_judgment_runs_to_the_end_in_a_worker(start_worker, replay):
    seed_demo_command("--empty", stdout=io.StringIO())
    judgment = Document.objects.get(original_filename="hk_judgment_facc_2024.docx")
    manager = judgment.project.memberships.get(role="manager").user
    worker = start_worker("celery")

    job = start_drafting(judgment, manager, {"positions": [200, 259]})
    worker.wait_for_status(job, "succeeded", timeout=90)

    recordings = read_recordings(recordings_path(judgment.original_filename, "zh-Hant-HK"))
    drafted = judgment.segments.filter(position__gte=200).order_by("position")
    assert job.result["drafted"] == 60 and job.result["failed"] == 0
    assert job.progress_done == job.progress_total == 60
    for segment in drafted:
        assert segment.status == "drafted"
        assert segment.target == recordings[segment.position - 1].agents_final
    revised = drafted.get(position=218).revisions.get(origin="agent")
    assert (revised.agent_role, revised.model_name) == ("proofreader", MODEL)
    assert judgment.model_calls.filter(model=MODEL).count() >= 4


def test_a_document_of_your_own_is_told_how_to_connect_a_model(start_worker, replay, manager):
    project = Project.objects.create(
        name="Leases", slug="leases", source_language="en", target_language="zh-Hant-HK"
    )
    Membership.objects.create(project=project, user=manager, role="manager")
    document = import_document(
        project,
        data=b"The tenant shall pay the rent on the first day of each month.",
        filename="lease.txt",
        user=manager,
    )
    worker = start_worker("celery")

    job = start_drafting(document, manager)
    worker.wait_for_status(job, "failed", timeout=60)

    assert "This is the demo replay model" in job.error
    assert "Connect a model to draft your own documents" in job.error
    assert set(document.segments.values_list("status", flat=True)) == {"new"}
