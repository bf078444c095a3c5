"""A reviewer records quality errors in the editor's panel of a real Chromium: sends a
segment back, records a major mistranslation from the keyboard, sees a bad choice
refused, withdraws an error, and opens the document's quality report and its printable
view; a translator reads the errors without the form; the manager's dashboard shows the
scores."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401
from workbench.feedback.models import LqaError


def active_editor(page, position):
    return page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_records_errors_in_the_panel_and_reads_the_report(
    page_for,  # noqa: F811
    reviewer,
    translator,
    manager,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    document = demo_judgment
    page = page_for(reviewer)
    page.goto(reverse("editor", args=[document.project.slug, document.pk]))
    expect(active_editor(page, 14)).to_be_focused()
    segment = document.segments.get(position=14)
    section = page.locator(f"#lqa-{segment.pk}")
    expect(section).to_contain_text("No quality errors recorded on this segment.")

    # Send back, then record the errors the send-back is about.
    page.keyboard.press("Control+Shift+Backspace")
    page.keyboard.type("本人 should be 本席 here.")
    page.keyboard.press("Control+Enter")
    # The grid shows the new status and the panel is loaded again for the segment.
    expect(page.locator('tr.seg[data-position="14"]')).to_have_attribute("data-status", "rejected")
    expect(active_editor(page, 14)).to_be_focused()
    expect(page.locator("#panel .notice")).to_have_count(0)
    expect(page.locator("#panel .thread li.send-back")).to_contain_text("本席")
    expect(section).to_contain_text("No quality errors recorded on this segment.")

    # Keyboard only: the labelled controls are reachable with Tab.
    category = page.get_by_label("Error category")
    category.focus()
    category.select_option("mistranslation")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Severity")).to_be_focused()
    page.get_by_label("Severity").select_option("major")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Note")).to_be_focused()
    page.keyboard.type("本人 for the judge")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Record error")).to_be_focused()
    page.keyboard.press("Enter")
    expect(section.locator(".notice")).to_have_text(
        "Recorded a major accuracy: mistranslation error (5 points) against tom."
    )
    expect(section.locator(".lqa-error")).to_have_count(1)
    expect(section).to_contain_text("本人 for the judge")

    # No category chosen: the browser asks for one and nothing is sent (the server's
    # own refusal is in test_lqa.py).
    page.get_by_label("Severity").select_option("minor")
    page.get_by_role("button", name="Record error").click()
    assert page.get_by_label("Error category").evaluate("field => field.validity.valueMissing")
    expect(section.locator(".lqa-error")).to_have_count(1)
    assert LqaError.objects.count() == 1

    page.get_by_label("Error category").select_option("style")
    page.get_by_role("button", name="Record error").click()
    expect(section.locator(".lqa-error")).to_have_count(2)

    # Withdraw the style error recorded by mistake.
    section.get_by_role("button", name="Withdraw the minor style error").click()
    expect(section.locator(".notice")).to_have_text("The error was withdrawn.")
    expect(section.locator(".lqa-error")).to_have_count(1)

    # The segment's state came only from the send-back.
    segment.refresh_from_db()
    assert segment.status == "rejected"
    error = LqaError.objects.get()
    assert (error.category, error.severity, error.translator, error.reviewer) == (
        "mistranslation",
        "major",
        translator,
        reviewer,
    )

    # The report: the segment is reviewed (words evaluated), 5 points.
    page.goto(reverse("document_lqa_report", args=[document.project.slug, document.pk]))
    expect(page.locator("#lqa-matrix")).to_contain_text("Accuracy: mistranslation")
    expect(page.locator("#lqa-authors")).to_contain_text("tom")
    expect(page.locator("#lqa-errors")).to_contain_text("本人 for the judge")
    page.get_by_role("link", name="Printable view").click()
    expect(page.locator("body.lqa-print")).to_be_visible()
    expect(page.locator(".topbar")).to_have_count(0)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator("#lqa-matrix")).to_be_visible()

    # The translator reads the error but has no form.
    other = page_for(translator)
    other.goto(reverse("editor", args=[document.project.slug, document.pk]))
    other.locator('tr.seg[data-position="14"]').click()
    other_section = other.locator(f"#lqa-{segment.pk}")
    expect(other_section).to_contain_text("本人 for the judge")
    expect(other_section.get_by_role("button", name="Record error")).to_have_count(0)

    # The manager's dashboard loads its quality section after the page.
    boss = page_for(manager)
    boss.goto(reverse("dashboard", args=[document.project.slug]))
    expect(boss.locator("#quality-documents")).to_contain_text(document.title)
    expect(boss.locator("#quality-authors")).to_contain_text("tom")
    assert trouble == []
