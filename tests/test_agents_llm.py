"""The model client against the loopback server: structured output, repair, retries,
timeouts and call records."""

import json
import socket
import time

import pytest
from pydantic import BaseModel

from agents.context import LanguagePair, SegmentInput
from agents.llm import (
    LLMClient,
    LLMConnectionFailed,
    LLMInvalidOutput,
    LLMRateLimited,
    LLMRefused,
    LLMServerError,
    LLMTimeout,
    LLMTruncated,
    request_key,
)
from agents.prompts import translator_messages
from agents.schemas import TranslatorOutput
from tests.loopback_llm import DATA_BLOCK, document_data, loopback_llm_fixture  # noqa: F401

PAIR = LanguagePair("en", "zh-Hant-HK")
SOURCE = "The appeal is dismissed with costs under s. 65C(2)(b) of Cap. 221."


def client(server, **options):
    options = {"backoff_seconds": 0.01, "read_timeout": 5.0, "sink": [], **options}
    return LLMClient(server.base_url, "test-key", **options)


def messages():
    return translator_messages(
        PAIR,
        [SegmentInput(id="1", source=SOURCE)],
        brief=None,
        fixed=[],
        before=[],
        after=[],
        glossary=[],
        tm_hints={},
        examples=[],
        lessons=[],
    )


def translate(llm):
    return llm.complete("translator", "translator-test", "loop-model", messages(), TranslatorOutput)


class Verdict(BaseModel):
    """A schema the loopback server does not know: it answers {} for it."""

    verdict: str


def test_it_returns_the_parsed_answer_with_a_record(loopback_llm):
    llm = client(loopback_llm)

    answer, record = translate(llm)

    assert answer.segments[0].id == "1"
    assert "第65C(2)(b)條" in answer.segments[0].target
    assert record.outcome == "ok"
    assert record.attempts == 1
    assert record.role == "translator"
    assert record.model == "loop-model"
    assert record.prompt_version == "translator-test"
    assert record.tokens_in > 100
    assert record.tokens_out > 5
    assert record.latency_ms >= 0
    assert llm.sink == [record]


def test_it_asks_for_a_strict_json_schema(loopback_llm):
    translate(client(loopback_llm))

    response_format = loopback_llm.requests[0]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "TranslatorOutput"
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    segment = schema["$defs"]["TranslatedSegment"]
    assert segment["required"] == ["id", "target"]
    assert segment["additionalProperties"] is False


def test_it_measures_latency(loopback_llm):
    loopback_llm.configure(latency_ms=200)

    _, record = translate(client(loopback_llm))

    assert record.latency_ms >= 190


def test_it_waits_as_long_as_retry_after_says(loopback_llm):
    loopback_llm.configure(plan=["rate_limit"], retry_after=1)
    started = time.monotonic()

    _, record = translate(client(loopback_llm))

    assert time.monotonic() - started >= 0.95
    assert record.outcome == "ok"
    assert record.attempts == 2
    assert record.error == "attempt 1: rate_limited (HTTP 429)"
    assert len(loopback_llm.requests) == 2


def test_it_caps_a_long_retry_after(loopback_llm):
    loopback_llm.configure(plan=["rate_limit"], retry_after=30)
    started = time.monotonic()

    _, record = translate(client(loopback_llm, max_retry_after_seconds=0.2))

    assert time.monotonic() - started < 5
    assert record.attempts == 2


def test_it_gives_up_when_rate_limited_every_time(loopback_llm):
    loopback_llm.configure(plan=["rate_limit"] * 3, retry_after=0)
    llm = client(loopback_llm)

    with pytest.raises(LLMRateLimited) as failure:
        translate(llm)

    assert failure.value.record.outcome == "rate_limited"
    assert failure.value.record.attempts == 3
    assert "429" in str(failure.value)
    assert llm.sink == [failure.value.record]


def test_it_retries_server_errors(loopback_llm):
    loopback_llm.configure(plan=["server_error", "server_error"])

    answer, record = translate(client(loopback_llm))

    assert answer.segments
    assert record.outcome == "ok"
    assert record.attempts == 3
    assert len(loopback_llm.requests) == 3


def test_it_stops_after_the_configured_number_of_attempts(loopback_llm):
    loopback_llm.configure(plan=["server_error"] * 5)
    llm = client(loopback_llm, max_attempts=4)

    with pytest.raises(LLMServerError) as failure:
        translate(llm)

    assert failure.value.record.attempts == 4
    assert failure.value.record.outcome == "server_error"
    assert len(loopback_llm.requests) == 4
    assert "HTTP 500" in str(failure.value)


