"""`manage.py draft_document`: queues through the configured transport; with --wait it
follows the job row until a worker finishes it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.test_drafting import BRIEF, SOURCES, small_document
from workbench.jobs.models import Job

pytest_plugins = ["tests.workers"]  # the start_worker fixture


@pytest.fixture
def document(project):
    return small_document(project, SOURCES)


def draft_document(*arguments):
    out = StringIO()
    call_command("draft_document", *map(str, arguments), stdout=out)
    return out.getvalue()


def test_it_queues_a_job_for_the_document(settings, loopback_llm, document):
    settings.OPENAI_BASE_URL = loopback_llm.base_url

    out = draft_document(document.pk, "--segments", "2-4")

    job = Job.objects.get()
    assert (job.kind, job.document, job.params) == (
        "draft_document",
        document,
        {"positions": [2, 4]},
    )
    assert f"Queued drafting job #{job.pk}" in out


def test_it_refuses_without_a_model_endpoint(settings, document):
    settings.OPENAI_BASE_URL = ""

    with pytest.raises(CommandError, match="OPENAI_BASE_URL"):
        draft_document(document.pk)
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "segments, message", [("a-b", "not “a-b”"), ("5-2", "is empty"), ("0", "is empty")]
)
def test_it_rejects_a_bad_range(settings, loopback_llm, document, segments, message):
    settings.OPENAI_BASE_URL = loopback_llm.base_url

    with pytest.raises(CommandError, match=message):
        draft_document(document.pk, "--segments", segments)
    assert not Job.objects.exists()


def test_it_names_a_missing_document(settings, loopback_llm, db):
    settings.OPENAI_BASE_URL = loopback_llm.base_url

    with pytest.raises(CommandError, match="no document 999"):
        draft_document(999)


@pytest.mark.worker
def test_it_waits_for_a_worker_and_prints_the_totals(
    start_worker, monkeypatch, settings, loopback_llm, document
):
    monkeypatch.setenv("OPENAI_BASE_URL", loopback_llm.base_url)
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    document.brief = BRIEF
    document.save()
    start_worker("celery")

    out = draft_document(document.pk, "--wait", "--timeout", "60")

    job = Job.objects.get()
    assert job.status == "succeeded"
    drafted = job.result["drafted"] + job.result.get("flagged", 0)
    assert f"Job #{job.pk} succeeded: {drafted} drafted by the agents" in out
    assert f"{job.result['calls']} model calls" in out
    assert set(document.segments.values_list("status", flat=True)) == {"drafted"}


@pytest.mark.worker
def test_it_exits_non_zero_when_the_job_fails(
    start_worker, monkeypatch, settings, loopback_llm, document
):
    # A budget of one token: the brief spends it, and the job stops before any batch.
    monkeypatch.setenv("OPENAI_BASE_URL", loopback_llm.base_url)
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    document.project.job_token_budget = 1
    document.project.save()
    start_worker("celery")

    with pytest.raises(CommandError, match="failed: The token budget of 1"):
        draft_document(document.pk, "--wait", "--timeout", "60")


@pytest.mark.worker
def test_a_partial_job_exits_non_zero_and_says_how_to_retry_the_failed_segments(
    start_worker, monkeypatch, settings, loopback_llm, document
):
    monkeypatch.setenv("OPENAI_BASE_URL", loopback_llm.base_url)
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    failing = document.segments.get(position=2)
    loopback_llm.configure(skip_ids=[str(failing.pk)])
    start_worker("celery")

    with pytest.raises(CommandError, match="--retry-failed"):
        draft_document(document.pk, "--wait", "--timeout", "60")
    assert Job.objects.get().status == "partial"

    loopback_llm.configure(skip_ids=[])
    out = draft_document(document.pk, "--retry-failed", "--wait", "--timeout", "60")

    job = Job.objects.get()
    failing.refresh_from_db()
    assert job.status == "succeeded" and "succeeded" in out
    assert failing.status == "drafted" and failing.target


@pytest.mark.worker
def test_a_job_whose_every_call_failed_exits_non_zero(
    start_worker, monkeypatch, settings, document
):
    down = "http://127.0.0.1:9/v1"  # nothing listens there
    monkeypatch.setenv("OPENAI_BASE_URL", down)
    monkeypatch.setenv("OPENAI_TIMEOUT_SECONDS", "1")
    settings.OPENAI_BASE_URL = down
    start_worker("celery")

    with pytest.raises(CommandError, match="failed"):
        draft_document(document.pk, "--wait", "--timeout", "120")
    assert Job.objects.get().status == "failed"
    assert set(document.segments.values_list("status", flat=True)) == {"new"}
