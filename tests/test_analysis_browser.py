"""The analysis in Chromium and in real workers: the manager opens a document's analysis,
runs it again, watches the job's progress, and reads the table a Celery worker made; an
import analyses the document by itself in an RQ worker."""

import pytest

from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401
from tests.test_analysis import memory_for
from workbench.documents.services import import_document
from workbench.jobs.models import Job
from workbench.memory.models import Analysis

pytest_plugins = ["tests.workers"]  # the start_worker fixture


@pytest.mark.browser
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_manager_runs_the_analysis_and_reads_the_table(
    start_worker,
    manager,
    demo_judgment,  # noqa: F811
    page_for,  # noqa: F811
    trouble,  # noqa: F811
):
    memory_for(demo_judgment)
    page = page_for(manager)
    page.goto(f"/projects/{demo_judgment.project.slug}/documents/{demo_judgment.pk}/")
    page.get_by_role("link", name="Analysis", exact=True).click()
    page.get_by_role("heading", name="Analysis", exact=True).wait_for()
    # The import queued an analysis already; no worker runs yet, so it waits.
    assert "Analysing" in page.locator("#analysis-job").inner_text()

    page.get_by_role("button", name="Run the analysis").click()
    page.locator("#analysis-job progress").wait_for()
    mine = Job.objects.filter(kind="analysis", created_by=manager).get()
    assert page.locator(f"#job-{mine.pk}-progress").is_visible()

    worker = start_worker("celery")
    worker.wait_for_status(mine, "succeeded", timeout=90)
    assert mine.progress_done == mine.progress_total == demo_judgment.segments.count()
    page.locator("#analysis-when", has_text="by mandy").wait_for(timeout=20_000)
    assert page.locator("#analysis-job").count() == 0

    analysis = Analysis.objects.get(job=mine)
    table = page.locator("#analysis-table")
    for row in analysis.rows:
        cells = table.locator(f'tr[data-band="{row["band"]}"] td').all_inner_texts()
        assert cells == [
            str(row["segments"]),
            str(row["words"]),
            str(row["characters"]),
            str(row["share"]),
        ]
    assert page.get_by_role("button", name="Run the analysis again").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"/projects/{demo_judgment.project.slug}/")
    page.get_by_role("link", name="Analysis", exact=True).click()
    page.get_by_role("button", name="Run the analysis").click()
    page.locator("#analysis-documents").wait_for(timeout=30_000)
    assert demo_judgment.title in page.locator("#analysis-documents").inner_text()
    assert trouble == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_import_is_analysed_in_an_rq_worker(start_worker, project, manager):
    worker = start_worker("rq")
    document = import_document(
        project,
        data=b"The appeal is dismissed.\n\nCosts follow.\n\nThe appeal is dismissed.\n",
        filename="ruling.txt",
        user=manager,
    )
    job = Job.objects.get(kind="analysis", document=document)
    worker.wait_for_status(job, "succeeded", timeout=60)
    total = Analysis.objects.get(document=document).rows[-1]
    assert (total["segments"], total["words"]) == (3, 10)
    assert job.created_by is None
