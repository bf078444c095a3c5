"""The Agents page in a real Chromium: "Test connection" calls each role's model once and
shows the verdicts in place, without saving anything."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, page_for, trouble  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_tests_the_connection_before_saving(
    page_for,  # noqa: F811
    manager,
    project,
    loopback_llm,
    settings,
    trouble,  # noqa: F811
):
    settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = loopback_llm.base_url, "loopback"
    settings.WORKBENCH_ENDPOINTS = ""
    page = page_for(manager)
    page.goto(reverse("agent_settings", args=[project.slug]))

    page.fill("input[name=proofreader_model]", "loopback")
    page.click("#test-connection")

    checks = page.locator("#connection-checks")
    expect(checks).to_be_visible(timeout=30_000)
    expect(checks.locator("tr.verdict-ready")).to_have_count(4)
    expect(page.locator("#connection-total")).to_contain_text("No cost estimate")
    project.refresh_from_db()
    assert project.agent_models == {}
    assert trouble == []
