"""agents/probe.py: "Test connection" against servers of different shapes gives a clear
verdict: reachable, model listed, which structured-output mode works, latency, tokens for
1,000 words, and what to fix."""

import pytest

from agents.context import LanguagePair
from agents.endpoints import Endpoint
from agents.probe import JSON_MODE, READY, REPAIR, SCHEMA, UNUSABLE, USABLE, Sample, probe
from tests.loopback_llm import LoopbackLLM
from tests.shaped_llm import KEY, ShapedLLM

SAMPLE = Sample(
    "The appeal is allowed and the conviction is quashed.",
    "上訴得直，定罪撤銷。",
    9,
    LanguagePair("en", "zh-Hant-HK"),
)
ROLES = ["translator", "annotator", "proofreader", "brief"]


def endpoint(url, **options):
    return Endpoint(name="test", base_url=url, **options)


@pytest.fixture
def refusing_schemas():
    server = LoopbackLLM(refuse_json_schema=True).start()
    yield server
    server.stop()


@pytest.mark.parametrize("role", ROLES)
def test_a_server_with_json_schemas_is_ready_for_every_role(loopback_llm, role):
    report = probe(endpoint(loopback_llm.base_url), "loopback", role, SAMPLE)

    assert (report.verdict, report.mode) == (READY, SCHEMA)
    assert report.reachable and report.listed
    assert report.latency_ms is not None and report.problems == []
    assert report.summary == "Ready: the model answers in the form the agents need."
    assert len(loopback_llm.requests) == 1  # one tiny call


def test_it_estimates_the_tokens_of_1000_words(loopback_llm):
    report = probe(endpoint(loopback_llm.base_url), "loopback", "translator", SAMPLE)
    brief = probe(endpoint(loopback_llm.base_url), "loopback", "brief", SAMPLE)

    tokens_in, tokens_out = report.per_1000_words
    # A call's fixed prompt is paid once per batch, the text for every word.
    assert tokens_in > report.tokens_in
    assert tokens_out > 0 and tokens_in > tokens_out
    assert brief.per_1000_words is None  # once per document


def test_a_server_that_refuses_json_schemas_is_usable_in_json_mode(refusing_schemas):
    report = probe(
        endpoint(refusing_schemas.base_url, preset="ollama"), "loopback", "annotator", SAMPLE
    )

    assert (report.verdict, report.mode) == (USABLE, JSON_MODE)
    assert "The server refused JSON schema (strict structured output) (HTTP 400)." in report.notes
    assert any("Ollama accepts JSON schemas from version 0.5" in note for note in report.notes)
    assert [body.get("response_format", {}).get("type") for body in refusing_schemas.requests] == [
        "json_schema",
        "json_object",
    ]


def test_a_server_that_ignores_response_format_is_usable_with_repair():
    with ShapedLLM("prose") as server:
        report = probe(
            endpoint(server.base_url, preset="llamacpp"), "shaped-model", "translator", SAMPLE
        )

    assert (report.verdict, report.mode) == (USABLE, REPAIR)
    assert "the model answered with something else" in report.notes[0]
    assert "<think>" in report.notes[0]
    assert report.summary == "Usable: the agents fall back to plain JSON, cleaned up by the client."
    assert any("llama-server builds turn JSON schemas into a grammar" in n for n in report.notes)


def test_a_model_that_never_answers_json_cannot_be_used():
    with ShapedLLM("no_json") as server:
        report = probe(
            endpoint(server.base_url, preset="lmstudio"), "shaped-model", "proofreader", SAMPLE
        )

    assert report.verdict == UNUSABLE and report.mode is None
    assert report.reachable and report.listed
    assert "not with the JSON the agents need, in any of the three ways" in report.problems[0]
    assert "LM Studio supports JSON schemas" in report.problems[0]
    assert report.summary.startswith("Cannot be used: The model answered, but not with the JSON")


def test_an_unreachable_server_is_reported_with_how_to_start_it():
    report = probe(
        endpoint("http://127.0.0.1:9/v1", preset="ollama"), "qwen2.5:14b", "translator", SAMPLE
    )

    assert report.verdict == UNUSABLE and report.reachable is False
    assert report.problems[0].startswith("Could not connect to http://127.0.0.1:9/v1")
    assert "Start it with `ollama serve`" in report.problems[0]


def test_a_missing_key_is_reported_without_calling_the_server():
    with ShapedLLM("keyed") as server:
        report = probe(
            endpoint(server.base_url, preset="openai", api_key_env="TEST_PROBE_KEY"),
            "gpt-4.1-mini",
            "translator",
            SAMPLE,
        )

    assert report.verdict == UNUSABLE and report.reachable is None
    assert report.problems == [
        "The endpoint “test” (OpenAI) needs an API key, and $TEST_PROBE_KEY is empty. Set it in "
        "the environment of the web server and the workers, then restart them."
    ]
    assert server.requests == []


def test_a_wrong_key_is_named_by_its_variable_and_never_shown():
    wrong = "sk-wrong-key-that-must-not-show"
    with ShapedLLM("keyed") as server:
        report = probe(
            endpoint(server.base_url, api_key_env="TEST_PROBE_KEY", api_key=wrong),
            "shaped-model",
            "translator",
            SAMPLE,
        )

    assert report.verdict == UNUSABLE
    assert "The server refused the API key (HTTP 401). Check $TEST_PROBE_KEY." in report.problems[0]
    assert wrong not in " ".join(report.problems + report.notes)
    assert "•••" in report.problems[0]
    assert wrong not in repr(endpoint(server.base_url, api_key=wrong))


def test_the_right_key_gets_through():
    with ShapedLLM("keyed") as server:
        report = probe(endpoint(server.base_url, api_key=KEY), "shaped-model", "brief", SAMPLE)

    assert report.verdict == READY


def test_a_model_the_server_does_not_list_is_pointed_out(loopback_llm):
    report = probe(
        endpoint(loopback_llm.base_url, preset="ollama"), "qwen2.5:14b", "annotator", SAMPLE
    )

    assert report.listed is False and report.models_listed == ["loopback"]
    assert report.notes[0] == (
        "The server does not list the model “qwen2.5:14b”; it lists: loopback. Fetch the model "
        "with `ollama pull MODEL`, or choose one it lists."
    )


def test_a_server_without_a_list_of_models_is_still_tested():
    with ShapedLLM("no_models") as server:
        report = probe(endpoint(server.base_url), "shaped-model", "annotator", SAMPLE)

    assert report.verdict == READY and report.listed is None
    assert report.notes[0].startswith("The server does not list its models (GET /models)")


def test_a_model_the_server_does_not_have_says_what_to_do(loopback_llm):
    loopback_llm.configure(plan=["not_found"])

    report = probe(endpoint(loopback_llm.base_url, preset="vllm"), "loopback", "translator", SAMPLE)

    assert report.verdict == UNUSABLE
    assert "(HTTP 404; OpenAI-compatible addresses usually end in /v1)" in report.problems[0]
    assert "vLLM serves the model it was started with" in report.problems[0]
