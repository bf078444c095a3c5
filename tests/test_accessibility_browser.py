"""WCAG 2.2 AA across the workbench, in Chromium: every main page as each demo person
with axe-core (0 serious or critical violations), the skip link, the current page
marked, `lang` on Chinese text, and the pages at 1024 px and at 200% zoom."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.axe import assert_accessible
from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401
from workbench.projects.models import Notification

PROJECT_PAGES = [
    "project_detail",
    "tm_units",
    "concordance",
    "glossary",
    "lessons",
    "job_list",
    "project_members",
    "dashboard",
    "agent_settings",
    "corpus_export",
    "corrections",
    "glossary_candidates",
    "audit_log",
    "webhooks",
    "project_settings",
]
DOCUMENT_PAGES = ["document_detail", "editor", "drafting", "document_assign"]
PERSONAL_PAGES = ["home", "notifications", "api_tokens", "account", "password_change"]


def main_pages(document):
    slug = document.project.slug
    return (
        [reverse(name) for name in PERSONAL_PAGES]
        + [reverse(name, args=[slug]) for name in PROJECT_PAGES]
        + [reverse(name, args=[slug, document.pk]) for name in DOCUMENT_PAGES]
    )


@pytest.fixture
def chinese_notice(demo_judgment, manager, translator, reviewer):  # noqa: F811
    for user in (manager, translator, reviewer):
        Notification.objects.create(
            user=user,
            project=demo_judgment.project,
            text="Tom commented on segment 20: 涉案財產為港幣1,250,000元",
            url=reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]),
        )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("person", ["manager", "translator", "reviewer"])
def test_every_main_page_passes_axe_as_each_person(
    request,
    person,
    page_for,  # noqa: F811
    demo_judgment,  # noqa: F811
    chinese_notice,
    trouble,  # noqa: F811
):
    page = page_for(request.getfixturevalue(person))
    for url in main_pages(demo_judgment):
        response = page.goto(url)  # page_for's goto runs axe on each page
        assert response.status != 200 or page.locator("main#content").count() == 1, url
    # A person's refusals (403) and pages about no such thing for them (404) are expected.
    trouble[:] = [t for t in trouble if "status of 403" not in t and "status of 404" not in t]
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(
    page_for,  # noqa: F811
    translator,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    page = page_for(translator)
    page.goto(reverse("glossary", args=[demo_judgment.project.slug]))
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["y"] < 0  # out of sight until focused
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"
    assert page.url.endswith("#content")
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_current_page_is_marked_in_the_navigation(
    page_for,  # noqa: F811
    manager,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    page = page_for(manager)
    slug = demo_judgment.project.slug
    page.goto(reverse("project_detail", args=[slug]))
    current = page.locator("[aria-current=page]")
    assert current.all_inner_texts() == ["Documents"]
    page.goto(reverse("audit_log", args=[slug]))
    assert current.all_inner_texts() == ["Audit log"]
    page.goto(reverse("home"))
    assert current.all_inner_texts() == ["My projects"]
    page.goto(reverse("notifications"))
    assert [t.split()[0] for t in current.all_inner_texts()] == ["Notifications"]
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chinese_text_carries_its_language(
    page_for,  # noqa: F811
    translator,
    demo_judgment,  # noqa: F811
    chinese_notice,
    trouble,  # noqa: F811
):
    tag = demo_judgment.project.target_language
    page = page_for(translator)
    page.goto(reverse("glossary", args=[demo_judgment.project.slug]))
    assert page.locator(f"td[lang='{tag}']", has_text="上訴人").count() == 1
    page.goto(reverse("notifications"))
    assert page.locator(f"span[lang='{tag}']").first.inner_text() == "涉案財產為港幣1"
    page.goto(reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]))
    # Every element whose own text has Han characters is inside an element in Chinese.
    untagged = page.evaluate(
        """tag => [...document.querySelectorAll('main *')].filter(el =>
              [...el.childNodes].some(n => n.nodeType === 3 && /\\p{Script=Han}/u.test(n.data))
              && !el.closest(`[lang='${tag}']`)).map(el => el.outerHTML.slice(0, 80))""",
        tag,
    )
    assert untagged == []
    assert trouble == []


def body_overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1024, 640])  # 640 px: a 1280 px screen at 200% zoom
def test_main_pages_fit_narrow_windows_and_200_percent_zoom(
    width,
    page_for,  # noqa: F811
    manager,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    page = page_for(manager, width=width, height=800)
    too_wide = {}
    for url in main_pages(demo_judgment):
        page.goto(url)
        if body_overflow(page) > 1:
            too_wide[url] = body_overflow(page)
    assert too_wide == {}
    assert_accessible(page)
    if os.environ.get("WORKBENCH_SCREENSHOTS"):
        page.goto(reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]))
        page.screenshot(path=Path(settings.BASE_DIR) / "docs" / f"editor-{width}px.png")
    assert trouble == []
