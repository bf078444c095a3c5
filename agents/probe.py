"""Testing a model endpoint before the agents depend on it: one tiny call per role, in the
role's own prompt and answer form, and a verdict in words.

For one endpoint, model and role, `probe` finds out:
- whether the server answers at all, and accepts the key;
- whether it lists the model (GET /models);
- which structured-output mode works: a strict JSON schema, JSON mode, or plain JSON
  that needs cleaning up (code fences, reasoning before the answer, prose around it);
- how long the answer took, and the tokens it used, from which the tokens of 1,000 words
  are estimated;
- and what to fix, in words, when something does not work.

It calls the server with the `openai` SDK directly, not through `LLMClient`, because it
must see each mode's answer as it is, before any fallback. Free of Django.
"""

import time
from dataclasses import dataclass, field

import openai
from pydantic import BaseModel, ValidationError

from agents import prompts
from agents.batching import estimate_tokens
from agents.context import LanguagePair, SegmentInput
from agents.endpoints import Endpoint
from agents.llm import (
    JSON_MODE,
    PLAIN_MODE,
    SCHEMA_MODE,
    framed_messages,
    parse_answer,
    response_format,
)
from agents.schemas import (
    AnnotatorOutput,
    DocumentBrief,
    ProofreaderOutput,
    TranslatorOutput,
)

SCHEMA, REPAIR = SCHEMA_MODE, PLAIN_MODE
MODE_LABELS = {
    SCHEMA: "JSON schema (strict structured output)",
    JSON_MODE: "JSON mode, with the schema in the prompt",
    REPAIR: "plain JSON, cleaned up by the client",
}
READY, USABLE, UNUSABLE = "ready", "usable", "unusable"
SAMPLE_ID = "1"
# Segments the agents send per Translator call, in estimated tokens (drafting/context.py).
BATCH_TOKENS = 3000
LISTED_SHOWN = 12


@dataclass(frozen=True)
class Sample:
    """What the test call translates or reviews: a segment of the project's own, so the
    answer shows what the model will do with the real work."""

    source: str
    target: str = ""
    words: int = 0
    pair: LanguagePair = field(default_factory=lambda: LanguagePair("en", "zh-Hant-HK"))


@dataclass
class ProbeReport:
    role: str
    endpoint: str
    base_url: str
    model: str
    reachable: bool | None = None  # None: not tried (a key is missing)
    listed: bool | None = None  # None: the server does not list its models
    models_listed: list[str] = field(default_factory=list)
    mode: str | None = None
    latency_ms: int | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    # Estimated tokens in and out for 1,000 words of source; None for the brief, which
    # is one call per document.
    per_1000_words: tuple[int, int] | None = None
    problems: list[str] = field(default_factory=list)  # what to fix
    notes: list[str] = field(default_factory=list)  # what is worth knowing

    @property
    def verdict(self) -> str:
        if self.mode is None or self.problems:
            return UNUSABLE
        return READY if self.mode == SCHEMA else USABLE

    @property
    def mode_label(self) -> str:
        return MODE_LABELS.get(self.mode, "none")

    @property
    def summary(self) -> str:
        if self.verdict == READY:
            return "Ready: the model answers in the form the agents need."
        if self.verdict == USABLE:
            return "Usable: the agents fall back to " + MODE_LABELS[self.mode] + "."
        return "Cannot be used: " + " ".join(self.problems)


SCHEMAS = {
    "translator": TranslatorOutput,
    "annotator": AnnotatorOutput,
    "proofreader": ProofreaderOutput,
    "brief": DocumentBrief,
}


def probe(endpoint: Endpoint, model: str, role: str, sample: Sample, *, timeout=30.0):
    """Test the role's use of `model` on `endpoint`. The server's failures end up in the
    report, in words; nothing is raised for them."""
    report = ProbeReport(role=role, endpoint=endpoint.name, base_url=endpoint.base_url, model=model)
    missing = endpoint.missing_key()
    if missing:
        report.problems.append(missing)
        return report
    client = openai.OpenAI(
        base_url=endpoint.base_url,
        api_key=endpoint.api_key or "no-key",
        max_retries=0,
        timeout=openai.Timeout(timeout, connect=min(5.0, timeout)),
    )
    try:
        _check_listing(client, endpoint, model, report)
        _find_mode(client, endpoint, model, role, sample, report)
    except openai.APIError as error:
        report.reachable = not isinstance(error, openai.APIConnectionError)
        report.problems.append(_explain(error, endpoint, model, timeout))
    finally:
        client.close()
    _redact(report, endpoint.api_key)
    return report


