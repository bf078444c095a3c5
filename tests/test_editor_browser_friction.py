# ruff: noqa: F811  (the fixtures imported from tests.browser are parameters here)
"""The editor's friction points of issue 15, each tried in Chromium: no template text on
the page, help from anywhere, Esc out of any box, counts and rows that follow changes
made elsewhere, "go to #" with the rows above still reachable, and Restore in two keys."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import (  # noqa: F401  (fixtures)
    DRAFTS,
    chromium,
    demo_judgment,
    page_for,
    trouble,
)
from tests.loopback_llm import REVISED_CJK
from workbench.jobs.models import Job
from workbench.jobs.services import run_job
from workbench.translation.services import CONFIRM, do_save_target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_editor(page, document, query=""):
    page.goto(reverse("editor", args=[document.project.slug, document.pk]) + query)


def active_box(page, position):
    return page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')


def count_of(page, status):
    text = page.locator(f"#status-counts li.status-{status}").inner_text()
    return int(text.split()[0])


def test_no_template_text_and_help_from_anywhere(page_for, translator, demo_judgment, trouble):
    page = page_for(translator)
    open_editor(page, demo_judgment)
    box = active_box(page, 21)
    expect(box).to_be_focused()
    body = page.locator("body").inner_text()
    for leak in ("{#", "#}", "{%", "%}", "{{"):
        assert leak not in body

    # "?" in the translation is a question mark, not the help.
    page.keyboard.press("End")
    page.keyboard.type("?")
    expect(box).to_have_value(DRAFTS[21] + "?")
    expect(page.locator("#help")).to_be_hidden()

    # F1 and Ctrl+/ open it while typing; the help says which key works where.
    page.keyboard.press("F1")
    expect(page.locator("#help")).to_be_visible()
    expect(page.locator("#help")).to_contain_text("even while typing")
    expect(page.locator("#help")).to_contain_text("when no text box has the focus")
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    box.focus()
    page.keyboard.press("Control+/")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    # Outside a text box, "?" opens it.
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    assert trouble == []


def test_esc_leaves_the_comment_box_and_the_filters(page_for, translator, demo_judgment, trouble):
    page = page_for(translator)
    open_editor(page, demo_judgment)
    box = active_box(page, 21)
    expect(box).to_be_focused()
    expect(page.locator("#panel")).to_contain_text("Translator draft")

    page.keyboard.press("Control+Shift+M")
    expect(page.locator("#comment-text")).to_be_focused()
    page.keyboard.type("Check the term")
    page.keyboard.press("Escape")
    expect(box).to_be_focused()

    for keys, field in (("Control+Shift+F", "#id_q"), ("Control+g", "#id_go")):
        page.keyboard.press(keys)
        expect(page.locator(field)).to_be_focused()
        page.keyboard.press("Escape")
        expect(box).to_be_focused()
    assert trouble == []


def test_another_persons_save_shows_in_the_grid_and_the_counts(
    page_for, translator, manager, demo_judgment, trouble
):
    page = page_for(translator)
    open_editor(page, demo_judgment)
    box = active_box(page, 21)
    expect(box).to_be_focused()
    translated = count_of(page, "translated")

    # Someone else confirms segment 30: the row and the counts change, no reload.
    other = demo_judgment.segments.get(position=30)
    do_save_target(
        other,
        user=manager,
        role="manager",
        text="控方案情大致上並無爭議。",
        base_version=other.version,
        action=CONFIRM,
    )
    row = page.locator('tr.seg[data-position="30"]')
    expect(row).to_contain_text("控方案情大致上並無爭議。", timeout=15_000)
    expect(row).to_have_class(re.compile("status-translated"))
    expect(page.locator("#status-counts li.status-translated")).to_contain_text(str(translated + 1))
    expect(box).to_be_focused()

    # Someone else saves the segment being typed in: the typing stays, with a sign.
    page.keyboard.press("End")
    page.keyboard.type("（草稿）")
    mine = demo_judgment.segments.get(position=21)
    do_save_target(
        mine,
        user=manager,
        role="manager",
        text="他被判處監禁三年。",
        base_version=mine.version,
        action=CONFIRM,
    )
    expect(page.locator('tr.seg[data-position="21"]')).to_have_class(
        re.compile("changed-elsewhere"), timeout=15_000
    )
    expect(box).to_have_value(DRAFTS[21] + "（草稿）")
    expect(box).to_be_focused()
    expect(page.locator("#editor-notice")).to_contain_text("changed elsewhere")
    assert trouble == []


def test_my_confirmation_updates_the_counts(page_for, translator, demo_judgment, trouble):
    page = page_for(translator)
    open_editor(page, demo_judgment)
    expect(active_box(page, 21)).to_be_focused()
    drafted, translated = count_of(page, "drafted"), count_of(page, "translated")
    page.keyboard.press("Control+Enter")
    expect(active_box(page, 22)).to_be_focused()
    expect(page.locator("#status-counts li.status-translated")).to_contain_text(
        f"{translated + 1} translated"
    )
    expect(page.locator("#status-counts li.status-drafted")).to_contain_text(
        f"{drafted - 1} drafted"
    )
    assert trouble == []


def test_an_agent_revision_appears_in_the_open_panel(
    page_for, translator, demo_judgment, trouble, settings, loopback_llm
):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    settings.OPENAI_TIMEOUT_SECONDS = 5
    page = page_for(translator)
    open_editor(page, demo_judgment)
    expect(active_box(page, 21)).to_be_focused()
    page.keyboard.press("Control+Shift+E")
    expect(page.locator("#ask-instruction")).to_be_focused()
    page.keyboard.type("use 判處 for sentenced")
    page.keyboard.press("Control+Enter")
    # The job runs (here, in the test, as a worker would); the panel shows its answer.
    job = None
    for _ in range(100):
        job = Job.objects.filter(kind="revise_segment").first()
        if job:
            break
        page.wait_for_timeout(100)
    assert job is not None
    run_job(job.pk)
    expect(page.locator("#panel")).to_contain_text(REVISED_CJK, timeout=15_000)
    assert trouble == []


def test_go_to_keeps_the_rows_above_reachable(page_for, translator, demo_judgment, trouble):
    page = page_for(translator)
    open_editor(page, demo_judgment)
    expect(active_box(page, 21)).to_be_focused()
    page.keyboard.press("Control+g")
    page.keyboard.type("60")
    page.keyboard.press("Enter")
    expect(active_box(page, 60)).to_be_focused()
    # The rows above come when scrolled to, and the active row stays where it was.
    expect(page.locator('tr.seg[data-position="59"]')).to_be_attached()
    page.mouse.wheel(0, -20_000)
    expect(page.locator('tr.seg[data-position="1"]')).to_be_attached()
    positions = [int(row.get_attribute("data-position")) for row in page.locator("tr.seg").all()]
    assert positions == list(range(1, len(positions) + 1)) and len(positions) > 60
    expect(active_box(page, 60)).to_be_attached()
    assert trouble == []


def test_history_and_restore_in_two_keys(page_for, translator, demo_judgment, trouble):
    page = page_for(translator)
    open_editor(page, demo_judgment)
    box = active_box(page, 21)
    expect(box).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type("（改）")
    page.keyboard.press("Control+s")
    expect(page.locator('tr.seg[data-position="21"]')).to_have_attribute(
        "data-version", str(demo_judgment.segments.get(position=21).version)
    )
    expect(page.locator("#panel [data-restore]").first).to_be_attached()

    page.keyboard.press("Control+Shift+H")
    expect(page.locator("#panel [data-restore]").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(active_box(page, 21)).to_have_value(DRAFTS[21])
    segment = demo_judgment.segments.get(position=21)
    assert segment.target == DRAFTS[21]
    assert trouble == []


def test_concordance_from_the_panel_on_ctrl_k(page_for, translator, demo_judgment, trouble):
    page = page_for(translator)
    open_editor(page, demo_judgment)
    box = active_box(page, 21)
    expect(box).to_be_focused()
    expect(page.locator("#panel")).to_contain_text("Translator draft")

    # The selected text of the target is the query; Chinese is looked up in the target.
    start = DRAFTS[21].index("監禁")
    box.evaluate(f"(box) => box.setSelectionRange({start}, {start + 2})")
    page.keyboard.press("Control+k")
    query = page.locator("#concordance-q")
    expect(query).to_be_focused()
    expect(query).to_have_value("監禁")
    expect(page.locator("#concordance-said")).to_contain_text(
        "in the target text (the query's language)"
    )

    # An English phrase is looked up in the source; hits are marked.
    query.fill("appellant")
    page.keyboard.press("Enter")
    said = page.locator("#concordance-said")
    expect(said).to_contain_text("in the source text (the query's language)")
    marks = page.locator("#concordance-results .hit-source mark")
    expect(marks.first).to_be_visible()
    for mark in marks.all():
        assert mark.inner_text().lower() == "appellant"

    # Down to the first hit, Enter: its translation goes in at the caret.
    translation = page.locator("#concordance-results .hit-target").first.inner_text()
    page.keyboard.press("ArrowDown")
    expect(page.locator("[data-concordance-insert]").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(box).to_be_focused()
    expect(box).to_have_value(DRAFTS[21][:start] + translation + DRAFTS[21][start + 2 :])

    # Esc from the query box goes back to the segment.
    page.keyboard.press("Control+k")
    expect(query).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).to_be_focused()
    assert trouble == []
