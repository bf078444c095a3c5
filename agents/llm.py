"""The one client every agent uses to call a model, over any OpenAI-compatible endpoint.

It asks for structured output (a strict JSON schema, or plain JSON mode for servers that
refuse schemas), validates the answer with pydantic, asks once for a repair when the answer
is invalid, retries only transient failures, and reports every call as a `CallRecord`.
"""

import email.utils
import json
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import openai
from pydantic import BaseModel, ValidationError

from agents.batching import estimate_tokens
from agents.context import CallRecord
from agents.prompts import data_block
from agents.schemas import strict_json_schema

SCHEMA_MODE = "json_schema"
JSON_MODE = "json_object"


Answer = TypeVar("Answer", bound=BaseModel)


class LLMError(Exception):
    """A model call that produced no usable answer. The message is for people."""

    outcome = "failed"

    def __init__(self, message: str):
        super().__init__(message)
        self.record: CallRecord | None = None


class LLMUnavailable(LLMError):
    """Transient failures went on for every allowed attempt."""


class LLMTimeout(LLMUnavailable):
    outcome = "timeout"


class LLMConnectionFailed(LLMUnavailable):
    outcome = "connection_error"


class LLMRateLimited(LLMUnavailable):
    outcome = "rate_limited"


class LLMServerError(LLMUnavailable):
    outcome = "server_error"


class LLMRefused(LLMError):
    """The server or the model declined the request; sending it again will not help."""

    outcome = "refused"


class LLMInvalidOutput(LLMError):
    outcome = "invalid"


class LLMTruncated(LLMError):
    """The answer hit the output limit (finish_reason "length"): never used as a result."""

    outcome = "truncated"


RecordSink = Callable[[CallRecord], None] | list[CallRecord] | None

# The invalid answer goes back inside a data block, not as an assistant turn: it may quote
# document text, which must stay data (invariant 6).
REPAIR_REQUEST = (
    "Your previous answer, in the data block below as previous_answer, could not be used: "
    "{problem}\n"
    "Reply again with only the corrected JSON object, following the same schema. "
    "Keep every translation as it was unless the problem concerns it.\n\n{previous}"
)