def _check_listing(client, endpoint, model, report):
    """Whether the server lists the model; only connection and key failures stop here."""
    try:
        listed = [item.id for item in client.models.list()]
    except (openai.APIConnectionError, openai.AuthenticationError, openai.PermissionDeniedError):
        raise
    except openai.APIError:
        report.reachable = True
        report.notes.append(
            "The server does not list its models (GET /models), so the name was not checked."
        )
        return
    report.reachable = True
    report.models_listed = listed[:LISTED_SHOWN]
    report.listed = model in listed
    if not report.listed:
        shown = ", ".join(listed[:LISTED_SHOWN]) or "none"
        report.notes.append(
            f"The server does not list the model “{model}”; it lists: {shown}. "
            f"{endpoint.shape.model_missing_hint}"
        )


def _find_mode(client, endpoint, model, role, sample, report):
    """Try a strict JSON schema, then JSON mode, then plain JSON, and keep the first
    that gives a valid answer."""
    schema = SCHEMAS[role]
    messages = _messages(role, sample)
    for mode in (SCHEMA, JSON_MODE, REPAIR):
        sent = framed_messages(messages, schema, mode)
        wanted = response_format(schema, mode)
        options = {"response_format": wanted} if wanted else {}
        started = time.monotonic()
        try:
            response = client.chat.completions.create(model=model, messages=sent, **options)
        except openai.BadRequestError as error:
            if mode != REPAIR and _refuses_format(error):
                report.notes.append(f"The server refused {MODE_LABELS[mode]} (HTTP 400).")
                continue
            raise
        latency = round((time.monotonic() - started) * 1000)
        content = _content(response)
        answer = _parse(content, schema, lenient=mode == REPAIR)
        if answer is None or not _answers_the_sample(answer):
            shown = " ".join(content.split())[:120] or "nothing"
            report.notes.append(
                f"Asked for {MODE_LABELS[mode]}, the model answered with something else: “{shown}”."
            )
            continue
        report.mode, report.latency_ms = mode, latency
        usage = response.usage
        prompt_tokens = (usage and usage.prompt_tokens) or _estimate(sent)
        report.tokens_in = prompt_tokens
        report.tokens_out = (usage and usage.completion_tokens) or estimate_tokens(content)
        report.per_1000_words = _per_1000_words(
            role, sent, sample, prompt_tokens, report.tokens_out, _scaling_share(answer)
        )
        if mode != SCHEMA:
            report.notes.append(
                f"The agents will use {MODE_LABELS[mode]}, which fails more often than a "
                f"strict schema. {endpoint.shape.structured_hint}"
            )
        return
    report.problems.append(
        "The model answered, but not with the JSON the agents need, in any of the three ways "
        f"tried (JSON schema, JSON mode, plain JSON). {endpoint.shape.structured_hint}"
    )


def _messages(role, sample):
    pair, target = sample.pair, sample.target or sample.source
    if role == "translator":
        return prompts.translator_messages(
            pair,
            [SegmentInput(id=SAMPLE_ID, source=sample.source)],
            brief=None,
            fixed=[],
            before=[],
            after=[],
            glossary=[],
            tm_hints={},
            examples=[],
            lessons=[],
        )
    item = {"id": SAMPLE_ID, "source": sample.source, "target": target}
    if role == "annotator":
        item["check_findings"] = []
        return prompts.annotator_messages(pair, [item], brief=None, glossary=[], lessons=[])
    if role == "proofreader":
        item["issues"] = [
            {
                "span": "",
                "category": "style",
                "severity": "minor",
                "suggestion": "Keep the wording as it is.",
                "explanation": "A test of the connection; nothing needs changing.",
                "source": "annotator",
            }
        ]
        return prompts.proofreader_messages(pair, [item], brief=None, glossary=[], lessons=[])
    return prompts.brief_messages(pair, sample.source)


