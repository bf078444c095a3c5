"""The reviewer's journey in a real Chromium: approve with the key, send a segment back
with a comment, and approve what the filtered grid shows in bulk, where a segment with
an unresolved critical issue is refused and the refusal stays on screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401
from workbench.translation.models import Annotation, Comment

SEND_BACK = "Use 本席 for “I” in a judgment of this Court."


def active_editor(page, position):
    return page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')


@pytest.fixture
def issues(demo_judgment):  # noqa: F811
    """A minor issue on segment 18 and a critical one on 20, both translated."""
    segments = {s.position: s for s in demo_judgment.segments.filter(position__in=[18, 20])}
    Annotation.objects.create(
        segment=segments[18],
        source="annotator",
        category="style",
        severity="minor",
        span="引言",
        suggestion="導言",
        explanation="Either is used.",
    )
    Annotation.objects.create(
        segment=segments[20],
        source="annotator",
        category="number_date",
        severity="critical",
        span="港幣1,250,000元",
        explanation="The sum differs from exhibit P12.",
    )
    return demo_judgment


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_approves_sends_back_and_approves_a_filter_in_bulk(
    page_for,  # noqa: F811
    reviewer,
    issues,
    trouble,  # noqa: F811
):
    page = page_for(reviewer)
    page.goto(reverse("editor", args=[issues.project.slug, issues.pk]))
    # A reviewer starts on the first confirmed segment waiting for review.
    expect(active_editor(page, 14)).to_be_focused()

    page.keyboard.press("Control+Shift+Enter")
    expect(page.locator('tr.seg[data-position="14"]')).to_have_attribute("data-status", "approved")
    expect(active_editor(page, 15)).to_be_focused()

    page.keyboard.press("Control+Shift+Backspace")
    expect(page.locator("#send-back-text")).to_be_focused()
    page.keyboard.type(SEND_BACK)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#panel .notice")).to_have_text("Segment 15 sent back to the translator.")
    expect(page.locator("#panel .thread li.send-back")).to_contain_text(SEND_BACK)
    expect(page.locator('tr.seg[data-position="15"] .flag.comments')).to_be_visible()

    page.get_by_label("Open issues").check()
    expect(page.locator("#rows tr.seg")).to_have_count(3)  # 18, 20 and the draft 22
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve the confirmed segments shown").click()
    result = page.locator("#bulk-result")
    expect(result).to_contain_text("1 segment approved.")
    expect(result).to_contain_text("1 not yet confirmed by a translator were left as they are.")
    expect(result).to_contain_text(
        "Segment 20: open critical number or date issue: The sum differs from exhibit P12."
    )
    # The grid reloads with the new statuses; the refusal stays in view.
    expect(page.locator('tr.seg[data-position="18"]')).to_have_attribute("data-status", "approved")
    expect(result).to_contain_text("Segment 20")

    statuses = dict(
        issues.segments.filter(position__in=[14, 15, 18, 20, 22]).values_list("position", "status")
    )
    assert statuses == {
        14: "approved",
        15: "rejected",
        18: "approved",
        20: "translated",
        22: "drafted",
    }
    sent_back = Comment.objects.get(segment__document=issues, is_send_back=True)
    assert (sent_back.segment.position, sent_back.text, sent_back.author) == (
        15,
        SEND_BACK,
        reviewer,
    )
    assert (
        issues.segments.get(position=14).revisions.filter(author=reviewer).get().new_status
        == "approved"
    )
    assert trouble == []
