"""The translator's day, keyboard only: twenty segments of the demo judgment, each
opened, edited until the QA warns, fixed, given a suggestion (Ctrl+1) or the Annotator's
correction (Ctrl+Shift+A), and confirmed (Ctrl+Enter), in a real Chromium."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import (  # noqa: F401  (fixtures)
    DRAFTS,
    chromium,
    demo_judgment,
    page_for,
    trouble,
    write_target,
)
from workbench.translation.models import Annotation, Suggestion

# The Translator's drafts of segments 23 to 40, offered as suggestions.
SUGGESTED = {
    21: DRAFTS[21],
    23: "上訴委員會基於案件涉及具有重大及廣泛重要性的法律論點，且可合理爭辯已出現實質及嚴重不公的情況，根據《香港終審法院條例》（第484章）第32(2)條批予上訴許可。",
    # The case name is in italics in the judgment: its tags go with it.
    24: "\u27e61\u27e7香港特區訴陳大文\u27e6/1\u27e7，CACC No. 118 of 2022，[2023] HKCA 1402（呂副庭長、高法官及葉法官），2023年11月14日。",
    25: "經核證的法律論點如下：",
    27: "基於以下理由，本人會對該問題答「是」，裁定上訴得直，並撤銷定罪。",
    28: "B. 案情",
    29: "B.1 存款及轉帳",
    31: "受害人王美玲女士（PW1）是一名退休小學教師。",
    32: "2021年1月，一名自稱「Daniel」的男子在社交網絡平台上與她聯絡，並聲稱自己是在北海石油平台工作的工程師。",
    33: "其後數星期，他向她表示愛慕，並在後來向她索取金錢：先是為他聲稱寄給她的一包黃金繳付關稅，繼而是為了繳付一個外國港口當局向他施加的罰款。",
    35: "每筆存款存入後一天內，除其中2%外，全數已從該帳戶轉帳至另外三個帳戶之一。",
    36: "存款及轉帳詳列於下表，該表是審訊時各方同意的證物（證物P12）：",
    37: "存款日期",
    39: "存入款額（港幣）",
    40: "轉帳至",
}
# The Translator's drafts written into segments, each with a word the Annotator flagged:
# (draft, span, the Annotator's suggestion).
ANNOTATED = {
    22: (DRAFTS[22], "針對", "就"),
    26: (
        "「根據《有組織及嚴重罪行條例》（第455章）第25(1)條被控的被告人，如就其所處理財產的來源提供證供，述說其本人的信念，則審訊法官在裁定他是否有合理理由相信該財產代表從可公訴罪行的得益時，是否必須先裁斷該證供是否屬實或可能屬實，然後才考慮一名與他具有相同認知的合理的人會相信甚麼？」",
        "審訊法官",
        "原審法官",
    ),
    30: ("控方案情大致上沒有爭議。", "沒有", "並無"),
    34: (
        "PW1按Daniel的指示，把五筆款項存入海港商業銀行一個帳號為012-345678-001的帳戶，該帳戶只以上訴人的名字開立。",
        "名字",
        "名義",
    ),
    38: ("存錢人", "存錢人", "存款人"),
}
# What the translator types to make the QA speak up, and what it then says.
SLIPS = [("7", "Number or date"), ("这", "Simplified")]


@pytest.fixture
def twenty_segments(demo_judgment):  # noqa: F811
    segments = {s.position: s for s in demo_judgment.segments.filter(position__range=(21, 40))}
    for position, text in SUGGESTED.items():
        if position != 21:  # the demo judgment has its draft already
            Suggestion.objects.create(
                segment=segments[position],
                kind="draft",
                text=text,
                agent_role="translator",
                model_name="qwen2.5-72b-instruct",
                prompt_version="translator-v3",
            )
    for position, (text, span, correction) in ANNOTATED.items():
        if position != 22:
            write_target(segments[position], text, "drafted", None, "agent")
            Annotation.objects.create(
                segment=segments[position],
                source="annotator",
                category="fluency",
                severity="minor",
                span=span,
                suggestion=correction,
                explanation="The usual wording in Hong Kong judgments.",
            )
    return demo_judgment


def active_editor(page, position):
    return page.locator(f'tr.seg.active[data-position="{position}"] textarea.target-editor')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_translator_confirms_twenty_segments_with_the_keyboard_alone(
    page_for,  # noqa: F811
    translator,
    twenty_segments,
    trouble,  # noqa: F811
):
    page = page_for(translator)
    page.goto(reverse("editor", args=[twenty_segments.project.slug, twenty_segments.pk]))
    # The editor opens on the first unconfirmed segment, caret in its text.
    expect(active_editor(page, 21)).to_be_focused()
    qa = page.locator("#qa-warnings")

    for turn, position in enumerate(range(21, 41)):
        target = active_editor(page, position)
        expect(target).to_be_focused()
        expect(page.locator("#panel .panel-head")).to_contain_text(f"Segment {position}")
        if position in SUGGESTED:
            page.keyboard.press("Control+1")
            expect(target).to_have_value(SUGGESTED[position])
        slip, warning = SLIPS[turn % 2]
        page.keyboard.type(slip)
        expect(qa).to_contain_text(warning)
        page.keyboard.press("Backspace")
        expect(qa).to_contain_text("No QA warnings.")
        if position in ANNOTATED:
            draft, span, correction = ANNOTATED[position]
            page.keyboard.press("Control+Shift+A")
            expect(target).to_have_value(draft.replace(span, correction, 1))
        page.keyboard.press("Control+Enter")
        expect(page.locator(f'tr.seg[data-position="{position}"]')).to_have_attribute(
            "data-status", "translated"
        )

    expect(active_editor(page, 41)).to_be_focused()
    segments = twenty_segments.segments.filter(position__range=(21, 40)).order_by("position")
    assert [s.status for s in segments] == ["translated"] * 20
    for segment in segments:
        revision = segment.revisions.get(origin="person")
        if segment.position in ANNOTATED:
            draft, span, correction = ANNOTATED[segment.position]
            assert segment.target == draft.replace(span, correction, 1)
            assert revision.machine_text == draft
        else:
            assert segment.target == revision.machine_text == SUGGESTED[segment.position]
        assert revision.seconds_spent is not None
        assert revision.new_target == segment.target
    assert Annotation.objects.filter(segment__in=segments, status="accepted").count() == 5
    assert trouble == []
