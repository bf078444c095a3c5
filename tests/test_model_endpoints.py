"""Model endpoints: defined by the administrator (OPENAI_* and WORKBENCH_ENDPOINTS or its
file), keys from the environment only, chosen per role by a project, and each role's calls
sent to its own endpoint."""

import json
import re

import pytest
from django.core.checks import run_checks

from agents.endpoints import PRESETS, EndpointError, RoleClients, parse_endpoints
from agents.schemas import AnnotatorOutput, TranslatorOutput
from tests.loopback_llm import LoopbackLLM, schema_of
from workbench.documents.services import import_document
from workbench.drafting.planning import DraftingRefused
from workbench.drafting.services import start_drafting
from workbench.jobs.models import Job
from workbench.projects.endpoints import (
    NO_ENDPOINT,
    endpoint_for,
    endpoint_problem,
    installed_endpoints,
    model_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_default(settings):
    settings.OPENAI_BASE_URL = ""
    settings.WORKBENCH_ENDPOINTS = ""
    settings.WORKBENCH_ENDPOINTS_FILE = ""


def define(settings, **endpoints):
    settings.WORKBENCH_ENDPOINTS = json.dumps(endpoints)


def test_the_presets_name_the_usual_servers():
    labels = {preset.label for preset in PRESETS.values()}
    assert {"OpenAI", "Azure OpenAI", "vLLM", "Ollama", "llama.cpp server", "LM Studio"} <= labels
    assert PRESETS["ollama"].base_url == "http://127.0.0.1:11434/v1"
    assert PRESETS["azure"].needs_key and PRESETS["azure"].api_key_env == "AZURE_OPENAI_API_KEY"


def test_an_endpoint_takes_its_preset_s_address_and_its_key_from_the_environment():
    endpoints = parse_endpoints(
        '{"gpu": {"preset": "vllm", "api_key_env": "GPU_KEY", "models": ["qwen"]}}',
        environ={"GPU_KEY": "sk-gpu-secret"},
    )

    gpu = endpoints["gpu"]
    assert (gpu.base_url, gpu.models, gpu.api_key) == (
        "http://127.0.0.1:8000/v1",
        ("qwen",),
        "sk-gpu-secret",
    )
    assert "sk-gpu-secret" not in repr(gpu)
    assert gpu.key_status == "API key from $GPU_KEY"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "WORKBENCH_ENDPOINTS is not valid JSON"),
        ('["gpu"]', "must be a JSON object of endpoints by name"),
        ('{"Big GPU": {"preset": "vllm"}}', "must be 1 to 40 lower-case letters"),
        ('{"gpu": {"preset": "tgi"}}', "has the unknown preset “tgi”; choose one of openai, azure"),
        (
            '{"gpu": {"preset": "azure"}}',
            "has no usable address (“”); give its base URL, e.g. https://YOUR-RESOURCE",
        ),
        ('{"gpu": {"base_url": "ftp://gpu"}}', "has no usable address (“ftp://gpu”)"),
        (
            '{"gpu": {"preset": "vllm", "api_key": "sk-1"}}',
            "has its API key written in; keys belong in the environment",
        ),
        ('{"gpu": {"preset": "vllm", "temperature": 0}}', "has unknown settings temperature"),
        ('{"gpu": {"preset": "vllm", "models": "qwen"}}', "must be a list of names"),
    ],
)
def test_it_refuses_endpoints_defined_wrongly_saying_what_to_change(text, message):
    with pytest.raises(EndpointError, match=re.escape(message)):
        parse_endpoints(text, environ={})


def test_openai_base_url_is_the_default_endpoint(settings, no_default, project):
    settings.OPENAI_BASE_URL = "https://api.openai.com/v1"
    settings.OPENAI_API_KEY = "sk-default"
    define(settings, gpu={"preset": "vllm", "models": ["qwen"]})

    endpoints = installed_endpoints()

    assert list(endpoints) == ["default", "gpu"]
    assert endpoints["default"].preset == "openai"
    assert endpoint_for(project, "translator").name == "default"
    assert model_for(project, "translator") == settings.OPENAI_MODEL


def test_without_openai_base_url_the_first_defined_endpoint_is_the_default(
    settings, no_default, project
):
    define(settings, gpu={"preset": "vllm", "models": ["qwen", "llama"]}, lab={"preset": "ollama"})

    assert endpoint_for(project, "annotator").name == "gpu"
    assert model_for(project, "annotator") == "qwen"  # the endpoint's first model


