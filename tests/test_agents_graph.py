"""The Translator–Annotator–Proofreader graph, end to end against the loopback server."""

import json
import random

import pytest

from agents.checks import run_checks
from agents.context import (
    BatchInput,
    GlossaryConstraint,
    LanguagePair,
    RevisionContext,
    RoleModels,
    SegmentInput,
)
from agents.graph import draft_batch, make_brief, revise_segment
from agents.llm import LLMClient
from agents.prompts import PROMPT_VERSIONS
from agents.schemas import DocumentBrief
from tests.loopback_llm import (
    REVISED_CJK,
    document_data,
    loopback_llm_fixture,  # noqa: F401
    pseudo_translate,
)

EN_ZH = LanguagePair("en", "zh-Hant-HK")
ZH_EN = LanguagePair("zh-Hant-HK", "en")
BRIEF = DocumentBrief(
    court="Court of Final Appeal",
    case_number="FACC 1/2021",
    parties=[],
    judges=[],
    defined_terms=[],
    key_terms=[],
    notes="",
)
ORDINANCES = [
    ("Theft Ordinance", 210),
    ("Criminal Procedure Ordinance", 221),
    ("Dangerous Drugs Ordinance", 134),
]
NAMES = ["Chan Kam Shing", "Lee Tak Ming", "Wong Siu Fung"]
MONTHS = ["January", "March", "June", "October"]


def hk_sentences(count, seed=7):
    """English sentences in the style of Hong Kong judgments, the same for a given seed."""
    chance = random.Random(seed)
    templates = [
        lambda: (
            f"On {chance.randint(1, 28)} {chance.choice(MONTHS)} {chance.randint(2000, 2023)} the "
            f"appellant was ordered to pay HK${chance.randint(1, 999):,},{chance.randint(100, 999)} "
            f"under s. {chance.randint(2, 90)}(2) of the {(o := chance.choice(ORDINANCES))[0]} "
            f"(Cap. {o[1]})."
        ),
        lambda: (
            f"See HKSAR v {chance.choice(NAMES)} [{(y := chance.randint(2000, 2022))}] HKCFA "
            f"{chance.randint(1, 99)}, ({y}) {chance.randint(1, 25)} HKCFAR {chance.randint(1, 900)}."
        ),
        lambda: (
            f"The respondent's appeal in FACV {chance.randint(1, 30)}/{chance.randint(2000, 2022)} "
            "was dismissed with costs."
        ),
        lambda: (
            "The 1st defendant was convicted of trafficking in a dangerous drug and sentenced "
            f"to {chance.randint(6, 120)} months' imprisonment."
        ),
    ]
    return [templates[number % len(templates)]() for number in range(count)]


def batch(count=10, **options):
    options = {"brief": BRIEF, "models": RoleModels.same("loop-model"), **options}
    segments = [
        SegmentInput(id=f"s{number}", source=source)
        for number, source in enumerate(hk_sentences(count), 1)
    ]
    return BatchInput(pair=options.pop("pair", EN_ZH), segments=segments, **options)


def client(server, **options):
    options = {"backoff_seconds": 0.01, "read_timeout": 5.0, "sink": [], **options}
    return LLMClient(server.base_url, **options)


def ids_sent(server, schema):
    return [
        [segment["id"] for segment in document_data(body)["segments"]]
        for body in server.requests_for(schema)
    ]


def test_the_loopback_pseudo_translation_passes_the_checks():
    for source in hk_sentences(12):
        target = pseudo_translate(source, "en", "zh-Hant-HK")
        assert run_checks(source, target, EN_ZH) == [], (source, target)
        back = pseudo_translate(target, "zh-Hant-HK", "en")
        assert run_checks(target, back, ZH_EN) == [], (target, back)


def test_it_drafts_every_segment_of_a_batch(loopback_llm):
    result = draft_batch(batch(10), client(loopback_llm))

    assert [segment.id for segment in result.segments] == [f"s{n}" for n in range(1, 11)]
    assert {segment.status for segment in result.segments} == {"drafted"}
    assert all(segment.final_target for segment in result.segments)
    draft = result.by_id()["s1"]
    assert draft.draft == draft.final_target
    assert draft.draft_provenance.role == "translator"
    assert draft.draft_provenance.prompt_version == "translator-2026-12-v3"
    assert draft.revision == ""
    assert [record.role for record in result.call_records] == [
        "translator",
        "annotator",
        "proofreader",
        "annotator",
    ]


