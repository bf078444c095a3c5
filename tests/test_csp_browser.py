"""The pages people use most, in Chromium, under the Content-Security-Policy: the header is
there, and the editor, the dashboard and the drafting page work with nothing refused in
the console (a refused inline script or style, or an eval, is a console error)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401
from tests.dashboard_team import team  # noqa: F401
from workbench.jobs.models import Job


def strict(policy):
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_editor_works_under_the_policy(
    page_for,  # noqa: F811  (fixtures imported from tests.browser)
    translator,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    page = page_for(translator)
    response = page.goto(reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]))
    strict(response.headers["content-security-policy"])
    assert "no-store" in response.headers["cache-control"]
    expect(page.locator("tr.seg").first).to_be_visible()

    # A tick applies at once (htmx, triggered from editor.js rather than an evaluated
    # filter); the search box on Enter only.
    page.locator('#filters input[value="drafted"]').check()
    expect(page).to_have_url(re.compile(r"status=drafted"))
    expect(page.locator("tr.seg")).not_to_have_count(0)
    for row in page.locator("tr.seg").all():
        assert "status-drafted" in row.get_attribute("class")
    page.locator('#filters input[value="drafted"]').uncheck()
    expect(page.locator('tr.seg[data-position="1"]')).to_be_visible()

    # Confirm a draft with the keyboard: the panel, QA and save all run.
    page.keyboard.press("Control+g")
    page.keyboard.type("21")
    page.keyboard.press("Enter")
    target = page.locator('tr.seg.active[data-position="21"] textarea.target-editor')
    expect(target).to_be_focused()
    expect(page.locator("#panel")).to_contain_text("Translator draft")
    page.keyboard.press("Control+Enter")
    expect(page.locator('tr[data-position="21"]')).to_have_class(
        "seg status-translated kind-paragraph"
    )
    assert demo_judgment.segments.get(position=21).status == "translated"
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_draws_its_charts_under_the_policy(team, page_for, trouble):  # noqa: F811
    page = page_for(team.manager, height=1000)
    response = page.goto(reverse("dashboard", args=[team.project.slug]))
    strict(response.headers["content-security-policy"])
    for canvas in page.locator("canvas[data-chart]").all():
        assert page.evaluate("c => Boolean(Chart.getChart(c))", canvas.element_handle())
    # Each chart box takes the height its data attribute gives (no style attribute).
    box = page.locator('.chart-box:has(canvas[data-chart="people-data"])')
    assert box.evaluate("b => b.getBoundingClientRect().height") == 300
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_drafting_page_starts_the_agents_under_the_policy(
    settings,
    page_for,  # noqa: F811
    manager,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"  # the job is queued, not run here
    page = page_for(manager)
    url = reverse("drafting", args=[demo_judgment.project.slug, demo_judgment.pk])
    response = page.goto(url)
    strict(response.headers["content-security-policy"])
    page.locator('#draft-form input[value="selection"]').check()
    page.locator('input[aria-label="segment 30"]').check()
    page.locator("#draft-form button[type=submit]").click()
    expect(page.locator("#draft-jobs .job-progress").first).to_be_visible()
    job = Job.objects.get(kind="draft_document")
    assert job.params["segment_ids"] == [demo_judgment.segments.get(position=30).pk]
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_destructive_form_still_asks_first(
    page_for,  # noqa: F811
    manager,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    """The confirmation moved from an inline handler to workbench.js."""
    page = page_for(manager)
    page.goto(reverse("project_detail", args=[demo_judgment.project.slug]))
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("#documents button.danger").click()
    expect(page.locator("#documents")).to_be_visible()
    assert asked == ["Delete this document and all its segments?"]
    assert demo_judgment.__class__.objects.filter(pk=demo_judgment.pk).exists()
    assert trouble == []
