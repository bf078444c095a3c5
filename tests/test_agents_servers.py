"""The agents against servers that behave like the OpenAI-compatible servers met in the
wild (vLLM, Ollama, llama.cpp, LM Studio, reasoning models): the client reads the answer
out of each shape, and the pipeline asks a segment whose answer is missing, duplicated
or merged again, alone, once, and never leaves it silently empty."""

import time

import pytest
from pydantic import ValidationError

from agents.context import BatchInput, RoleModels, SegmentInput
from agents.graph import draft_batch
from agents.llm import JSON_MODE, PLAIN_MODE, LLMClient, parse_answer
from agents.schemas import TranslatorOutput
from tests.loopback_llm import SHAPES, document_data, pseudo_translate, schema_of
from tests.test_agents_graph import BRIEF, EN_ZH, hk_sentences, ids_sent
from tests.test_agents_llm import SOURCE, translate


def client(server, **options):
    options = {"backoff_seconds": 0.01, "read_timeout": 5.0, "sink": [], **options}
    return LLMClient(server.base_url, **options)


def batch(count=6):
    segments = [
        SegmentInput(id=f"s{number}", source=source)
        for number, source in enumerate(hk_sentences(count), 1)
    ]
    return BatchInput(
        pair=EN_ZH, segments=segments, models=RoleModels.same("loop-model"), brief=BRIEF
    )


def expected(number):
    return pseudo_translate(hk_sentences(6)[number - 1], "en", "zh-Hant-HK")


# The client reads each shape without a repair request.


@pytest.mark.parametrize("shape", SHAPES)
def test_it_reads_the_answer_of_every_server_shape_without_a_repair(loopback_llm, shape):
    loopback_llm.configure(shapes=[shape])

    answer, record = translate(client(loopback_llm))

    assert "第221章" in answer.segments[0].target
    assert (record.outcome, record.attempts) == ("ok", 1)
    assert len(loopback_llm.requests) == 1


def test_it_reads_an_answer_with_every_shape_at_once(loopback_llm):
    loopback_llm.configure(shapes=list(SHAPES))

    answer, record = translate(client(loopback_llm))

    assert answer.segments[0].target.startswith("「") and "附表{甲}" in answer.segments[0].target
    assert record.outcome == "ok"


def test_it_keeps_full_width_punctuation_quotes_and_braces_inside_the_text(loopback_llm):
    loopback_llm.configure(shapes=["fullwidth", "code_fence", "trailing_prose"])

    answer, _ = translate(client(loopback_llm))

    target = pseudo_translate(SOURCE, "en", "zh-Hant-HK")
    assert answer.segments[0].target == f'「{target}」：見“附表{{甲}}”，即"附件"。'


def test_it_prefers_the_answer_to_the_json_in_the_reasoning():
    text = (
        '<think>Maybe {"segments": [{"id": "1", "target": "draft"}]}?</think>\n'
        'Sure: {"segments": [{"id": "1", "target": "final"}]} Hope {this} helps.'
    )

    assert parse_answer(text, TranslatorOutput).segments[0].target == "final"


def test_it_reports_the_broken_json_rather_than_a_fragment_of_it():
    text = '{"segments": [{"id": "1", "target": "done"}, {"id": "2", "target": "cut'

    with pytest.raises(ValidationError, match="Invalid JSON"):
        parse_answer(text, TranslatorOutput)


def test_json_inside_reasoning_that_never_ends_is_no_answer():
    text = '<think>Let me draft {"segments": [{"id": "1", "target": "draft"}]} and then'

    with pytest.raises(ValidationError):
        parse_answer(text, TranslatorOutput)


def test_it_answers_without_response_format_when_the_server_refuses_every_mode(loopback_llm):
    loopback_llm.configure(refuse_response_format=True)
    llm = client(loopback_llm)

    answer, record = translate(llm)
    _, second = translate(llm)

    assert "第221章" in answer.segments[0].target
    assert (record.attempts, record.response_format) == (3, PLAIN_MODE)
    assert "server refused json_object; using plain" in record.error
    schema_mode, json_mode, plain, remembered = loopback_llm.requests
    assert schema_mode["response_format"]["type"] == "json_schema"
    assert json_mode["response_format"] == {"type": JSON_MODE}
    assert "response_format" not in plain and "response_format" not in remembered
    assert 'JSON schema named "TranslatorOutput"' in plain["messages"][0]["content"]
    assert second.attempts == 1


def test_it_waits_for_a_slow_first_byte_within_its_timeout(loopback_llm):
    loopback_llm.configure(first_token_ms=700)

    answer, record = translate(client(loopback_llm, read_timeout=2.0))

    assert answer.segments
    assert (record.outcome, record.attempts) == ("ok", 1)
    assert len(loopback_llm.requests) == 1


