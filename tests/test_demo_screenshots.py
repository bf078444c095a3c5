"""The demo's pictures in docs/, taken in a real Chromium from the demo as `make run`
seeds it: the editor as the translator finds it, and the Agents page after "Test
connection" against the demo replay model.

Normal runs skip this module, so they never rewrite docs/. To refresh the pictures:

    WORKBENCH_SCREENSHOTS=1 .venv/bin/python -m pytest tests/test_demo_screenshots.py
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, page_for, trouble  # noqa: F401
from workbench.demo.replay_model import MODEL, ReplayModel
from workbench.documents.models import Document


def seed_demo_command(*args, **options):
    """`manage.py seed_demo` in demo mode, as `make run` runs it."""
    with override_settings(WORKBENCH_DEMO=True):
        call_command("seed_demo", *args, **options)


DOCS = Path(settings.BASE_DIR) / "docs"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("WORKBENCH_SCREENSHOTS"),
        reason="writes docs/*.png; set WORKBENCH_SCREENSHOTS=1 to refresh them",
    ),
]


@pytest.fixture
def demo(settings):
    with ReplayModel() as replay:
        settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = replay.base_url, MODEL
        settings.OPENAI_ENDPOINT_LABEL = (
            "Demo replay model, recorded answers for the demo judgments only"
        )
        settings.WORKBENCH_ENDPOINTS = ""
        seed_demo_command(stdout=io.StringIO())
        yield Document.objects.get(original_filename="hk_judgment_facc_2024.docx")


def test_the_editor_as_the_translator_finds_it(page_for, demo, trouble):  # noqa: F811
    page = page_for(User.objects.get(username="translator"), height=860)
    page.goto(reverse("editor", args=["hk-judgments", demo.pk]) + "?go=220")
    editor = page.locator('tr.seg.active[data-position="220"] textarea.target-editor')
    expect(editor).to_be_focused()
    expect(page.locator("#panel")).to_contain_text("The proviso to s. 83(1)")
    page.screenshot(path=DOCS / "demo-editor.png")
    assert trouble == []


def test_the_agents_page_after_test_connection(page_for, demo, trouble):  # noqa: F811
    page = page_for(User.objects.get(username="manager"), height=1100)
    page.goto(reverse("agent_settings", args=["hk-judgments"]))
    page.click("#test-connection")
    expect(page.locator("#connection-checks tr.verdict-ready")).to_have_count(4, timeout=30_000)
    page.locator("#agent-settings").scroll_into_view_if_needed()
    page.screenshot(path=DOCS / "agents.png", full_page=True)
    assert trouble == []
