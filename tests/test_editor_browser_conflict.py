"""Two people edit one segment in two browsers: the second save gets the conflict view
with both texts, and whichever text is chosen, nothing is overwritten unseen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401

TOM = "上訴委員會批予上訴許可。"
RITA = "上訴委員會基於涉及重大法律論點而批予上訴許可。"
MERGED = "上訴委員會基於涉及具有重大及廣泛重要性的法律論點而批予上訴許可。"
# Chromium logs every 4xx answer to the console; a 409 is how the server says "stale".
CONFLICT_LOGGED = "Failed to load resource: the server responded with a status of 409 (Conflict)"


def open_segment(page, document, position):
    url = reverse("editor", args=[document.project.slug, document.pk])
    page.goto(f"{url}?go={position}")
    target = page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')
    expect(target).to_be_focused()
    return target


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_second_save_shows_both_texts_and_saves_the_merged_one(
    page_for,  # noqa: F811
    translator,
    reviewer,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    toms, ritas = page_for(translator), page_for(reviewer)
    toms_target = open_segment(toms, demo_judgment, 23)
    ritas_target = open_segment(ritas, demo_judgment, 23)
    toms_target.press_sequentially(TOM)
    ritas_target.press_sequentially(RITA)

    toms.keyboard.press("Control+s")
    expect(toms.locator('tr.seg[data-position="23"]')).to_have_attribute("data-version", "1")
    ritas.keyboard.press("Control+s")

    conflict = ritas.locator('tr.seg[data-position="23"] .conflict')
    expect(conflict.locator(".theirs")).to_have_text(TOM)
    expect(conflict.locator(".yours")).to_have_text(RITA)
    expect(conflict).to_contain_text("tom")
    segment = demo_judgment.segments.get(position=23)
    assert (segment.target, segment.version) == (TOM, 1)

    conflict.locator("textarea.merged").fill(MERGED)
    conflict.get_by_role("button", name="Save the merged text").click()
    expect(ritas.locator('tr.seg[data-position="23"]')).to_have_attribute("data-version", "2")
    expect(ritas.locator(".conflict")).to_have_count(0)

    segment.refresh_from_db()
    assert (segment.target, segment.version) == (MERGED, 2)
    revisions = list(segment.revisions.values_list("author__username", "old_target", "new_target"))
    assert revisions == [("tom", "", TOM), ("rita", TOM, MERGED)]

    # Tom, still on version 1, edits again: his save is stale too, and he takes Rita's text.
    toms.keyboard.type("！")
    toms.keyboard.press("Control+s")
    toms_conflict = toms.locator('tr.seg[data-position="23"] .conflict')
    expect(toms_conflict.locator(".theirs")).to_have_text(MERGED)
    expect(toms_conflict.locator(".yours")).to_have_text(TOM + "！")
    toms_conflict.get_by_role("button", name="Take theirs").click()
    expect(toms.locator('tr.seg.active[data-position="23"] textarea.target-editor')).to_have_value(
        MERGED
    )
    assert segment.revisions.count() == 2
    assert trouble == [f"console: {CONFLICT_LOGGED}"] * 2