@pytest.mark.parametrize(
    ("fault", "status"),
    [("bad_request", "400"), ("unauthorized", "401"), ("not_found", "404")],
)
def test_it_never_retries_a_refused_request(loopback_llm, fault, status):
    loopback_llm.configure(plan=[fault])

    with pytest.raises(LLMRefused) as failure:
        translate(client(loopback_llm))

    assert len(loopback_llm.requests) == 1
    assert failure.value.record.outcome == "refused"
    assert failure.value.record.attempts == 1
    assert status in str(failure.value)


def test_it_says_what_to_check_when_the_key_is_refused(loopback_llm):
    loopback_llm.configure(plan=["unauthorized"])

    with pytest.raises(LLMRefused, match="OPENAI_API_KEY"):
        translate(client(loopback_llm))


def test_it_retries_a_stalled_request_after_its_timeout(loopback_llm):
    loopback_llm.configure(plan=["stall"], stall_seconds=3)
    started = time.monotonic()

    answer, record = translate(client(loopback_llm, read_timeout=0.5))

    assert time.monotonic() - started < 2.5
    assert answer.segments
    assert record.attempts == 2
    assert record.error == "attempt 1: timeout (Request timed out.)"


def test_it_reports_a_timeout_when_every_attempt_stalls(loopback_llm):
    loopback_llm.configure(plan=["stall", "stall"], stall_seconds=3)

    with pytest.raises(LLMTimeout, match="did not answer within 0.3 s, 2 times") as failure:
        translate(client(loopback_llm, read_timeout=0.3, max_attempts=2))

    assert failure.value.record.outcome == "timeout"
    assert failure.value.record.attempts == 2


def test_it_reports_a_server_that_is_not_there():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    llm = LLMClient(f"http://127.0.0.1:{port}/v1", backoff_seconds=0.01, max_attempts=2)

    with pytest.raises(LLMConnectionFailed, match="OPENAI_BASE_URL") as failure:
        translate(llm)

    assert failure.value.record.outcome == "connection_error"
    assert failure.value.record.attempts == 2


def test_it_asks_once_for_a_repair_of_malformed_json(loopback_llm):
    loopback_llm.configure(plan=["malformed"])

    answer, record = translate(client(loopback_llm))

    assert answer.segments[0].id == "1"
    assert record.outcome == "repaired"
    assert record.attempts == 2
    first, repair = (body["messages"] for body in loopback_llm.requests)
    assert repair[: len(first)] == first
    (request,) = repair[len(first) :]
    assert request["role"] == "user"
    assert "could not be used" in request["content"]
    assert "Invalid JSON" in request["content"]
    previous = json.loads(DATA_BLOCK.search(request["content"]).group(1))["previous_answer"]
    assert previous.endswith('"oops')


def test_it_fails_clearly_when_the_repair_is_malformed_too(loopback_llm):
    loopback_llm.configure(plan=["malformed", "malformed", "ok"])

    with pytest.raises(LLMInvalidOutput, match="even after one request to correct it") as failure:
        translate(client(loopback_llm))

    assert len(loopback_llm.requests) == 2
    assert failure.value.record.outcome == "invalid"


def test_it_repairs_an_answer_that_does_not_fit_the_schema(loopback_llm):
    llm = client(loopback_llm)

    with pytest.raises(LLMInvalidOutput, match="verdict: Field required") as failure:
        llm.complete("annotator", "v1", "loop-model", messages(), Verdict)

    assert len(loopback_llm.requests) == 2
    assert "verdict: Field required" in loopback_llm.requests[1]["messages"][-1]["content"]
    assert failure.value.record.attempts == 2


def test_it_never_uses_a_cut_off_answer(loopback_llm):
    loopback_llm.configure(plan=["truncated"])

    with pytest.raises(LLMTruncated, match="cut off") as failure:
        translate(client(loopback_llm))

    assert len(loopback_llm.requests) == 1
    assert failure.value.record.outcome == "truncated"
    assert failure.value.record.tokens_out > 0


