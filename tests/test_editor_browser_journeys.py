# ruff: noqa: F811  (the fixtures imported from tests.browser are parameters here)
"""Issue 15's journeys in Chromium, keyboard only: the translator works ten segments
(confirm and move, a TM match, the concordance, a comment, the help); the reviewer
approves, sends back, and restores an earlier version from the history in two keys."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import (  # noqa: F401  (fixtures)
    DRAFTS,
    PROOFREAD,
    TRANSLATED,
    chromium,
    demo_judgment,
    page_for,
    trouble,
    write_target,
)
from tests.test_editor_browser_keyboard import SUGGESTED
from workbench.translation.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active_box(page, position):
    return page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')


def test_the_translators_ten_segments(page_for, translator, demo_judgment, trouble):
    page = page_for(translator)
    page.goto(reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]))
    box = active_box(page, 21)
    expect(box).to_be_focused()

    # The help, from inside the text box.
    page.keyboard.press("F1")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    box.focus()
    page.keyboard.press("Control+/")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Control+/")
    expect(page.locator("#help")).to_be_hidden()

    # 21: the Translator's draft, confirmed as it is.
    expect(page.locator("#panel")).to_contain_text("Translator draft")
    page.keyboard.press("Control+Enter")
    box = active_box(page, 22)
    expect(box).to_be_focused()
    # 22: the Proofreader's revision (suggestion 2) inserted, a comment written, Esc back.
    expect(page.locator("#panel")).to_contain_text("Proofreader revision")
    page.keyboard.press("Control+Shift+M")
    expect(page.locator("#comment-text")).to_be_focused()
    page.keyboard.type("Footnote 1 checked against the original.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#panel .thread")).to_contain_text("Footnote 1 checked")
    page.keyboard.press("Escape")
    expect(box).to_be_focused()
    revision = page.locator('#panel [data-offer][data-text^="他就定罪"]')
    page.keyboard.press(f"Control+{revision.first.get_attribute('data-offer')}")
    expect(box).to_have_value(PROOFREAD[22])
    page.keyboard.press("Control+Enter")
    expect(page.locator('tr.seg[data-position="22"]')).to_have_attribute(
        "data-status", "translated"
    )

    # The next eight with a translation typed in (rows with tags are passed over with
    # Alt+↓); in the first, the concordance's hit for "appellant" goes in at the caret.
    confirmed = [21, 22]
    used_concordance = False
    while len(confirmed) < 10:
        row = page.locator("tr.seg.active")
        expect(row.locator("textarea.target-editor")).to_be_focused()
        position = int(row.get_attribute("data-position"))
        if position not in SUGGESTED or "\u27e6" in SUGGESTED[position]:
            page.keyboard.press("Alt+ArrowDown")
            expect(page.locator(f'tr.seg[data-position="{position}"]')).not_to_have_class(
                re.compile(r"\bactive\b")
            )
            continue
        box = active_box(page, position)
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(SUGGESTED[position])
        if not used_concordance:
            expect(page.locator("#panel .panel-head")).to_contain_text(f"Segment {position}")
            page.keyboard.press("Control+k")
            page.locator("#concordance-q").fill("appellant")
            page.keyboard.press("Enter")
            expect(page.locator("#concordance-results .hit-target").first).to_be_visible()
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            expect(box).to_be_focused()
            assert "上訴人" in box.input_value()
            used_concordance = True
        page.keyboard.press("Control+Enter")
        expect(page.locator(f'tr.seg[data-position="{position}"]')).to_have_attribute(
            "data-status", "translated"
        )
        confirmed.append(position)

    statuses = set(
        demo_judgment.segments.filter(position__in=confirmed).values_list("status", flat=True)
    )
    assert statuses == {"translated"}
    assert used_concordance
    assert Comment.objects.filter(segment__position=22, author=translator).exists()
    assert demo_judgment.segments.get(position=22).target.startswith("他就定罪")
    assert trouble == []


def test_the_reviewers_approval_send_back_and_restore(
    page_for, reviewer, translator, demo_judgment, trouble
):
    # Segment 16 was retranslated after its first version.
    segment = demo_judgment.segments.get(position=16)
    write_target(segment, "本人同意袁法官的判決。", "translated", translator, "person")
    page = page_for(reviewer)
    page.goto(reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]))
    expect(active_box(page, 14)).to_be_focused()

    page.keyboard.press("Control+Shift+Enter")
    expect(page.locator('tr.seg[data-position="14"]')).to_have_attribute("data-status", "approved")
    expect(active_box(page, 15)).to_be_focused()

    page.keyboard.press("Control+Shift+Backspace")
    expect(page.locator("#send-back-text")).to_be_focused()
    page.keyboard.type("Name the judge in full.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#panel .notice")).to_have_text("Segment 15 sent back to the translator.")
    expect(page.locator('tr.seg[data-position="15"]')).to_have_attribute("data-status", "rejected")
    # Back on the segment sent back once the comment is in.
    expect(active_box(page, 15)).to_be_focused()
    page.keyboard.press("Alt+ArrowDown")
    box = active_box(page, 16)
    expect(box).to_be_focused()
    expect(box).to_have_value("本人同意袁法官的判決。")

    expect(page.locator("#panel .panel-head")).to_contain_text("Segment 16")
    expect(page.locator("#panel [data-restore]").first).to_be_attached()
    # Two keys: to the newest earlier version's Restore, and Enter.
    page.keyboard.press("Control+Shift+H")
    expect(page.locator("#panel [data-restore]").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(active_box(page, 16)).to_have_value(TRANSLATED[16])
    segment.refresh_from_db()
    assert segment.target == TRANSLATED[16]
    assert demo_judgment.segments.get(position=15).status == "rejected"
    assert demo_judgment.segments.get(position=14).status == "approved"
    assert trouble == []
