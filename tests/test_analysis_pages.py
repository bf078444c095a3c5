"""The analysis pages of a document and a project: who may see and run them, the table,
the job while it runs, and the CSV and XLSX downloads."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workbench.documents.services import import_document
from workbench.jobs.models import Job
from workbench.memory.analysis import run_analysis
from workbench.memory.models import Analysis
from workbench.memory.services import project_memory


@pytest.fixture
def document(project, manager):
    return import_document(
        project,
        data=b"The appeal is dismissed.\n\nCosts follow.\n\nThe appeal is dismissed.\n",
        filename="=HYPERLINK(1).txt",
        user=manager,
    )


@pytest.fixture
def analysed(project, document, manager):
    project_memory(project).units.create(
        source="The appeal is dismissed.",
        target="上訴駁回。",
        source_language="en",
        target_language="zh-Hant-HK",
        origin="import",
        quality="translated",
    )
    return run_analysis(project, document, user=manager), run_analysis(project, user=manager)


def pages(project, document):
    return {
        "document": reverse("document_analysis", args=[project.slug, document.pk]),
        "project": reverse("project_analysis", args=[project.slug]),
    }


def runs(project, document):
    return {
        "document": reverse("document_analysis_run", args=[project.slug, document.pk]),
        "project": reverse("project_analysis_run", args=[project.slug]),
    }


def downloads(project, document, file_format):
    return [
        reverse("document_analysis_download", args=[project.slug, document.pk, file_format]),
        reverse("project_analysis_download", args=[project.slug, file_format]),
    ]


def test_every_member_sees_the_table(client_for, translator, reviewer, project, document, analysed):
    for person in (translator, reviewer):
        client = client_for(person)
        for url in pages(project, document).values():
            page = client.get(url).content.decode()
            assert 'id="analysis-table"' in page
            assert "Run the analysis" not in page  # only managers run it
    page = client_for(translator).get(pages(project, document)["document"]).content.decode()
    assert (
        '<tr data-band="exact"><th scope="row">100%</th><td class="num">1</td><td class="num">4</td>'
        in page
    )
    assert (
        '<tr data-band="repetitions"><th scope="row">Repetitions</th><td class="num">1</td>' in page
    )
    assert "by mandy" in page


def test_the_pages_link_to_it(client_for, translator, project, document):
    client = client_for(translator)
    detail = client.get(reverse("document_detail", args=[project.slug, document.pk]))
    assert pages(project, document)["document"] in detail.content.decode()
    project_page = client.get(reverse("project_detail", args=[project.slug]))
    assert pages(project, document)["project"] in project_page.content.decode()


def test_it_answers_404_to_outsiders_and_for_bad_ids(
    client_for, outsider, manager, project, document, analysed
):
    client = client_for(outsider)
    urls = [*pages(project, document).values(), *downloads(project, document, "csv")]
    for url in urls:
        assert client.get(url).status_code == 404
    for url in runs(project, document).values():
        assert client.post(url).status_code == 404
    client = client_for(manager)
    assert client.get(f"/projects/{project.slug}/documents/999999/analysis/").status_code == 404
    assert (
        client.post(f"/projects/{project.slug}/documents/999999/analysis/run/").status_code == 404
    )
    assert client.get(f"/projects/{project.slug}/analysis.pdf").status_code == 404
    assert client.get("/projects/nowhere/analysis/").status_code == 404


def test_only_managers_run_it(client_for, translator, reviewer, project, document):
    for person in (translator, reviewer):
        for url in runs(project, document).values():
            assert client_for(person).post(url).status_code == 403
    assert not Job.objects.exists()


def test_running_it_asks_for_post(client_for, manager, project, document):
    for url in runs(project, document).values():
        assert client_for(manager).get(url).status_code == 405


def test_a_manager_runs_it_and_sees_the_job_until_it_is_done(
    client_for, manager, project, document, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(runs(project, document)["document"], follow=True)
    job = Job.objects.get()
    assert (job.kind, job.document, job.created_by) == ("analysis", document, manager)
    page = response.content.decode()
    assert reverse("job_progress", args=[project.slug, job.pk]) in page
    assert "Analysing" in page
    with django_capture_on_commit_callbacks(execute=False):
        client.post(runs(project, document)["project"])
    assert Job.objects.filter(document=None, kind="analysis").count() == 1


def test_it_says_when_the_documents_changed_since(client_for, manager, project, document, analysed):
    client = client_for(manager)
    assert (
        'id="analysis-changed"'
        not in client.get(pages(project, document)["project"]).content.decode()
    )
    import_document(project, data=b"A new judgment arrives.\n", filename="new.txt", user=manager)
    page = client.get(pages(project, document)["project"]).content.decode()
    assert 'id="analysis-changed"' in page
    assert "run it again for current figures" in page


def test_without_an_analysis_there_is_nothing_to_download(client_for, manager, project, document):
    client = client_for(manager)
    assert "No analysis yet" in client.get(pages(project, document)["document"]).content.decode()
    for url in downloads(project, document, "csv"):
        assert client.get(url).status_code == 404


def test_the_csv_holds_the_table_and_never_a_formula(
    client_for, translator, project, document, analysed
):
    response = client_for(translator).get(downloads(project, document, "csv")[0])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "analysis" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Document", "Band", "Segments", "Words", "Characters", "% of words"]
    document_analysis = analysed[0]
    assert rows[1:] == [
        [
            "'=HYPERLINK(1)",
            row["label"],
            str(row["segments"]),
            str(row["words"]),
            str(row["characters"]),
            str(row["share"]),
        ]
        for row in document_analysis.rows
    ]
    assert rows[-1][:4] == ["'=HYPERLINK(1)", "Total", "3", "10"]


def test_the_project_csv_lists_each_document_then_all(
    client_for, manager, project, document, analysed
):
    response = client_for(manager).get(downloads(project, document, "csv")[1])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)"] * 8 + ["All documents"] * 8
    assert rows[-1][1:4] == ["Total", "3", "10"]


def test_the_xlsx_holds_the_table_with_text_that_stays_text(
    client_for, manager, project, document, analysed
):
    response = client_for(manager).get(downloads(project, document, "xlsx")[0])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Document", "Band", "Segments", "Words", "Characters", "% of words"]
    assert rows[1:] == [
        [
            "=HYPERLINK(1)",
            row["label"],
            row["segments"],
            row["words"],
            row["characters"],
            row["share"],
        ]
        for row in analysed[0].rows
    ]
    title = sheet["A2"]
    assert (title.data_type, title.quotePrefix) == ("s", True)  # shown as text, never run


def test_the_latest_analysis_is_shown(client_for, manager, project, document, analysed):
    newer = run_analysis(project, document)
    assert Analysis.objects.filter(document=document).first() == newer
    page = client_for(manager).get(pages(project, document)["document"]).content.decode()
    assert "the workbench after the import" in page


def test_the_api_gives_the_latest_analysis_of_a_document(
    api_for, translator, project, document, analysed
):
    url = f"/api/v1/projects/{project.slug}/documents/{document.pk}/analysis"
    answer = api_for(translator).get(url)
    assert answer.status_code == 200
    body = answer.json()
    assert body["rows"] == analysed[0].rows
    assert (body["document_id"], body["created_by"], body["threshold"]) == (
        document.pk,
        "mandy",
        75,
    )
    assert body["documents_changed_since"] is False
    assert body["memories"] == [project_memory(project).name]


def test_the_api_says_when_there_is_no_analysis_yet(api_for, translator, project, document):
    answer = api_for(translator).get(
        f"/api/v1/projects/{project.slug}/documents/{document.pk}/analysis"
    )
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"
    assert "not been analysed yet" in answer.json()["detail"]


def test_a_manager_with_too_many_jobs_is_told_and_nothing_is_queued(
    settings, client_for, manager, project, document
):
    settings.WORKBENCH_MAX_JOBS_PER_USER = 0
    response = client_for(manager).post(runs(project, document)["document"], follow=True)
    assert "the most one person may have" in response.content.decode()
    assert not Job.objects.exists()


def test_an_analysis_that_failed_says_why_until_one_succeeds(
    client_for, manager, project, document
):
    Job.objects.create(
        kind="analysis",
        project=project,
        document=document,
        status="failed",
        error="The worker stopped; retry the job.",
    )
    page = client_for(manager).get(pages(project, document)["document"]).content.decode()
    assert "The last analysis did not finish." in page
    assert "The worker stopped; retry the job." in page
    run_analysis(project, document)
    page = client_for(manager).get(pages(project, document)["document"]).content.decode()
    assert "did not finish" not in page


def test_htmx_gets_the_table_alone_to_refresh_it(
    client_for, translator, project, document, analysed
):
    url = pages(project, document)["document"]
    part = client_for(translator).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<div id="analysis-page"')
    assert 'hx-trigger="jobFinished from:body"' in part
    assert "<html" not in part


def test_an_upload_queues_the_analysis_and_links_to_it(
    client_for, manager, project, django_capture_on_commit_callbacks
):
    ruling = SimpleUploadedFile("ruling.txt", b"The application is refused.\n", "text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            reverse("document_upload", args=[project.slug]), {"files": [ruling]}
        )
    job = Job.objects.get(kind="analysis")
    assert job.created_by is None
    assert reverse("document_analysis", args=[project.slug, job.document_id]) in (
        response.content.decode()
    )