class LLMClient:
    def __init__(
        self,
        base_url: str,
        api_key: str = "",
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 120.0,
        max_attempts: int = 3,
        backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 30.0,
        max_retry_after_seconds: float = 60.0,
        sink: RecordSink = None,
    ):
        self.base_url = base_url
        self.read_timeout = read_timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.max_retry_after_seconds = max_retry_after_seconds
        self.sink = sink
        # Switched to JSON mode, for the life of the client, once the server refuses schemas.
        self.response_mode = SCHEMA_MODE
        self._openai = openai.OpenAI(
            base_url=base_url,
            # Local servers need no key, but the SDK insists on one.
            api_key=api_key or "no-key",
            max_retries=0,
            timeout=openai.Timeout(read_timeout, connect=connect_timeout),
        )

    def complete(
        self,
        role: str,
        prompt_version: str,
        model: str,
        messages: list[dict],
        schema: type[Answer],
    ) -> tuple[Answer, CallRecord]:
        """The model's answer parsed as `schema`, and the record of the call. Raises an
        `LLMError` (with `.record`) when there is no usable answer."""
        # "failed" until an answer is parsed, so even an unexpected exception is counted.
        record = CallRecord(role=role, model=model, prompt_version=prompt_version, outcome="failed")
        started = time.monotonic()
        try:
            answer = self._answer(record, messages, schema)
        except LLMError as error:
            record.outcome = error.outcome
            record.error = _join(record.error, str(error))
            error.record = record
            raise
        finally:
            record.latency_ms = round((time.monotonic() - started) * 1000)
            self._report(record)
        return answer, record

    def close(self) -> None:
        self._openai.close()

    def _answer(self, record: CallRecord, messages: list[dict], schema: type[BaseModel]):
        text = self._request(record, messages, schema)
        try:
            answer = _parse(text, schema)
        except ValidationError as invalid:
            problem = _describe(invalid)
        else:
            record.outcome = "ok"
            return answer
        record.error = _join(record.error, f"invalid answer: {problem}")
        previous = data_block({"previous_answer": text})
        repair = [
            *messages,
            {"role": "user", "content": REPAIR_REQUEST.format(problem=problem, previous=previous)},
        ]
        text = self._request(record, repair, schema)
        try:
            answer = _parse(text, schema)
        except ValidationError as invalid:
            raise LLMInvalidOutput(
                f"The {record.role}'s answer did not fit the expected form ({schema.__name__}), "
                f"even after one request to correct it: {_describe(invalid)}. Try again, or "
                "choose a model that supports structured output."
            ) from invalid
        record.outcome = "repaired"
        return answer

    def _request(self, record: CallRecord, messages: list[dict], schema: type[BaseModel]) -> str:
        """The text of one answer, retrying transient failures with backoff."""
        failures = 0
        while True:
            record.attempts += 1
            record.response_format = self.response_mode
            try:
                response = self._openai.chat.completions.create(
                    model=record.model,
                    messages=self._framed(messages, schema),
                    response_format=self._response_format(schema),
                )
            except openai.BadRequestError as error:
                if self.response_mode == SCHEMA_MODE and _refuses_schemas(error):
                    self.response_mode = JSON_MODE
                    record.error = _join(
                        record.error, "server refused JSON schemas; using JSON mode"
                    )
                    continue
                raise LLMRefused(self._refusal(error)) from error
            except openai.APIError as error:
                transient = self._transient(error)
                if transient is None:
                    raise LLMRefused(self._refusal(error)) from error
                failure, delay = transient
                failures += 1
                if failures >= self.max_attempts:
                    raise failure from error
                status = getattr(error, "status_code", None)
                detail = f"HTTP {status}" if status else error.message
                record.error = _join(
                    record.error, f"attempt {record.attempts}: {failure.outcome} ({detail})"
                )
                time.sleep(delay(failures))
                continue
            return self._text(record, response)

    def _text(self, record: CallRecord, response) -> str:
        choice = response.choices[0] if response.choices else None
        text = (choice.message.content or "") if choice else ""
        if response.usage is not None:
            record.tokens_in += response.usage.prompt_tokens or 0
            record.tokens_out += response.usage.completion_tokens or 0
        else:
            record.tokens_out += estimate_tokens(text)
        if choice is None:
            return ""
        if choice.finish_reason == "length":
            raise LLMTruncated(
                f"The {record.role}'s answer was cut off at the model's output limit. Send fewer "
                "segments per call (a smaller token budget) or raise the model's output limit."
            )
        if choice.finish_reason == "content_filter" or getattr(choice.message, "refusal", None):
            raise LLMRefused(
                f"The model declined to answer as {record.role}"
                + (
                    f": {choice.message.refusal}"
                    if getattr(choice.message, "refusal", None)
                    else "."
                )
            )
        return text

    def _transient(self, error: openai.APIError):
        """(the failure to raise if attempts run out, delay before attempt n), or None when
        the error is not worth retrying."""
        if isinstance(error, openai.APITimeoutError):
            return (
                LLMTimeout(
                    f"The model server at {self.base_url} did not answer within "
                    f"{self.read_timeout:g} s, {self.max_attempts} times. Check that it is "
                    "running and not overloaded, or raise the read timeout."
                ),
                self._backoff,
            )
        if isinstance(error, openai.APIConnectionError):
            return (
                LLMConnectionFailed(
                    f"Could not connect to the model server at {self.base_url} "
                    f"({self.max_attempts} attempts). Check OPENAI_BASE_URL and that the server "
                    "is running."
                ),
                self._backoff,
            )
        status = getattr(error, "status_code", None)
        if status == 429 and getattr(error, "code", None) != "insufficient_quota":
            wait = _retry_after(error.response)
            failure = LLMRateLimited(
                f"The model server kept answering 'too many requests' (HTTP 429) for "
                f"{self.max_attempts} attempts. Lower the number of workers or try again later."
            )
            if wait is None:
                return failure, self._backoff
            return failure, lambda _: min(wait, self.max_retry_after_seconds)
        if status is not None and status >= 500:
            return (
                LLMServerError(
                    f"The model server failed with HTTP {status}, {self.max_attempts} times. "
                    "Try again later, or check the server's log."
                ),
                self._backoff,
            )
        return None

    def _backoff(self, failures: int) -> float:
        delay = min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (failures - 1))
        # Jitter, so workers that failed together do not retry together.
        return delay * random.uniform(0.5, 1.0)

    def _refusal(self, error: openai.APIError) -> str:
        status = getattr(error, "status_code", None)
        detail = getattr(error, "message", str(error))
        if status == 401:
            return (
                f"The model server refused the API key (HTTP 401). Check OPENAI_API_KEY. ({detail})"
            )
        if status == 403:
            return f"The API key may not use this model or endpoint (HTTP 403). ({detail})"
        if status == 404:
            return (
                "The model server has no such model or endpoint (HTTP 404). Check the model "
                f"names in the project settings and OPENAI_BASE_URL. ({detail})"
            )
        if status == 429:
            return f"The model account has no quota left (HTTP 429). ({detail})"
        return f"The model server rejected the request (HTTP {status}): {detail}"

    def _response_format(self, schema: type[BaseModel]) -> dict:
        if self.response_mode == JSON_MODE:
            return {"type": JSON_MODE}
        return {
            "type": SCHEMA_MODE,
            "json_schema": {
                "name": schema.__name__,
                "schema": strict_json_schema(schema),
                "strict": True,
            },
        }

    def _framed(self, messages: list[dict], schema: type[BaseModel]) -> list[dict]:
        """In JSON mode the schema travels in the system prompt instead."""
        if self.response_mode == SCHEMA_MODE:
            return messages
        described = (
            f'Answer with one JSON object that follows the JSON schema named "{schema.__name__}":\n'
            + json.dumps(strict_json_schema(schema), ensure_ascii=False)
        )
        if messages and messages[0]["role"] == "system":
            first = {**messages[0], "content": f"{messages[0]['content']}\n\n{described}"}
            return [first, *messages[1:]]
        return [{"role": "system", "content": described}, *messages]

    def _report(self, record: CallRecord) -> None:
        if isinstance(self.sink, list):
            self.sink.append(record)
        elif self.sink is not None:
            self.sink(record)


def _parse(text: str, schema: type[BaseModel]):
    stripped = text.strip()
    # Models in JSON mode sometimes fence their answer like Markdown.
    if stripped.startswith("```"):
        stripped = stripped.strip("`").removeprefix("json").strip()
    return schema.model_validate_json(stripped)


def _describe(invalid: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or 'answer'}: {error['msg']}"
        for error in invalid.errors()[:8]
    ]
    return "; ".join(problems)


def _refuses_schemas(error: openai.BadRequestError) -> bool:
    text = f"{error.message} {error.body}".lower()
    return "response_format" in text or "json_schema" in text


def _retry_after(response) -> float | None:
    """Seconds the server asked us to wait, from Retry-After-Ms or Retry-After (seconds or
    an HTTP date)."""
    if response is None:
        return None
    headers = response.headers
    try:
        if "retry-after-ms" in headers:
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        if "retry-after" in headers:
            value = headers["retry-after"]
            try:
                return max(0.0, float(value))
            except ValueError:
                when = email.utils.parsedate_to_datetime(value)
                return max(0.0, (when - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None
    return None


def _join(earlier: str, later: str) -> str:
    return f"{earlier}; {later}" if earlier else later