def test_it_takes_the_proofreaders_revision_of_a_flagged_segment(loopback_llm):
    result = draft_batch(batch(10), client(loopback_llm))

    revised = result.by_id()["s5"]
    assert revised.status == "drafted"
    assert REVISED_CJK in revised.final_target
    assert revised.final_target == revised.revision
    assert revised.final_target != revised.draft
    assert revised.final_provenance.role == "proofreader"
    assert revised.final_provenance.round == 1
    assert revised.resolutions[0].resolution.startswith("Wrote")
    assert [len(issues) for issues in revised.annotations] == [1, 0]
    assert revised.annotations[0][0].category == "terminology"
    assert revised.annotations[0][0].span in revised.draft
    assert revised.issues == []


def test_it_makes_one_translator_call_for_a_batch_within_budget(loopback_llm):
    draft_batch(batch(10, token_budget=10_000), client(loopback_llm))

    assert ids_sent(loopback_llm, "TranslatorOutput") == [[f"s{n}" for n in range(1, 11)]]


def test_it_splits_a_batch_over_its_token_budget(loopback_llm):
    result = draft_batch(batch(10, token_budget=300), client(loopback_llm))

    calls = ids_sent(loopback_llm, "TranslatorOutput")
    assert len(calls) > 2
    assert [segment_id for call in calls for segment_id in call] == [f"s{n}" for n in range(1, 11)]
    assert {segment.status for segment in result.segments} == {"drafted"}


def test_the_proofreader_sees_only_flagged_segments(loopback_llm):
    draft_batch(batch(12), client(loopback_llm))

    assert ids_sent(loopback_llm, "ProofreaderOutput") == [["s5", "s10"]]
    sent = document_data(loopback_llm.requests_for("ProofreaderOutput")[0])["segments"]
    assert all(segment["issues"] for segment in sent)
    assert ids_sent(loopback_llm, "AnnotatorOutput")[1] == ["s5", "s10"]


def test_it_flags_segments_whose_issues_survive_proofreading(loopback_llm):
    loopback_llm.configure(stubborn=True)

    result = draft_batch(batch(10), client(loopback_llm))

    flagged = result.by_id()["s5"]
    assert flagged.status == "flagged"
    assert "remain after 1 round(s)" in flagged.reason
    assert flagged.final_target == flagged.draft
    assert flagged.issues[0].severity == "major"
    # The round changed nothing: a second one would send the very same request.
    assert len(loopback_llm.requests_for("ProofreaderOutput")) == 1
    assert len(loopback_llm.requests_for("AnnotatorOutput")) == 1
    assert result.by_id()["s4"].status == "drafted"


def test_an_issue_goes_to_the_proofreader_once(loopback_llm):
    # The Annotator raises the same issue again on the revised text: the Proofreader has
    # answered it already, so no round asks again; the segment ends flagged for a person.
    loopback_llm.configure(flag_revised=True)

    result = draft_batch(batch(10), client(loopback_llm), max_rounds=3)

    rounds = [
        document_data(body)["segments"] for body in loopback_llm.requests_for("ProofreaderOutput")
    ]
    assert [[segment["id"] for segment in sent] for sent in rounds] == [["s5", "s10"]]
    assert len(loopback_llm.requests_for("AnnotatorOutput")) == 2
    flagged = result.by_id()["s5"]
    assert flagged.status == "flagged" and flagged.final_provenance.round == 1
    bodies = [json.dumps(body, sort_keys=True) for body in loopback_llm.requests]
    assert len(set(bodies)) == len(bodies)


def test_a_new_issue_on_the_revised_text_goes_to_the_proofreader(loopback_llm):
    # Each round the Annotator finds something new in the revised text (its first word
    # changes): each is shown to the Proofreader, up to the round cap.
    loopback_llm.configure(flag_revised=True, new_issue_each_round=True)

    result = draft_batch(batch(10), client(loopback_llm), max_rounds=3)

    rounds = [
        document_data(body)["segments"] for body in loopback_llm.requests_for("ProofreaderOutput")
    ]
    assert [[segment["id"] for segment in sent] for sent in rounds] == [["s5", "s10"]] * 3
    texts = [segment["target"] for sent in rounds for segment in sent]
    assert len(set(texts)) == len(texts)
    assert result.by_id()["s5"].final_provenance.round == 3


