"""The translator's journey through the editor, keyboard only, in a real Chromium."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, demo_judgment, page_for, trouble  # noqa: F401
from workbench.documents.models import Segment


def active_editor(page, position):
    return page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_translator_corrects_and_confirms_a_draft_with_the_keyboard(
    page_for,  # noqa: F811  (fixtures imported from tests.browser)
    translator,
    demo_judgment,  # noqa: F811
    trouble,  # noqa: F811
):
    page = page_for(translator)
    page.goto(reverse("editor", args=[demo_judgment.project.slug, demo_judgment.pk]))
    expect(page.locator("tr.seg").first).to_be_visible()

    # Go to segment 18, then down to 21, the agent's draft "他被判處監禁3年。"
    grids = []
    page.on("request", lambda request: grids.append(request) if "go=18" in request.url else None)
    page.keyboard.press("Control+g")
    page.keyboard.type("18")
    page.keyboard.press("Enter")
    expect(active_editor(page, 18)).to_be_focused()
    assert len(grids) == 1  # Enter fetched one grid, not a second one undoing the moves
    for position in (19, 20, 21):
        page.keyboard.press("Alt+ArrowDown")
        expect(active_editor(page, position)).to_be_focused()
    target = active_editor(page, 21)
    expect(target).to_be_focused()
    expect(page.locator("#panel")).to_contain_text("Translator draft")
    expect(page.locator("#qa-warnings")).to_contain_text("No QA warnings.")

    # Deleting the number makes the QA warn while typing; writing it in Chinese fixes it.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Backspace")
    expect(page.locator("#qa-warnings")).to_contain_text("Number or date")
    page.keyboard.type("三")
    expect(page.locator("#qa-warnings")).to_contain_text("No QA warnings.")

    # Confirm: the editor lands on the next unconfirmed segment.
    page.keyboard.press("Control+Enter")
    expect(active_editor(page, 22)).to_be_focused()
    expect(page.locator('tr[data-position="21"]')).to_have_class(
        "seg status-translated kind-paragraph"
    )
    expect(page.locator("#panel")).to_contain_text("Proofreader revision")

    confirmed = demo_judgment.segments.get(position=21)
    assert (confirmed.target, confirmed.status) == ("他被判處監禁三年。", "translated")
    revision = confirmed.revisions.filter(origin="person").get()
    assert revision.machine_text == "他被判處監禁3年。"
    assert revision.machine_origin["role"] == "translator"
    assert revision.seconds_spent is not None

    # A protected tag goes as a whole: Backspace after ⟦1⟧ removes all of it.
    page.keyboard.press("Backspace")
    expect(active_editor(page, 22)).to_have_value("他針對定罪提出的上訴被上訴法庭駁回。")
    expect(page.locator("#qa-warnings")).to_contain_text("Tag \u27e61\u27e7 is missing")

    # Ctrl+1 inserts the Proofreader's revision (tag included); Alt+Down saves and moves.
    page.keyboard.press("Control+1")
    expect(active_editor(page, 22)).to_have_value("他就定罪提出的上訴被上訴法庭駁回。\u27e61\u27e7")
    page.keyboard.press("Alt+ArrowDown")
    expect(active_editor(page, 23)).to_be_focused()
    saved = Segment.objects.get(document=demo_judgment, position=22)
    assert (saved.status, saved.draft_origin) == ("drafted", Segment.DraftOrigin.PERSON)
    assert saved.revisions.get(origin="person").machine_origin["role"] == "proofreader"
    assert trouble == []
