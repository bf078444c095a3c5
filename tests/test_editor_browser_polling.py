# ruff: noqa: F811  (the fixtures imported from tests.browser are parameters here)
"""How often the open editor asks for changes made elsewhere, tried in Chromium on the
page's own (fake) clock: twice as long after each empty answer,
not at all while the tab is hidden, at once when it is shown again, and soon after
the person's own save, which leaves nothing of its own for the next poll to bring."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import (  # noqa: F401  (fixtures)
    chromium,
    demo_judgment,
    page_for,
    trouble,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHANGES = "/edit/changes/"


def set_visibility(page, state):
    page.evaluate(
        """state => {
            Object.defineProperty(document, "visibilityState", {configurable: true, get: () => state});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def empty_poll_within(page, ms):
    """Run the page's clock `ms` on; it polls on the way, and nothing has changed."""
    with page.expect_response(lambda r: CHANGES in r.url and r.status == 204):
        page.clock.run_for(ms)
    page.wait_for_timeout(200)  # the page handles the answer and sets its next poll


def test_it_polls_less_while_nothing_changes_and_not_while_hidden(
    page_for, translator, demo_judgment, trouble
):
    page = page_for(translator)
    polls = []
    page.on("request", lambda request: CHANGES in request.url and polls.append(request.url))
    page.clock.install()
    page.goto(reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]))
    box = page.locator('tr.seg.active[data-position="21"] textarea.target-editor')
    expect(box).to_be_focused()
    page.clock.pause_at(page.evaluate("Date.now()") + 100)
    try:
        # Coming back to the tab asks at once (whatever the page asked while loading).
        page.wait_for_timeout(500)
        with page.expect_response(lambda r: CHANGES in r.url and r.status == 204):
            set_visibility(page, "visible")
            page.clock.run_for(10)
        page.wait_for_timeout(200)
        polls.clear()
        # Nothing changed: the next poll comes after 6 s, then after 12 s.
        page.clock.run_for(5_000)
        assert polls == []
        empty_poll_within(page, 1_500)
        page.clock.run_for(11_000)
        assert len(polls) == 1
        empty_poll_within(page, 1_500)

        # Hidden, it does not ask at all; shown again, it asks at once.
        set_visibility(page, "hidden")
        page.clock.run_for(120_000)
        assert len(polls) == 2
        set_visibility(page, "visible")
        empty_poll_within(page, 100)
        assert len(polls) == 3
    finally:
        page.clock.resume()  # a failed step leaves the page a clock that runs

    # The person's own save: its answer brings the row and the counts, the next poll
    # comes within 3 s and has nothing to bring.
    translated = page.locator("#status-counts li.status-translated").inner_text()
    with page.expect_response(lambda r: CHANGES in r.url and r.status == 204, timeout=6_000):
        page.keyboard.press("Control+Enter")
        expect(page.locator('tr.seg.active[data-position="22"]')).to_be_attached()
    expect(page.locator("#status-counts li.status-translated")).not_to_have_text(translated)
    assert trouble == []