def test_it_respects_a_lower_round_cap(loopback_llm):
    loopback_llm.configure(stubborn=True, flag_every=1)

    result = draft_batch(batch(4), client(loopback_llm), max_rounds=1)

    assert len(loopback_llm.requests_for("ProofreaderOutput")) == 1
    assert {segment.status for segment in result.segments} == {"flagged"}


def test_without_rounds_nothing_is_proofread(loopback_llm):
    result = draft_batch(batch(5), client(loopback_llm), max_rounds=0)

    assert loopback_llm.requests_for("ProofreaderOutput") == []
    assert result.by_id()["s5"].status == "flagged"


def test_a_segment_missing_from_the_translation_fails(loopback_llm):
    loopback_llm.configure(skip_ids=["s3"])

    result = draft_batch(batch(6), client(loopback_llm))

    missing = result.by_id()["s3"]
    assert missing.status == "failed"
    assert "no translation for this segment" in missing.reason
    assert missing.final_target == ""
    assert "s3" not in ids_sent(loopback_llm, "AnnotatorOutput")[0]
    assert result.by_id()["s2"].status == "drafted"


def test_a_failed_translator_call_fails_its_segments_with_the_reason(loopback_llm):
    loopback_llm.configure(plan=["server_error"] * 3)

    result = draft_batch(batch(4), client(loopback_llm, max_attempts=3))

    assert {segment.status for segment in result.segments} == {"failed"}
    assert all("HTTP 500" in segment.reason for segment in result.segments)
    assert all(segment.final_target == "" for segment in result.segments)
    assert loopback_llm.requests_for("AnnotatorOutput") == []
    assert result.call_records[0].outcome == "server_error"


def test_a_cut_off_translation_is_split_and_tried_again(loopback_llm):
    loopback_llm.configure(plan=["truncated"])

    result = draft_batch(batch(6), client(loopback_llm))

    calls = ids_sent(loopback_llm, "TranslatorOutput")
    assert calls == [[f"s{n}" for n in range(1, 7)], ["s1", "s2", "s3"], ["s4", "s5", "s6"]]
    assert {segment.status for segment in result.segments} == {"drafted"}


def test_checks_flag_what_the_annotator_misses(loopback_llm):
    loopback_llm.configure(flag_every=0)
    glossary = [GlossaryConstraint("appellant", "上訴人")]

    result = draft_batch(batch(4, glossary=glossary), client(loopback_llm))

    with_term = result.by_id()["s1"]
    assert "appellant" in hk_sentences(4)[0]
    assert with_term.status == "flagged"
    assert "glossary" in with_term.reason
    assert with_term.issues[0].source == "check"
    # The Proofreader cannot fix a glossary finding it is not told how to fix; the same
    # request is not sent a second time.
    assert ids_sent(loopback_llm, "ProofreaderOutput") == [["s1"]]
    assert result.by_id()["s2"].status == "drafted"


def test_the_annotator_is_told_what_the_checks_found(loopback_llm):
    glossary = [GlossaryConstraint("appellant", "上訴人")]

    draft_batch(batch(2, glossary=glossary), client(loopback_llm))

    sent = document_data(loopback_llm.requests_for("AnnotatorOutput")[0])
    assert sent["segments"][0]["check_findings"][0]["category"] == "terminology"
    assert sent["glossary"] == [
        {"source_term": "appellant", "target_term": "上訴人", "status": "preferred"}
    ]


def test_an_unavailable_annotator_leaves_the_drafts_with_a_note(loopback_llm):
    loopback_llm.configure(plan=["ok", "server_error", "server_error"])

    result = draft_batch(batch(3), client(loopback_llm, max_attempts=2))

    assert {segment.status for segment in result.segments} == {"drafted"}
    assert all("Annotator could not review" in segment.reason for segment in result.segments)


def test_a_persons_translation_is_context_and_never_drafted(loopback_llm):
    work = batch(3)
    work.segments[1].human_target = "答辯人的上訴被駁回。"

    result = draft_batch(work, client(loopback_llm))

    assert [segment.id for segment in result.segments] == ["s1", "s3"]
    sent = document_data(loopback_llm.requests_for("TranslatorOutput")[0])
    assert [segment["id"] for segment in sent["segments"]] == ["s1", "s3"]
    assert sent["fixed_translations"][0]["target"] == "答辯人的上訴被駁回。"


