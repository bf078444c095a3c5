"""The project's jobs page, the progress fragment, cancel and retry."""

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tests.job_kinds import document_to_draft
from workbench.jobs.models import Job
from workbench.jobs.services import enqueue, run_job

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def job(project, manager):
    document = document_to_draft(project, segments=2)
    return enqueue("test.draft", project=project, document=document, user=manager)


def url(job, action):
    return f"/projects/{job.project.slug}/jobs/{job.pk}/{action}/"


def start(job):
    Job.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=timezone.now(), progress_done=1, progress_total=2
    )


def test_it_lists_the_projects_jobs(client_for, translator, job):
    response = client_for(translator).get("/projects/hk/jobs/")
    assert response.status_code == 200
    assert b"test.draft" in response.content
    assert b"HCAL 1234/2024" in response.content


def test_it_hides_the_jobs_pages_from_outsiders(client_for, outsider, job):
    client = client_for(outsider)
    assert client.get("/projects/hk/jobs/").status_code == 404
    assert client.get(url(job, "progress")).status_code == 404
    assert client.post(url(job, "cancel")).status_code == 404
    assert client.post(url(job, "retry")).status_code == 404
    job.refresh_from_db()
    assert job.status == "queued"


def test_it_hides_a_job_of_another_project(client_for, manager, zh_project, job):
    response = client_for(manager).get(f"/projects/{zh_project.slug}/jobs/{job.pk}/progress/")
    assert response.status_code == 404


def test_it_requires_login(client, job):
    response = client.get("/projects/hk/jobs/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_fragment_keeps_polling_while_the_job_runs(client_for, translator, job):
    start(job)
    response = client_for(translator).get(url(job, "progress"), **HTMX)
    assert response.status_code == 200
    assert b'hx-trigger="every 2s"' in response.content
    assert b'value="50"' in response.content


def test_the_fragment_stops_polling_when_the_job_is_done(client_for, translator, job):
    run_job(job.pk)
    response = client_for(translator).get(url(job, "progress"), **HTMX)
    assert response.status_code == 286
    assert b"hx-trigger" not in response.content
    assert b"Succeeded" in response.content
    assert response["HX-Trigger"] == "jobFinished"  # pages showing its results refresh


def test_the_fragment_shows_the_counters_as_words(client_for, translator, job):
    run_job(job.pk)
    job.refresh_from_db()
    job.result = {"tokens_in": 76866, "drafted": 253}
    job.save(update_fields=["result"])
    response = client_for(translator).get(url(job, "progress"), **HTMX)
    assert "76,866 tokens in" in response.content.decode()
    assert "253 drafted" in response.content.decode()


def test_a_manager_cancels_a_job(client_for, manager, job):
    start(job)
    response = client_for(manager).post(url(job, "cancel"), **HTMX)
    assert response.status_code == 200
    assert b"cancelling" in response.content
    job.refresh_from_db()
    assert job.cancel_requested


def test_a_translator_may_not_cancel(client_for, translator, job):
    response = client_for(translator).post(url(job, "cancel"))
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == "queued"


def test_cancel_rejects_get(client_for, manager, job):
    assert client_for(manager).get(url(job, "cancel")).status_code == 405


def test_cancel_needs_the_csrf_token(manager, job):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.post(url(job, "cancel")).status_code == 403
    job.refresh_from_db()
    assert job.status == "queued"


def test_a_manager_retries_a_failed_job(client_for, manager, job):
    Job.objects.filter(pk=job.pk).update(status="failed", error="The model endpoint was down.")
    response = client_for(manager).post(url(job, "retry"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.error) == ("queued", "")


def test_it_explains_why_a_finished_job_cannot_be_cancelled(client_for, manager, job):
    run_job(job.pk)
    response = client_for(manager).post(url(job, "cancel"), **HTMX)
    assert b"already succeeded; there is nothing to cancel" in response.content


def test_the_rq_dashboard_is_for_staff_only(client_for, manager):
    assert client_for(manager).get("/admin/rq/").status_code == 302
    assert client_for(manager).get("/admin/rq/stats.json").status_code == 401
    staff = make_user("stella", is_staff=True)
    assert client_for(staff).get("/admin/rq/").status_code == 200