def test_it_waits_longer_the_second_time_for_a_server_slower_than_its_timeout(loopback_llm):
    loopback_llm.configure(first_token_ms=1500)
    started = time.monotonic()

    answer, record = translate(client(loopback_llm, read_timeout=1.0))

    assert answer.segments
    assert (record.outcome, record.attempts) == ("ok", 2)
    assert record.error == "attempt 1: timeout (Request timed out.)"
    assert time.monotonic() - started < 5


# The pipeline: each segment gets a text, or fails with the reason.


def test_a_segment_left_out_of_a_batch_is_asked_again_alone(loopback_llm):
    loopback_llm.configure(missing_ids=["s3"])

    result = draft_batch(batch(), client(loopback_llm))

    assert ids_sent(loopback_llm, "TranslatorOutput") == [[f"s{n}" for n in range(1, 7)], ["s3"]]
    assert result.by_id()["s3"].draft == expected(3)
    assert {segment.status for segment in result.segments} == {"drafted"}


def test_a_segment_asked_alone_sees_its_neighbours(loopback_llm):
    loopback_llm.configure(missing_ids=["s3"])

    draft_batch(batch(), client(loopback_llm))

    alone = document_data(loopback_llm.requests_for("TranslatorOutput")[1])
    sources = hk_sentences(6)
    assert [n["source"] for n in alone["context_before"]] == sources[:2]
    assert [n["source"] for n in alone["context_after"]] == sources[3:5]


def test_a_segment_answered_twice_differently_is_asked_again_alone(loopback_llm):
    loopback_llm.configure(duplicate_ids=["s2"])

    result = draft_batch(batch(), client(loopback_llm))

    assert ids_sent(loopback_llm, "TranslatorOutput")[1:] == [["s2"]]
    assert result.by_id()["s2"].draft == expected(2)


def test_an_answer_for_a_segment_nobody_asked_for_is_dropped(loopback_llm):
    loopback_llm.configure(extra_ids=["s99"])

    result = draft_batch(batch(), client(loopback_llm))

    assert len(ids_sent(loopback_llm, "TranslatorOutput")) == 1
    assert "s99" not in result.by_id()
    assert [segment.draft for segment in result.segments] == [expected(n) for n in range(1, 7)]


def test_two_segments_merged_under_one_id_are_both_asked_again_alone(loopback_llm):
    loopback_llm.configure(merge_ids=["s4"])

    result = draft_batch(batch(), client(loopback_llm))

    assert sorted(ids_sent(loopback_llm, "TranslatorOutput")[1:]) == [["s3"], ["s4"]]
    assert result.by_id()["s3"].draft == expected(3)
    assert result.by_id()["s4"].draft == expected(4)


def test_a_segment_still_missing_when_asked_alone_fails_with_the_reason(loopback_llm):
    loopback_llm.configure(skip_ids=["s3"])

    result = draft_batch(batch(), client(loopback_llm))

    missing = result.by_id()["s3"]
    assert (missing.status, missing.final_target) == ("failed", "")
    assert "even when it was asked for this segment alone" in missing.reason
    assert ids_sent(loopback_llm, "TranslatorOutput")[1:] == [["s3"]]


def test_a_segment_the_annotator_left_out_is_reviewed_alone(loopback_llm):
    loopback_llm.configure(missing_ids=["s5"], flag_every=5)

    result = draft_batch(batch(), client(loopback_llm))

    annotated = ids_sent(loopback_llm, "AnnotatorOutput")
    assert annotated[1] == ["s5"]
    # s5 was still flagged when reviewed alone, so the Proofreader saw it.
    assert ["s5"] in ids_sent(loopback_llm, "ProofreaderOutput")
    assert result.by_id()["s5"].status == "drafted"


def test_a_segment_the_proofreader_left_out_is_proofread_alone(loopback_llm):
    loopback_llm.configure(flag_every=2)
    answered = []

    def leave_out_s4_once(body):
        if schema_of(body) == "ProofreaderOutput":
            answered.append(body)
            if len(answered) == 1:
                loopback_llm.configure(missing_ids=["s4"])
            else:
                loopback_llm.configure(missing_ids=[])

    loopback_llm.on_request = leave_out_s4_once

    result = draft_batch(batch(), client(loopback_llm))

    assert ids_sent(loopback_llm, "ProofreaderOutput") == [["s2", "s4", "s6"], ["s4"]]
    assert result.by_id()["s4"].final_provenance.role == "proofreader"


@pytest.mark.parametrize("shape", SHAPES)
def test_the_pipeline_drafts_every_segment_against_every_server_shape(loopback_llm, shape):
    loopback_llm.configure(shapes=[shape])

    result = draft_batch(batch(), client(loopback_llm))

    assert {segment.status for segment in result.segments} == {"drafted"}
    assert all(record.outcome == "ok" for record in result.call_records)