def test_it_prepares_a_brief_when_the_batch_has_none(loopback_llm):
    result = draft_batch(batch(3, brief=None), client(loopback_llm))

    assert loopback_llm.requests[0]["response_format"]["json_schema"]["name"] == "DocumentBrief"
    assert result.brief.case_number.startswith("FACV")
    assert document_data(loopback_llm.requests_for("TranslatorOutput")[0])["brief"] == (
        result.brief.model_dump()
    )


def test_a_given_brief_is_not_asked_for_again(loopback_llm):
    result = draft_batch(batch(3), client(loopback_llm))

    assert loopback_llm.requests_for("DocumentBrief") == []
    assert result.brief == BRIEF


def test_it_drafts_chinese_into_english(loopback_llm):
    chinese = [pseudo_translate(source, "en", "zh-Hant-HK") for source in hk_sentences(5)]
    work = BatchInput(
        pair=ZH_EN,
        segments=[SegmentInput(id=f"z{n}", source=s) for n, s in enumerate(chinese, 1)],
        models=RoleModels.same("loop-model"),
        brief=BRIEF,
    )

    result = draft_batch(work, client(loopback_llm))

    assert {segment.status for segment in result.segments} == {"drafted"}
    assert "(revised)" in result.by_id()["z5"].final_target


def test_a_fault_ridden_run_ends_every_segment_cleanly_and_cheaply(loopback_llm):
    work = batch(50, token_budget=500)
    draft_batch(work, client(loopback_llm))
    fault_free_calls = len(loopback_llm.requests)
    loopback_llm.reset()
    # Seed 19 gives this run retried, repaired and cut-off calls.
    loopback_llm.configure(fault_rate=0.2, seed=19, retry_after=0.1, stall_seconds=2)

    result = draft_batch(work, client(loopback_llm, read_timeout=0.5))

    calls = len(loopback_llm.requests)
    outcomes = {record.outcome for record in result.call_records}
    assert {"repaired", "truncated"} <= outcomes
    assert any(record.attempts > 1 and record.outcome == "ok" for record in result.call_records)
    assert fault_free_calls < calls < 1.5 * fault_free_calls
    assert sum(record.attempts for record in result.call_records) == calls
    assert len(result.segments) == 50
    for segment in result.segments:
        assert segment.status in {"drafted", "flagged", "failed"}
        if segment.status == "failed":
            assert segment.reason
            assert segment.final_target == ""
        else:
            assert segment.final_target
            assert "oops" not in segment.final_target
            assert not segment.final_target.lstrip().startswith("{")
        if segment.status == "flagged":
            assert segment.reason


def test_make_brief_returns_the_brief_and_its_record(loopback_llm):
    brief, record = make_brief(
        EN_ZH,
        "IN THE COURT OF FINAL APPEAL. FACV 12/2015. Between the appellant and the respondent.",
        client(loopback_llm),
        "brief-model",
    )

    assert brief.case_number == "FACV 12/2015"
    assert [party.role for party in brief.parties] == ["appellant", "respondent"]
    assert record.role == "brief"
    assert record.model == "brief-model"


def test_revise_segment_returns_a_suggestion_and_its_record(loopback_llm):
    segment = SegmentInput(id="7", source="The appellant appealed.")
    context = RevisionContext(pair=EN_ZH, current_target="申請人提出上訴。")

    text, record = revise_segment(
        segment, "use 上訴人 for appellant", context, client(loopback_llm), "revise-model"
    )

    assert text == "申請人提出上訴。" + REVISED_CJK
    assert record.role == "revise"
    assert record.prompt_version == PROMPT_VERSIONS["revise"]


def test_revise_segment_needs_an_instruction(loopback_llm):
    segment = SegmentInput(id="7", source="The appellant appealed.")
    context = RevisionContext(pair=EN_ZH, current_target="申請人提出上訴。")

    with pytest.raises(ValueError, match="Write an instruction"):
        revise_segment(segment, "  ", context, client(loopback_llm), "revise-model")

    assert loopback_llm.requests == []


def test_it_refuses_a_batch_with_repeated_ids(loopback_llm):
    work = batch(3)
    work.segments[2].id = "s1"

    with pytest.raises(ValueError, match="ids repeat"):
        draft_batch(work, client(loopback_llm))

    assert loopback_llm.requests == []
