"""The editor's pictures in docs/, taken from the demo judgment in a real Chromium.

Normal runs skip this module, so they never rewrite docs/. To refresh the pictures:

    WORKBENCH_SCREENSHOTS=1 .venv/bin/python -m pytest tests/test_editor_browser_screenshots.py
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory

DOCS = Path(settings.BASE_DIR) / "docs"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("WORKBENCH_SCREENSHOTS"),
        reason="writes docs/*.png; set WORKBENCH_SCREENSHOTS=1 to refresh them",
    ),
]


def active_editor(page, position):
    return page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')


def open_at(page, document, position):
    url = reverse("editor", args=[document.project.slug, document.pk])
    page.goto(f"{url}?go={position}")
    expect(active_editor(page, position)).to_be_focused()


def test_the_editor_with_suggestions_issues_memory_and_glossary(
    page_for,  # noqa: F811
    translator,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    TranslationUnit.objects.create(
        memory=project_memory(demo_judgment.project),
        source="His appeal against sentence was dismissed by the Court of Appeal.",
        target="他針對刑期提出的上訴被上訴法庭駁回。",
        origin="import",
        quality="approved",
    )
    page = page_for(translator)
    open_at(page, demo_judgment, 17)
    for position in range(18, 23):
        page.keyboard.press("Alt+ArrowDown")
        expect(active_editor(page, position)).to_be_focused()
    expect(page.locator("#panel .offer.tm")).to_be_visible()
    page.keyboard.press("Backspace")  # the footnote tag goes: the QA says so
    expect(page.locator("#qa-warnings")).to_contain_text("missing")
    page.screenshot(path=DOCS / "editor.png")
    assert trouble == []


def test_the_conflict_view(page_for, translator, reviewer, demo_judgment, trouble):  # noqa: F811
    toms, ritas = page_for(translator), page_for(reviewer)
    open_at(toms, demo_judgment, 23)
    open_at(ritas, demo_judgment, 23)
    toms.keyboard.type("上訴委員會基於案件涉及重大法律論點，根據第484章第32(2)條批予上訴許可。")
    ritas.keyboard.type(
        "上訴委員會基於案件涉及具有重大及廣泛重要性的法律論點，根據《香港終審法院條例》"
        "（第484章）第32(2)條批予上訴許可。"
    )
    toms.keyboard.press("Control+s")
    expect(toms.locator('tr.seg[data-position="23"]')).to_have_attribute("data-version", "1")
    ritas.keyboard.press("Control+s")
    expect(ritas.locator(".conflict")).to_be_visible()
    ritas.screenshot(path=DOCS / "editor-conflict.png")


def test_the_list_of_keys(page_for, reviewer, demo_judgment, trouble):  # noqa: F811
    page = page_for(reviewer)
    open_at(page, demo_judgment, 14)
    page.keyboard.press("F1")
    expect(page.locator("dialog#help")).to_be_visible()
    page.screenshot(path=DOCS / "editor-shortcuts.png")
    assert trouble == []
