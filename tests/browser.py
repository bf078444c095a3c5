"""Playwright fixtures for browser journeys: the system's Chromium (never a downloaded
one), a page logged in as any persona against pytest-django's live server, and the demo
judgment in a realistic state of work.

Use them by importing into a test module:

    from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401

and mark the test `@pytest.mark.browser` and `@pytest.mark.django_db(transaction=True)`
(the live server runs in another thread, so it must see committed rows).
"""

import contextlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from workbench.documents.models import Revision
from workbench.documents.services import import_document
from workbench.memory.models import Term
from workbench.translation.models import Annotation, Comment, Suggestion

from .axe import assert_accessible

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_JUDGMENT = Path(settings.BASE_DIR) / "workbench/demo/hk_judgment_facc_2024.docx"


# Per module, not per session: each module imports its own copy of this fixture, and two
# Playwright instances cannot run at once in one thread.
@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; install the distribution's package.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def trouble():
    """What went wrong in the pages of a test, one line each: console errors, uncaught
    script errors, and requests to any origin but the live server's. Every journey ends
    with `assert trouble == []`."""
    return []


def watch(page, origin, trouble):
    page.on("console", lambda m: m.type == "error" and trouble.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: trouble.append(f"script error: {error}"))
    page.on(
        "request",
        lambda r: (
            r.url.startswith((origin + "/", "data:"))
            or trouble.append(f"request to another origin: {r.url}")
        ),
    )


@pytest.fixture
def page_for(chromium, live_server, trouble):
    """page_for(user) -> a Playwright page logged in as that user, at 1440×900, watched
    for trouble. axe-core checks every page it goes to, and the page it ends the test on,
    for serious or critical WCAG 2.2 AA violations (tests/axe.py)."""
    contexts = []
    pages = []
    failed = []

    def open_page(user, width=1440, height=900):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(
            viewport={"width": width, "height": height}, base_url=live_server.url
        )
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch(page, live_server.url, trouble)
        check_each_page(page, failed)
        pages.append(page)
        return page

    yield open_page
    try:
        for page in pages:
            if not failed and not page.is_closed() and is_html(page):
                assert_accessible(page)
    finally:
        # Leave the pages first: the editor's poll stops, so no request of it is still in
        # the server when the test database is emptied (a flush waiting on it deadlocks).
        for context in contexts:
            for page in context.pages:
                # A page that cannot leave (mid-download, say) is closed all the same.
                with contextlib.suppress(PlaywrightError):
                    page.goto("about:blank")
            context.close()


def is_html(page):
    return page.evaluate("() => document.contentType") == "text/html"


def check_each_page(page, failed):
    """Make the page's goto run axe on the page it arrives at (once it has failed, the
    check at the end of the test is not repeated)."""
    goto = page.goto

    def goto_and_check(url, **options):
        response = goto(url, **options)
        if response is not None and "text/html" in response.headers.get("content-type", ""):
            try:
                assert_accessible(page)
            except AssertionError:
                failed.append(url)
                raise
        return response

    page.goto = goto_and_check


# The first paragraphs of the demo judgment as a translator would have left them.
TRANSLATED = {
    1: "[2024] HKCFA 12",
    2: "香港特別行政區終審法院",
    3: "終院刑事上訴2024年第5號（刑事）（原本案件編號：刑事上訴案件2022年第118號）",
    4: "終院刑事上訴2024年第5號",
    5: "之間：",
    6: "香港特別行政區 — 答辯人",
    7: "與",
    8: "陳大文 — 上訴人",
    9: "審理法官：首席法官梁、常任法官郭、常任法官袁、常任法官曾",
    10: "聆訊日期：2024年3月12日",
    11: "判案書日期：2024年4月5日",
    12: "判 案 書",
    13: "首席法官梁：",
    14: "本人同意常任法官袁的判決。",
    15: "常任法官郭：",
    16: "本人同意常任法官袁的判決。",
    17: "常任法官袁：",
    18: "A. 引言",
    19: "上訴人在區域法院經審訊後，被裁定一項處理已知道或相信為代表從可公訴罪行的得益的財產罪罪名成立。",
    20: "涉案財產為港幣1,250,000元，分五次存入其銀行帳戶。",
}
APPROVED_UP_TO = 13
# Segment 21 ("He was sentenced to 3 years’ imprisonment.") and 22 (with a footnote tag)
# are the agents' drafts waiting for the translator.
DRAFTS = {
    21: "他被判處監禁3年。",
    22: "他針對定罪提出的上訴被上訴法庭駁回。\u27e61\u27e7",
}
PROOFREAD = {22: "他就定罪提出的上訴被上訴法庭駁回。\u27e61\u27e7"}


@pytest.fixture
def demo_judgment(project, manager, translator, reviewer):
    """The demo judgment imported into `project`: the opening approved or translated,
    the next two segments drafted by the agents (one with a Proofreader revision and an
    Annotator issue), a TM-drafted table cell, a comment and two glossary terms."""
    document = import_document(
        project, data=DEMO_JUDGMENT.read_bytes(), filename=DEMO_JUDGMENT.name, user=manager
    )
    segments = {segment.position: segment for segment in document.segments.all()}
    for position, text in TRANSLATED.items():
        status = "approved" if position <= APPROVED_UP_TO else "translated"
        write_target(segments[position], text, status, translator, "person")
    for position, text in DRAFTS.items():
        segment = write_target(segments[position], text, "drafted", None, "agent")
        Suggestion.objects.create(
            segment=segment,
            kind="draft",
            text=text,
            agent_role="translator",
            model_name="qwen2.5-72b-instruct",
            prompt_version="translator-v3",
        )
    for position, text in PROOFREAD.items():
        Suggestion.objects.create(
            segment=segments[position],
            kind="revision",
            text=text,
            agent_role="proofreader",
            model_name="qwen2.5-72b-instruct",
            prompt_version="proofreader-v2",
            round=1,
        )
    Annotation.objects.create(
        segment=segments[22],
        source="annotator",
        category="fluency",
        severity="minor",
        span="針對",
        suggestion="就",
        explanation="“就定罪提出上訴” is the usual phrasing in HK judgments.",
        model_name="qwen2.5-72b-instruct",
    )
    cell = segments[42]
    cell.match_percent = 100
    write_target(cell, "2021年3月3日", "drafted", None, "tm")
    Comment.objects.create(
        segment=segments[20],
        author=translator,
        text="The schedule says HK$1,250,000; please check the sum against the exhibit.",
    )
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    Term.objects.create(project=project, source_term="Court of Appeal", target_term="上訴法庭")
    return document


def write_target(segment, text, status, user, origin):
    """Write a target as the agents, the TM or a person would, with its revision."""
    old_target, old_status = segment.target, segment.status
    segment.target, segment.status, segment.draft_origin = text, status, origin
    segment.version += 1
    segment.save()
    Revision.objects.create(
        segment=segment,
        origin=origin,
        author=user,
        agent_role="translator" if origin == "agent" else "",
        model_name="qwen2.5-72b-instruct" if origin == "agent" else "",
        prompt_version="translator-v3" if origin == "agent" else "",
        old_target=old_target,
        new_target=text,
        old_status=old_status,
        new_status=status,
        version=segment.version,
    )
    return segment