def _content(response):
    choice = response.choices[0] if response.choices else None
    return (choice.message.content or "") if choice else ""


def _parse(content, schema, *, lenient):
    """The answer as `schema`, or None. Leniently, as the agents' client reads a plain
    answer (past reasoning, code fences and prose); otherwise it must be the JSON alone,
    as a server that honours the structured-output mode gives it."""
    try:
        if lenient:
            return parse_answer(content, schema)
        return schema.model_validate_json(content.strip())
    except ValidationError:
        return None


def _answers_the_sample(answer: BaseModel) -> bool:
    """Valid JSON is not enough: the answer must be about the sample segment."""
    segments = getattr(answer, "segments", None)
    if segments is None:
        return True
    found = [segment for segment in segments if segment.id == SAMPLE_ID]
    return bool(found) and all(getattr(segment, "target", "x").strip() for segment in found)


def _per_1000_words(role, messages, sample, prompt_tokens, completion_tokens, out_share):
    """Tokens in and out for 1,000 words of source: the sample's share of the call scaled
    up, plus the fixed part (instructions, JSON around the text) once per batch of the
    size the agents send."""
    if role == "brief" or not sample.words:
        return None
    content = estimate_tokens(sample.source)
    if role != "translator":
        content += estimate_tokens(sample.target or sample.source)
    in_share = min(1.0, content / max(1, _estimate(messages)))
    scale = 1000 / sample.words
    calls = max(1.0, content * scale / BATCH_TOKENS)
    return (
        round(prompt_tokens * (in_share * scale + (1 - in_share) * calls)),
        round(completion_tokens * (out_share * scale + (1 - out_share) * calls)),
    )


def _scaling_share(answer):
    """The share of the answer that grows with the text (the translations); the rest is
    the JSON around them. An Annotator's issues grow with the text as a whole."""
    segments = getattr(answer, "segments", None)
    if segments is None or not all(hasattr(segment, "target") for segment in segments):
        return 1.0
    texts = sum(estimate_tokens(segment.target) for segment in segments)
    return min(1.0, texts / max(1, estimate_tokens(answer.model_dump_json())))


def _estimate(messages):
    return sum(estimate_tokens(message["content"]) for message in messages)


def _refuses_format(error):
    text = f"{error.message} {error.body}".lower()
    return any(word in text for word in ("response_format", "json_schema", "json_object"))


def _explain(error, endpoint, model, timeout):
    """What went wrong, in words, and what to do."""
    shape, url = endpoint.shape, endpoint.base_url
    detail = _detail(error)
    if isinstance(error, openai.APITimeoutError):
        return f"The server at {url} did not answer within {timeout:g} s. {shape.start_hint}"
    if isinstance(error, openai.APIConnectionError):
        cause = error.__cause__ or error
        return f"Could not connect to {url} ({cause}). {shape.start_hint}"
    if isinstance(error, openai.AuthenticationError):
        where = (
            f"Check ${endpoint.api_key_env}."
            if endpoint.api_key_env
            else "The endpoint sends no key; name the variable that holds one in api_key_env."
        )
        return f"The server refused the API key (HTTP 401). {where} ({detail})"
    if isinstance(error, openai.PermissionDeniedError):
        return f"The key may not use “{model}” on this server (HTTP 403). ({detail})"
    if isinstance(error, openai.NotFoundError):
        return (
            f"The server has no model “{model}”, or the address is not its API (HTTP 404; "
            f"OpenAI-compatible addresses usually end in /v1). {shape.model_missing_hint} "
            f"({detail})"
        )
    if isinstance(error, openai.RateLimitError):
        return f"The server is limiting requests or the account has no quota (HTTP 429). ({detail})"
    status = getattr(error, "status_code", None)
    if status and status >= 500:
        return f"The server failed (HTTP {status}); see its log. ({detail})"
    return f"The server rejected the test call (HTTP {status}): {detail}"


def _detail(error):
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else str(inner)
        if message:
            return str(message)[:500]
    return str(getattr(error, "message", error))[:500]


def _redact(report, key):
    """No key in what people read, even if a server echoes it."""
    if len(key) < 4:
        return
    report.problems = [text.replace(key, "•••") for text in report.problems]
    report.notes = [text.replace(key, "•••") for text in report.notes]
