"""The model endpoints an administrator makes available to the agents, the usual shapes
of OpenAI-compatible servers (presets), and a client that sends each agent role's calls
to the endpoint chosen for it.

Endpoints are defined as JSON, in the environment or a file:

    {"office-gpu": {"preset": "vllm", "base_url": "http://gpu1:8000/v1",
                    "api_key_env": "OFFICE_GPU_KEY", "models": ["Qwen/Qwen2.5-72B-Instruct"],
                    "label": "Office GPU"}}

API keys live in the environment only: an endpoint names the variable that holds its key
(`api_key_env`), never the key itself, and nothing here shows a key back. Free of Django.
"""

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from agents.llm import LLMClient

DEFAULT_ENDPOINT = "default"
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
FIELDS = {"preset", "base_url", "api_key_env", "models", "label"}
# The agent roles a project chooses an endpoint and model for; the calls of other roles
# go where the role they serve goes (a revision on request is the Proofreader's work).
ROLES = ("translator", "annotator", "proofreader", "brief")
CALL_ROLES = {"revise": "proofreader"}


@dataclass(frozen=True)
class Preset:
    """A kind of server and what to tell a person when it does not work."""

    label: str
    base_url: str = ""
    base_url_example: str = ""
    api_key_env: str = ""
    needs_key: bool = False
    model_hint: str = ""
    start_hint: str = "Check that the server is running and that the address is right."
    model_missing_hint: str = "Choose one of the models the server lists."
    structured_hint: str = "Use a model or server version that supports JSON schemas."


PRESETS = {
    "openai": Preset(
        "OpenAI",
        base_url="https://api.openai.com/v1",
        api_key_env="OPENAI_API_KEY",
        needs_key=True,
        model_hint="e.g. gpt-4.1-mini",
        start_hint="Check the machine's internet access and any proxy in between.",
        model_missing_hint="Choose a model your OpenAI account can use; the list shows them.",
        structured_hint="Choose a model with structured outputs (gpt-4o-mini, gpt-4.1 or later).",
    ),
    "azure": Preset(
        "Azure OpenAI",
        base_url_example="https://YOUR-RESOURCE.openai.azure.com/openai/v1/",
        api_key_env="AZURE_OPENAI_API_KEY",
        needs_key=True,
        model_hint="the name of your deployment",
        start_hint="Check the resource name in the address (…openai.azure.com/openai/v1/).",
        model_missing_hint="The model is the name of a deployment of your Azure resource; "
        "deploy one in the Azure AI Foundry portal or correct the name.",
        structured_hint="Deploy a model version with structured outputs (gpt-4o 2024-08-06 or "
        "later).",
    ),
    "vllm": Preset(
        "vLLM",
        base_url="http://127.0.0.1:8000/v1",
        model_hint="the model given to `vllm serve` (or its --served-model-name)",
        start_hint="Start it with `vllm serve MODEL`; add `--api-key` if it should need a key.",
        model_missing_hint="vLLM serves the model it was started with; use the name it lists, "
        "or restart it with `--served-model-name`.",
        structured_hint="vLLM enforces JSON schemas with its structured-output backend; update "
        "vLLM if it refuses them.",
    ),
    "ollama": Preset(
        "Ollama",
        base_url="http://127.0.0.1:11434/v1",
        model_hint="e.g. qwen2.5:14b",
        start_hint="Start it with `ollama serve` (or the Ollama app).",
        model_missing_hint="Fetch the model with `ollama pull MODEL`, or choose one it lists.",
        structured_hint="Ollama accepts JSON schemas from version 0.5; update it.",
    ),
    "llamacpp": Preset(
        "llama.cpp server",
        base_url="http://127.0.0.1:8080/v1",
        model_hint="llama-server serves one model; use the name it lists",
        start_hint="Start it with `llama-server -m MODEL.gguf --port 8080`.",
        model_missing_hint="llama-server serves the one model it was started with; use the "
        "name /v1/models lists (or start it with `--alias NAME`).",
        structured_hint="Recent llama-server builds turn JSON schemas into a grammar; update "
        "llama.cpp.",
    ),
    "lmstudio": Preset(
        "LM Studio",
        base_url="http://127.0.0.1:1234/v1",
        model_hint="the identifier LM Studio shows for the loaded model",
        start_hint="Start the server in LM Studio's Developer tab, or with `lms server start`.",
        model_missing_hint="Load the model in LM Studio (or `lms load MODEL`) and use the "
        "identifier it lists.",
        structured_hint="LM Studio supports JSON schemas for most models; update it, or load a "
        "model that supports structured output.",
    ),
    "openai-compatible": Preset("Other OpenAI-compatible server"),
}


class EndpointError(ValueError):
    """The endpoints are defined wrongly, or one that is asked for cannot be used. The
    message says what to change, for an administrator or a manager."""


@dataclass(frozen=True)
class Endpoint:
    name: str
    base_url: str
    preset: str = "openai-compatible"
    label: str = ""
    api_key_env: str = ""
    models: tuple[str, ...] = ()
    # Read from the environment variable `api_key_env`; never shown, logged or compared.
    api_key: str = field(default="", repr=False, compare=False)

    @property
    def shape(self) -> Preset:
        return PRESETS[self.preset]

    @property
    def title(self) -> str:
        return self.label or f"{self.name} ({self.shape.label})"

    @property
    def key_status(self) -> str:
        """Where the key comes from, in words, without the key."""
        if self.api_key:
            return f"API key from ${self.api_key_env}"
        if self.shape.needs_key:
            return f"needs an API key: ${self.api_key_env or self.shape.api_key_env} is empty"
        if self.api_key_env:
            return f"none (${self.api_key_env} is empty; set it if the server wants a key)"
        return "none"

    def missing_key(self) -> str:
        """What to do when the endpoint needs a key it does not have, else ""."""
        if self.shape.needs_key and not self.api_key:
            variable = self.api_key_env or self.shape.api_key_env
            return (
                f"The endpoint “{self.name}” ({self.shape.label}) needs an API key, and "
                f"${variable} is empty. Set it in the environment of the web server and the "
                "workers, then restart them."
            )
        return ""

    def client(self, **options) -> LLMClient:
        return LLMClient(self.base_url, self.api_key, **options)


