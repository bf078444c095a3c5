"""The lifecycle in a real Chromium, as the reviewer and the translator meet it: a segment
sent back stays sent back through a bulk approval; approved text cannot be edited by a
translator; a number error is not confirmed without a reason."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401
from workbench.documents.models import Segment

REASON = "Use 本席 for “I” in a judgment of this Court."
# Chromium logs every 4xx answer to a fetch; these two are the refusals the test expects.
REFUSED = (
    "console: Failed to load resource: the server responded with a status of 400 (Bad Request)"
)
BLOCKED = (
    "console: Failed to load resource: the server responded with a status of 422 "
    "(Unprocessable Entity)"
)


def row(page, position):
    return page.locator(f'tr.seg[data-position="{position}"]')


def active_editor(page, position):
    return page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_sent_back_segment_stays_rejected_through_a_bulk_approval(
    page_for,  # noqa: F811
    reviewer,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    page = page_for(reviewer)
    page.goto(reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]) + "?go=15")
    expect(active_editor(page, 15)).to_be_focused()

    page.keyboard.press("Control+Shift+Backspace")
    page.keyboard.type(REASON)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#panel .notice")).to_have_text("Segment 15 sent back to the translator.")
    expect(row(page, 15)).to_have_attribute("data-status", "rejected")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve the confirmed segments shown").click()

    result = page.locator("#bulk-result")
    expect(result).to_contain_text("Segment 15: sent back to the translator")
    expect(result).to_contain_text("Segment 20: an unresolved comment or query")
    expect(row(page, 16)).to_have_attribute("data-status", "approved")
    expect(row(page, 15)).to_have_attribute("data-status", "rejected")
    statuses = dict(
        demo_judgment.segments.filter(position__in=[15, 16, 20]).values_list("position", "status")
    )
    assert statuses == {15: "rejected", 16: "approved", 20: "translated"}
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_translator_cannot_edit_approved_text_nor_confirm_a_number_error_without_a_reason(
    page_for,  # noqa: F811
    translator,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    editor = reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk])
    page = page_for(translator)

    page.goto(editor + "?go=2")
    target = active_editor(page, 2)
    expect(target).to_be_focused()
    expect(target).to_have_js_property("readOnly", True)
    expect(page.locator("#panel")).to_contain_text("approved, so its text is protected")
    page.keyboard.type("X")
    expect(target).to_have_value("香港特別行政區終審法院")
    assert (
        Segment.objects.get(document=demo_judgment, position=2).target == "香港特別行政區終審法院"
    )

    page.goto(editor + "?go=21")  # "He was sentenced to 3 years’ imprisonment."
    target = active_editor(page, 21)
    expect(target).to_be_focused()
    target.fill("他被判處監禁。")  # the 3 years are gone
    page.keyboard.press("Control+Enter")
    notice = page.locator("#editor-notice")
    expect(notice).to_contain_text("cannot be confirmed as it is")
    expect(notice).to_contain_text("3")
    assert Segment.objects.get(document=demo_judgment, position=21).status == "drafted"

    notice.get_by_label("Reason to confirm anyway").fill("The term is stated in paragraph 22.")
    notice.get_by_role("button", name="Confirm anyway").click()

    expect(row(page, 21)).to_have_attribute("data-status", "translated")
    segment = Segment.objects.get(document=demo_judgment, position=21)
    revision = segment.revisions.order_by("-pk").first()
    assert (segment.status, revision.reason) == (
        "translated",
        "The term is stated in paragraph 22.",
    )
    assert revision.overridden
    assert trouble == [BLOCKED]