def test_it_falls_back_to_json_mode_when_schemas_are_refused(loopback_llm):
    loopback_llm.configure(refuse_json_schema=True)
    llm = client(loopback_llm)

    answer, record = translate(llm)
    _, second = translate(llm)

    assert "第221章" in answer.segments[0].target
    assert record.attempts == 2
    assert record.response_format == "json_object"
    assert second.attempts == 1
    first, fallback, remembered = loopback_llm.requests
    assert first["response_format"]["type"] == "json_schema"
    assert fallback["response_format"] == {"type": "json_object"}
    assert remembered["response_format"] == {"type": "json_object"}
    system = fallback["messages"][0]["content"]
    assert 'JSON schema named "TranslatorOutput"' in system
    assert '"additionalProperties": false' in system


def test_json_mode_keeps_the_data_block_in_the_user_message(loopback_llm):
    loopback_llm.configure(refuse_json_schema=True)

    translate(client(loopback_llm))

    data = document_data(loopback_llm.requests[-1])
    assert data["segments"][0]["source"] == SOURCE


def test_it_hands_records_to_a_callable_sink(loopback_llm):
    seen = []
    llm = client(loopback_llm, sink=seen.append)
    loopback_llm.configure(plan=["server_error"])

    _, record = translate(llm)

    assert seen == [record]
    assert record.attempts == 2
    assert record.tokens_in > 0


class MemoryJournal:
    """A call journal kept in memory, as the workbench keeps one in ModelCall rows; it
    notes how many requests the server had received when each one was recorded."""

    def __init__(self, server):
        self.server = server
        self.calls = {}
        self.answers = {}
        self.received_at_dispatch = []

    def answer_to(self, key):
        return self.answers.get(key)

    def dispatch(self, record, prompt_tokens):
        self.received_at_dispatch.append(len(self.server.requests))
        if record.call_id is None:
            record.call_id = len(self.calls) + 1
        self.calls[record.call_id] = {"outcome": "dispatched", "tokens_in": prompt_tokens}

    def complete(self, record, answer):
        self.calls[record.call_id] = {"outcome": record.outcome, "attempts": record.attempts}
        if answer:
            self.answers[record.key] = answer

    def forget(self, key):
        self.answers.pop(key, None)


def test_it_records_every_request_before_it_leaves(loopback_llm):
    loopback_llm.configure(plan=["server_error"])
    journal = MemoryJournal(loopback_llm)

    _, record = translate(client(loopback_llm, journal=journal))

    assert journal.received_at_dispatch == [0, 1]
    assert journal.calls == {record.call_id: {"outcome": "ok", "attempts": 2}}


def test_a_call_in_flight_counts_with_its_estimated_prompt(loopback_llm):
    journal = MemoryJournal(loopback_llm)
    loopback_llm.on_request = lambda body: journal.calls.update(seen=dict(journal.calls[1]))

    translate(client(loopback_llm, journal=journal))

    assert journal.calls["seen"]["outcome"] == "dispatched"
    assert journal.calls["seen"]["tokens_in"] > 100


def test_it_answers_a_request_already_answered_from_the_journal(loopback_llm):
    llm = client(loopback_llm, journal=MemoryJournal(loopback_llm))

    answer, first = translate(llm)
    again, second = translate(llm)

    assert len(loopback_llm.requests) == 1
    assert again == answer
    assert (second.outcome, second.attempts, second.tokens_in, second.key) == (
        "reused",
        0,
        0,
        first.key,
    )
    assert second.call_id is None


def test_a_forgotten_answer_is_asked_for_again(loopback_llm):
    llm = client(loopback_llm, journal=MemoryJournal(loopback_llm))
    _, first = translate(llm)

    llm.forget(first)
    _, second = translate(llm)

    assert len(loopback_llm.requests) == 2
    assert second.outcome == "ok"


def test_a_failed_call_is_asked_again(loopback_llm):
    loopback_llm.configure(plan=["bad_request"])
    llm = client(loopback_llm, journal=MemoryJournal(loopback_llm))
    with pytest.raises(LLMRefused):
        translate(llm)

    _, record = translate(llm)

    assert record.outcome == "ok"
    assert len(loopback_llm.requests) == 2


def test_a_request_key_names_every_part_of_the_request():
    base = ("translator", "model-a", "v1", messages(), TranslatorOutput, "json_schema")
    variants = [
        ("annotator", *base[1:]),
        (base[0], "model-b", *base[2:]),
        (*base[:2], "v2", *base[3:]),
        (*base[:3], [*messages(), {"role": "user", "content": "more"}], *base[4:]),
        (*base[:4], Verdict, base[5]),
        (*base[:5], "json_object"),
    ]

    assert request_key(*base) == request_key(*base)
    assert len({request_key(*base), *(request_key(*variant) for variant in variants)}) == 7