def test_a_project_chooses_endpoint_and_model_per_role(settings, no_default, project):
    define(settings, gpu={"preset": "vllm", "models": ["qwen"]}, lab={"preset": "ollama"})
    project.agent_endpoints = {"proofreader": "lab"}
    project.agent_models = {"proofreader": "llama3.1:70b"}

    assert endpoint_for(project, "proofreader").name == "lab"
    assert project.model_for("proofreader") == "llama3.1:70b"
    assert endpoint_for(project, "translator").name == "gpu"


def test_an_endpoint_the_administrator_removed_is_named(settings, no_default, project):
    define(settings, gpu={"preset": "vllm"})
    project.agent_endpoints = {"translator": "old-gpu"}

    with pytest.raises(
        EndpointError,
        match="The Translator of “HK judgments” uses the endpoint “old-gpu”, which this installation no longer defines",
    ):
        endpoint_for(project, "translator")
    assert "choose" in endpoint_problem(project) and "Agents page" in endpoint_problem(project)


def test_no_endpoint_at_all_says_how_to_connect_one(no_default, project):
    assert endpoint_problem(project) == NO_ENDPOINT
    assert "OPENAI_BASE_URL" in NO_ENDPOINT and "WORKBENCH_ENDPOINTS" in NO_ENDPOINT


def test_a_missing_key_is_a_problem_before_any_call(settings, monkeypatch, no_default, project):
    monkeypatch.delenv("AZURE_OPENAI_API_KEY", raising=False)
    define(
        settings,
        azure={"preset": "azure", "base_url": "https://example.openai.azure.com/openai/v1/"},
    )

    assert endpoint_problem(project) == (
        "The endpoint “azure” (Azure OpenAI) needs an API key, and $AZURE_OPENAI_API_KEY is "
        "empty. Set it in the environment of the web server and the workers, then restart them."
    )


def test_endpoints_can_come_from_a_file(settings, no_default, tmp_path, project):
    path = tmp_path / "endpoints.json"
    path.write_text('{"lab": {"preset": "lmstudio"}}', encoding="utf-8")
    settings.WORKBENCH_ENDPOINTS_FILE = str(path)

    assert endpoint_for(project).base_url == "http://127.0.0.1:1234/v1"

    settings.WORKBENCH_ENDPOINTS_FILE = str(tmp_path / "missing.json")
    with pytest.raises(EndpointError, match="cannot be read"):
        installed_endpoints()


def test_a_wrong_definition_is_a_warning_at_startup(settings, no_default):
    settings.WORKBENCH_ENDPOINTS = "{not json"

    warnings = [message for message in run_checks() if message.id == "projects.W001"]

    assert len(warnings) == 1
    assert "WORKBENCH_ENDPOINTS is not valid JSON" in warnings[0].msg


def test_each_role_s_calls_go_to_its_own_endpoint():
    first, second = LoopbackLLM().start(), LoopbackLLM().start()
    try:
        endpoints = parse_endpoints(
            json.dumps({"one": {"base_url": first.base_url}, "two": {"base_url": second.base_url}}),
            environ={},
        )
        clients = RoleClients(
            {
                "translator": endpoints["one"],
                "annotator": endpoints["two"],
                "proofreader": endpoints["two"],
                "brief": endpoints["one"],
            }
        )
        messages = [
            {"role": "user", "content": '<document_data>\n{"segments": []}\n</document_data>'}
        ]
        clients.complete("translator", "v1", "loopback", messages, TranslatorOutput)
        clients.complete("annotator", "v1", "loopback", messages, AnnotatorOutput)
        clients.complete("revise", "v1", "loopback", messages, TranslatorOutput)
        clients.close()
    finally:
        first.stop()
        second.stop()

    assert [schema_of(body) for body in first.requests] == ["TranslatorOutput"]
    # A revision on request is the Proofreader's work, on the Proofreader's endpoint.
    assert [schema_of(body) for body in second.requests] == ["AnnotatorOutput", "TranslatorOutput"]


def test_drafting_refuses_with_the_reason_when_a_role_s_endpoint_cannot_be_used(
    settings, monkeypatch, no_default, project, manager
):
    monkeypatch.delenv("AZURE_OPENAI_API_KEY", raising=False)
    define(
        settings,
        gpu={"preset": "vllm"},
        azure={"preset": "azure", "base_url": "https://example.openai.azure.com/openai/v1/"},
    )
    project.agent_endpoints = {"annotator": "azure"}
    project.save()
    document = import_document(
        project, data=b"The appeal is dismissed.", filename="short.txt", user=manager
    )

    with pytest.raises(DraftingRefused, match=r"\$AZURE_OPENAI_API_KEY is empty"):
        start_drafting(document, manager)
    assert not Job.objects.exists()