def parse_endpoints(text: str, *, environ: Mapping[str, str] = os.environ, where: str = ""):
    """{name: Endpoint} from the JSON text of WORKBENCH_ENDPOINTS (or its file);
    EndpointError names the entry and what is wrong with it."""
    where = where or "WORKBENCH_ENDPOINTS"
    try:
        defined = json.loads(text)
    except ValueError as error:
        raise EndpointError(f"{where} is not valid JSON: {error}.") from None
    if not isinstance(defined, dict):
        raise EndpointError(
            f"{where} must be a JSON object of endpoints by name, e.g. "
            '{"office-gpu": {"preset": "vllm", "base_url": "http://gpu1:8000/v1"}}.'
        )
    return {name: _endpoint(name, entry, environ, where) for name, entry in defined.items()}


def _endpoint(name, entry, environ, where) -> Endpoint:
    if not name or not set(name) <= NAME_CHARS or len(name) > 40:
        raise EndpointError(
            f"{where}: the endpoint name “{name}” must be 1 to 40 lower-case letters, digits, "
            "“-”, “_” or “.”."
        )
    if not isinstance(entry, dict):
        raise EndpointError(f"{where}: the endpoint “{name}” must be a JSON object.")
    if "api_key" in entry:
        raise EndpointError(
            f"{where}: the endpoint “{name}” has its API key written in; keys belong in the "
            "environment. Put it in a variable and name the variable in “api_key_env”."
        )
    unknown = set(entry) - FIELDS
    if unknown:
        raise EndpointError(
            f"{where}: the endpoint “{name}” has unknown settings {', '.join(sorted(unknown))}; "
            f"the settings are {', '.join(sorted(FIELDS))}."
        )
    preset_name = entry.get("preset", "openai-compatible")
    preset = PRESETS.get(preset_name)
    if preset is None:
        raise EndpointError(
            f"{where}: the endpoint “{name}” has the unknown preset “{preset_name}”; choose "
            f"one of {', '.join(PRESETS)}."
        )
    base_url = str(entry.get("base_url") or preset.base_url).strip()
    check_base_url(base_url, f"{where}: the endpoint “{name}”", preset)
    key_env = str(entry.get("api_key_env") or preset.api_key_env)
    models = entry.get("models", [])
    if not isinstance(models, list) or not all(isinstance(m, str) and m for m in models):
        raise EndpointError(f"{where}: “models” of the endpoint “{name}” must be a list of names.")
    return Endpoint(
        name=name,
        base_url=base_url,
        preset=preset_name,
        label=str(entry.get("label", ""))[:100],
        api_key_env=key_env,
        models=tuple(models),
        api_key=environ.get(key_env, "") if key_env else "",
    )


def check_base_url(base_url, what, preset=None):
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        example = (preset and (preset.base_url or preset.base_url_example)) or (
            "http://127.0.0.1:8000/v1"
        )
        raise EndpointError(
            f"{what} has no usable address (“{base_url}”); give its base URL, e.g. {example}."
        )


def default_endpoint(base_url, api_key="", label="") -> Endpoint:
    """The endpoint of OPENAI_BASE_URL and OPENAI_API_KEY."""
    check_base_url(base_url, "OPENAI_BASE_URL")
    host = urlsplit(base_url).hostname or ""
    preset = "openai" if host == "api.openai.com" else "openai-compatible"
    return Endpoint(
        name=DEFAULT_ENDPOINT,
        base_url=base_url,
        preset=preset,
        label=label,
        api_key_env="OPENAI_API_KEY",
        api_key=api_key,
    )


class RoleClients:
    """The agents' client when roles use different endpoints: one `LLMClient` per
    endpoint, each role's calls sent to its own. It offers what the pipeline uses of a
    client, `complete` and `close`."""

    def __init__(self, endpoints_by_role: Mapping[str, Endpoint], *, budget_for=None, **options):
        """`options` go to each `LLMClient`; `budget_for(base_url)` gives each endpoint
        its shared rate budget."""
        clients: dict[str, LLMClient] = {}
        self._by_role: dict[str, LLMClient] = {}
        for role, endpoint in endpoints_by_role.items():
            if endpoint.name not in clients:
                budget = budget_for(endpoint.base_url) if budget_for else None
                clients[endpoint.name] = endpoint.client(budget=budget, **options)
            self._by_role[role] = clients[endpoint.name]
        self._clients = list(clients.values())
        self._fallback = self._by_role.get("translator") or self._clients[0]

    def complete(self, role, prompt_version, model, messages, schema, **options):
        client = self._by_role.get(CALL_ROLES.get(role, role), self._fallback)
        return client.complete(role, prompt_version, model, messages, schema, **options)

    def forget(self, record) -> None:
        """The caller could not use this call's answer (see `LLMClient.forget`)."""
        client = self._by_role.get(CALL_ROLES.get(record.role, record.role), self._fallback)
        client.forget(record)

    def close(self) -> None:
        for client in self._clients:
            client.close()
