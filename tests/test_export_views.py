"""The export page, its background job, the status fragment and the download."""

import pytest
from translate.storage.tmx import tmxfile

from tests.conftest import stored_files
from tests.test_export_fixtures import add_segment, make_document
from workbench.feedback.models import Export
from workbench.jobs.models import Job
from workbench.jobs.services import retry_job, run_job

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def judgment(project):
    document = make_document(project)
    add_segment(document, "The appeal is dismissed.", "上訴駁回。")
    add_segment(document, "Costs follow the event.", "訟費跟隨事件結果。", status="translated")
    return document


def start(client, **fields):
    data = {"format": "tmx", "statuses": ["approved"], **fields}
    return client.post("/projects/hk/export/", data)


def test_a_manager_sees_the_export_form(client_for, manager, judgment):
    response = client_for(manager).get("/projects/hk/export/")

    assert response.status_code == 200
    assert b"Start export" in response.content
    assert b"HCAL 1234/2024" in response.content


def test_only_managers_reach_the_export_pages(
    client_for, translator, reviewer, outsider, manager, judgment
):
    export = Export.start(judgment.project, manager, format="tmx")
    run_job(export.job.pk)
    for user, status in [(outsider, 404), (translator, 403), (reviewer, 403)]:
        client = client_for(user)
        assert client.get("/projects/hk/export/").status_code == status
        assert start(client).status_code == status
        assert client.get(f"/projects/hk/exports/{export.pk}/").status_code == status
        assert client.get(f"/projects/hk/exports/{export.pk}/download/").status_code == status
    assert Export.objects.count() == 1


def test_it_requires_login(client, judgment):
    response = client.get("/projects/hk/export/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_export_runs_as_a_job_and_is_downloaded(client_for, manager, judgment, media_root):
    client = client_for(manager)

    response = start(client, statuses=["approved", "translated"])

    assert response.status_code == 302
    export = Export.objects.get()
    assert (export.job.kind, export.job.status, export.job.params) == (
        "export",
        "queued",
        {"export": export.pk},
    )
    assert not export.is_ready
    run_job(export.job.pk)
    export.refresh_from_db()
    job = Job.objects.get(pk=export.job_id)
    assert (job.status, job.result, job.progress_done, job.progress_total) == (
        "succeeded",
        {"units": 2},
        2,
        2,
    )
    (stored,) = stored_files(media_root)
    assert stored.relative_to(media_root).parts[:2] == ("exports", str(judgment.project_id))
    fragment = client.get(f"/projects/hk/exports/{export.pk}/", **HTMX)
    assert fragment.status_code == 286
    assert f"/projects/hk/exports/{export.pk}/download/".encode() in fragment.content
    download = client.get(f"/projects/hk/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert ".tmx" in download["Content-Disposition"]
    units = tmxfile(b"".join(download.streaming_content)).units
    assert [unit.target for unit in units] == ["上訴駁回。", "訟費跟隨事件結果。"]


def test_the_fragment_keeps_polling_while_the_job_runs(client_for, manager, judgment):
    export = Export.start(judgment.project, manager, format="csv")

    response = client_for(manager).get(f"/projects/hk/exports/{export.pk}/", **HTMX)

    assert response.status_code == 200
    assert b'hx-trigger="every 2s"' in response.content
    assert b"download/" not in response.content
    assert client_for(manager).get(f"/projects/hk/exports/{export.pk}/download/").status_code == 404


def test_a_word_file_needs_a_document(client_for, manager, judgment):
    response = start(client_for(manager), format="docx")

    assert response.status_code == 200
    assert "A Word file is one document" in response.content.decode()
    assert not Export.objects.exists()


def test_it_refuses_a_range_that_ends_before_it_starts(client_for, manager, judgment):
    response = start(client_for(manager), since="2024-05-01", until="2024-04-01")

    assert "swap the two dates" in response.content.decode()
    assert not Export.objects.exists()


def test_an_export_with_nothing_to_write_fails_with_a_reason(manager, judgment, media_root):
    export = Export.start(judgment.project, manager, format="tmx", statuses=["drafted"])

    run_job(export.job.pk)

    job = Job.objects.get(pk=export.job_id)
    assert job.status == "failed"
    assert "nothing to export" in job.error
    assert stored_files(media_root) == []


def test_a_retried_job_replaces_the_file(manager, judgment, media_root):
    export = Export.start(judgment.project, manager, format="jsonl-sft")
    run_job(export.job.pk)
    first = stored_files(media_root)
    Job.objects.filter(pk=export.job_id).update(status="failed")

    retry_job(Job.objects.get(pk=export.job_id), manager)
    run_job(export.job_id)

    export.refresh_from_db()
    assert len(stored_files(media_root)) == 1
    assert stored_files(media_root) != first
    assert Job.objects.get(pk=export.job_id).result == {"units": 1}
    assert export.units == 1


def test_an_export_of_another_project_is_not_found(client_for, manager, zh_project, judgment):
    export = Export.start(judgment.project, manager, format="tmx")
    run_job(export.job.pk)

    response = client_for(manager).get(f"/projects/{zh_project.slug}/exports/{export.pk}/download/")

    assert response.status_code == 404
