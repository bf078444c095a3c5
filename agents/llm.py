"""The one client every agent uses to call a model, over any OpenAI-compatible endpoint.

It asks for structured output: a strict JSON schema; JSON mode for servers that refuse
schemas; no `response_format` at all (the schema in the prompt) for servers that refuse
both. It reads the JSON object out of whatever comes around it (reasoning in `<think>`
blocks or in `reasoning_content`, code fences, prose before or after), validates it with
pydantic, asks once for a repair when it does not fit, retries only transient failures
(waiting longer after each timeout, so a slow server is answered the second time), and
reports every call as a `CallRecord`.

Three optional helpers fit it for a job with many threads and many workers:
- a `CallJournal` records each call before its request leaves and completes the record
  when it returns, and gives back the stored answer to a request already answered, so the
  same request is never paid for twice;
- a `RateBudget` shared by every worker paces requests to the endpoint's limits, and hears
  of every 429 so that every caller waits, not only the one told;
- `CallSlots` (agents/limits.py) cap the requests in flight and let earlier stages go first.
"""

import email.utils
import hashlib
import json
import random
import re
import time
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Protocol, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from agents.batching import estimate_tokens
from agents.context import CallRecord
from agents.prompts import data_block
from agents.schemas import strict_json_schema

SCHEMA_MODE = "json_schema"
JSON_MODE = "json_object"
# No response_format: the schema travels in the system prompt and the answer is read out
# of plain text (older llama.cpp and Ollama builds, some proxies).
PLAIN_MODE = "plain"
# What to try next when a server refuses a structured-output mode with HTTP 400.
FALLBACK_MODES = {SCHEMA_MODE: JSON_MODE, JSON_MODE: PLAIN_MODE}
# Outcomes whose answer may stand in for a repeated request.
ANSWERED = ("ok", "repaired")
REUSED = "reused"
# A timed-out request is sent again with twice the wait, up to this many times the read
# timeout: a server slower than the timeout (a long first token) is then answered.
TIMEOUT_GROWTH_LIMIT = 4

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


class CallJournal(Protocol):
    """Where a job keeps its model calls (the workbench: `ModelCall` rows)."""

    def answer_to(self, key: str) -> str | None:
        """The stored answer (JSON) of an earlier successful call with this key, if any."""

    def dispatch(self, record: CallRecord, prompt_tokens: int) -> None:
        """Called before each request of the call leaves, the first one and every retry;
        returns once the record is stored. `prompt_tokens` is the request's estimate."""

    def complete(self, record: CallRecord, answer: str) -> None:
        """Called once when a dispatched call ends; `answer` is "" when there is none."""

    def forget(self, key: str) -> None:
        """The answer to this request did not serve (it left out what was asked): ask
        again next time rather than reuse it."""


class RateBudget(Protocol):
    """An endpoint's requests and tokens per minute, shared by everyone who calls it."""

    def wait_turn(self, tokens: int) -> None:
        """Block until one more request of about `tokens` tokens may go."""

    def settle(self, tokens: int) -> None:
        """Tokens the request really used beyond its estimate (negative: fewer)."""

    def hold(self, seconds: float) -> None:
        """The server said wait (429): nobody sends for `seconds`."""


RecordSink = Callable[[CallRecord], None] | list[CallRecord] | None

# The invalid answer goes back inside a data block, not as an assistant turn: it may quote
# document text, which must stay data (invariant 6).
REPAIR_REQUEST = (
    "Your previous answer, in the data block below as previous_answer, could not be used: "
    "{problem}\n"
    "Reply again with only the corrected JSON object, following the same schema. "
    "Keep every translation as it was unless the problem concerns it.\n\n{previous}"
)


def request_key(
    role: str,
    model: str,
    prompt_version: str,
    messages: list[dict],
    schema: type[BaseModel],
    response_mode: str,
) -> str:
    """The idempotency key of a request: the same key is the same question, so its
    answer may be reused."""
    canonical = json.dumps(
        [role, model, prompt_version, messages, strict_json_schema(schema), response_mode],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class _Answered(Exception):
    """The journal holds the answer to this request already."""

    def __init__(self, text: str):
        super().__init__("answered before")
        self.text = text


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
        rate_limit_patience: float | None = None,
        sink: RecordSink = None,
        journal: CallJournal | None = None,
        budget: RateBudget | None = None,
        slots=None,
    ):
        """`rate_limit_patience`: with None, a 429 counts as a failed attempt like a 500;
        with seconds, 429s are waited out for that long before the call fails, so a
        storm of them slows a job down instead of failing it. `slots` is a `CallSlots`."""
        self.base_url = base_url
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.max_retry_after_seconds = max_retry_after_seconds
        self.rate_limit_patience = rate_limit_patience
        self.sink = sink
        self.journal = journal
        self.budget = budget
        self.slots = slots
        # Stepped down, for the life of the client, each time the server refuses a mode.
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
        *,
        priority: int = 0,
    ) -> tuple[Answer, CallRecord]:
        """The model's answer parsed as `schema`, and the record of the call. Raises an
        `LLMError` (with `.record`) when there is no usable answer. With call slots, a
        lower `priority` is sent first."""
        # "failed" until an answer is parsed, so even an unexpected exception is counted.
        record = CallRecord(role=role, model=model, prompt_version=prompt_version, outcome="failed")
        started = time.monotonic()
        answer = None
        try:
            answer = self._answer(record, messages, schema, priority)
        except _Answered as earlier:
            answer = schema.model_validate_json(earlier.text)
            record.outcome = REUSED
        except LLMError as error:
            record.outcome = error.outcome
            record.error = _join(record.error, str(error))
            error.record = record
            raise
        finally:
            record.latency_ms = round((time.monotonic() - started) * 1000)
            if self.journal is not None and record.call_id is not None:
                answered = answer is not None and record.outcome in ANSWERED
                self.journal.complete(record, answer.model_dump_json() if answered else "")
            self._report(record)
        return answer, record

    def forget(self, record: CallRecord) -> None:
        """The caller could not use the answer of this call: the same request is sent
        again next time instead of being answered from the journal."""
        if self.journal is not None and record.key:
            self.journal.forget(record.key)

    def close(self) -> None:
        self._openai.close()

    def _answer(self, record: CallRecord, messages: list[dict], schema, priority: int):
        self._look_up(record, messages, schema)
        text = self._request(record, messages, schema, priority, keyed=True)
        try:
            answer = parse_answer(text, schema)
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
        text = self._request(record, repair, schema, priority, keyed=False)
        try:
            answer = parse_answer(text, schema)
        except ValidationError as invalid:
            raise LLMInvalidOutput(
                f"The {record.role}'s answer did not fit the expected form ({schema.__name__}), "
                f"even after one request to correct it: {_describe(invalid)}. Try again, or "
                "choose a model that supports structured output."
            ) from invalid
        record.outcome = "repaired"
        return answer

    def _look_up(self, record: CallRecord, messages: list[dict], schema) -> None:
        """Key the call as it will be sent now; raise _Answered when the journal has its
        answer already."""
        record.key = request_key(
            record.role, record.model, record.prompt_version, messages, schema, self.response_mode
        )
        if self.journal is not None:
            stored = self.journal.answer_to(record.key)
            if stored is not None:
                raise _Answered(stored)

    def _request(
        self, record: CallRecord, messages: list[dict], schema, priority: int, *, keyed: bool
    ) -> str:
        """The text of one answer, retrying transient failures with backoff. `keyed`: the
        messages are the call's own (not a repair), so a change of mode re-keys it."""
        rate_limited = _RateLimitWait()
        try:
            return self._request_until_answered(
                record, messages, schema, priority, keyed, rate_limited
            )
        finally:
            if rate_limited.times:
                record.error = _join(record.error, rate_limited.summary())

    def _request_until_answered(self, record, messages, schema, priority, keyed, rate_limited):
        failures = timeouts = 0
        while True:
            mode = self.response_mode
            framed = framed_messages(messages, schema, mode)
            prompt_tokens = _prompt_tokens(framed, schema, mode)
            timeout = min(self.read_timeout * TIMEOUT_GROWTH_LIMIT, self.read_timeout * 2**timeouts)
            try:
                response = self._send(
                    record, framed, schema, mode, prompt_tokens, timeout, priority
                )
            except openai.BadRequestError as error:
                fallback = FALLBACK_MODES.get(mode)
                if fallback and _refuses_response_format(error):
                    if self.response_mode == mode:
                        self.response_mode = fallback
                    record.error = _join(
                        record.error, f"server refused {mode}; using {self.response_mode}"
                    )
                    if keyed:
                        self._look_up(record, messages, schema)
                    continue
                raise LLMRefused(self._refusal(error)) from error
            except openai.APIError as error:
                transient = self._transient(error)
                if transient is None:
                    raise LLMRefused(self._refusal(error)) from error
                failure, delay = transient
                status = getattr(error, "status_code", None)
                patient = status == 429 and self.rate_limit_patience is not None
                if patient:
                    wait = delay(rate_limited.times + 1)
                    if rate_limited.waited + wait > self.rate_limit_patience:
                        raise LLMRateLimited(
                            f"The model server at {self.base_url} kept answering 'too many "
                            f"requests' (HTTP 429) for {rate_limited.waited:.0f} s. Lower the "
                            "requests or tokens per minute (WORKBENCH_MODEL_RPM, "
                            "WORKBENCH_MODEL_TPM) or try again later."
                        ) from error
                    rate_limited.note(wait)
                else:
                    failures += 1
                    if failures >= self.max_attempts:
                        raise failure from error
                    wait = delay(failures)
                    detail = f"HTTP {status}" if status else error.message
                    record.error = _join(
                        record.error, f"attempt {record.attempts}: {failure.outcome} ({detail})"
                    )
                if isinstance(error, openai.APITimeoutError):
                    timeouts += 1
                if status == 429 and self.budget is not None:
                    # Everyone waits, this caller included (its next turn comes after).
                    self.budget.hold(wait)
                else:
                    time.sleep(wait)
                continue
            return self._text(record, response, prompt_tokens)

    def _send(self, record, framed, schema, mode, prompt_tokens, timeout, priority):
        """One HTTP request: in a call slot, in the endpoint's budget, journalled first."""
        slot = self.slots.taken(priority) if self.slots is not None else nullcontext()
        with slot:
            if self.budget is not None:
                self.budget.wait_turn(prompt_tokens)
            record.attempts += 1
            record.response_format = mode
            if self.journal is not None:
                self.journal.dispatch(record, prompt_tokens)
            options = {}
            if mode != PLAIN_MODE:
                options["response_format"] = response_format(schema, mode)
            return self._openai.chat.completions.create(
                model=record.model,
                messages=framed,
                timeout=openai.Timeout(timeout, connect=self.connect_timeout),
                **options,
            )

    def _text(self, record: CallRecord, response, prompt_tokens: int) -> str:
        choice = response.choices[0] if response.choices else None
        text = ""
        if choice is not None:
            text = choice.message.content or ""
            if not text.strip():
                # Some reasoning servers leave content empty and put everything here.
                text = (choice.message.model_extra or {}).get("reasoning_content") or ""
        used_in, used_out = prompt_tokens, estimate_tokens(text)
        if response.usage is not None:
            used_in = response.usage.prompt_tokens or 0
            used_out = response.usage.completion_tokens or 0
        record.tokens_in += used_in
        record.tokens_out += used_out
        if self.budget is not None:
            self.budget.settle(used_in + used_out - prompt_tokens)
        if choice is None:
            return ""
        if choice.finish_reason == "length":
            raise LLMTruncated(
                f"The {record.role}'s answer was cut off at the model's output limit. Send fewer "
                "segments per call (a smaller token budget) or raise the model's output limit."
            )
        refusal = getattr(choice.message, "refusal", None)
        if choice.finish_reason == "content_filter" or refusal:
            raise LLMRefused(
                f"The model declined to answer as {record.role}"
                + (f": {refusal}" if refusal else ".")
            )
        return text

    def _transient(self, error: openai.APIError):
        """(the failure to raise if attempts run out, delay before attempt n), or None when
        the error is not worth retrying."""
        if isinstance(error, openai.APITimeoutError):
            longest = self.read_timeout * min(TIMEOUT_GROWTH_LIMIT, 2 ** (self.max_attempts - 1))
            return (
                LLMTimeout(
                    f"The model server at {self.base_url} did not answer within "
                    f"{self.read_timeout:g} s, {self.max_attempts} times (waiting up to "
                    f"{longest:g} s the last time). Check that it is running and not "
                    "overloaded, or raise the read timeout (OPENAI_TIMEOUT_SECONDS)."
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

    def _report(self, record: CallRecord) -> None:
        if isinstance(self.sink, list):
            self.sink.append(record)
        elif self.sink is not None:
            self.sink(record)


def response_format(schema: type[BaseModel], mode: str) -> dict | None:
    """What a request in `mode` asks of the server: a strict schema, JSON mode, or (plain)
    nothing."""
    if mode == JSON_MODE:
        return {"type": JSON_MODE}
    if mode != SCHEMA_MODE:
        return None
    return {
        "type": SCHEMA_MODE,
        "json_schema": {
            "name": schema.__name__,
            "schema": strict_json_schema(schema),
            "strict": True,
        },
    }


def framed_messages(messages: list[dict], schema: type[BaseModel], mode: str) -> list[dict]:
    """Without a schema in response_format, the schema travels in the system prompt."""
    if mode == SCHEMA_MODE:
        return messages
    described = (
        f'Answer with one JSON object that follows the JSON schema named "{schema.__name__}":\n'
        + json.dumps(strict_json_schema(schema), ensure_ascii=False)
    )
    if messages and messages[0]["role"] == "system":
        first = {**messages[0], "content": f"{messages[0]['content']}\n\n{described}"}
        return [first, *messages[1:]]
    return [{"role": "system", "content": described}, *messages]


class _RateLimitWait:
    """How often and how long one call waited out 429s, noted once in its record rather
    than once per attempt (a storm may last minutes)."""

    def __init__(self):
        self.times = 0
        self.waited = 0.0

    def note(self, seconds: float) -> None:
        self.times += 1
        self.waited += seconds

    def summary(self) -> str:
        return f"rate limited (HTTP 429) {self.times} time(s), waited {self.waited:.1f} s"


_THINKING = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.DOTALL | re.IGNORECASE)
# Reasoning cut off before its end: there is no answer after it.
_UNCLOSED_THINKING = re.compile(r"^\s*<think(?:ing)?>.*", re.DOTALL | re.IGNORECASE)
# Braces to try in one answer; prose rarely holds more than a few.
MAX_CANDIDATES = 20


def parse_answer(text: str, schema: type[Answer]) -> Answer:
    """The first JSON object in a model's answer that fits `schema`, wherever it is:
    reasoning blocks are skipped, and code fences or prose around the object do not
    matter (braces and quotes inside JSON strings are read as JSON). Raises the
    ValidationError of the first object, or of the first that is not even JSON, which
    is what the repair request describes."""
    text = _UNCLOSED_THINKING.sub("", _THINKING.sub("", text))
    decoder = json.JSONDecoder()
    first_error = None
    position = 0
    for _ in range(MAX_CANDIDATES):
        start = text.find("{", position)
        if start < 0:
            break
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            if first_error is None:
                try:
                    return schema.model_validate_json(text[start:])
                except ValidationError as invalid:
                    first_error = invalid
            position = start + 1
            continue
        if not isinstance(value, dict):
            position = start + 1
            continue
        try:
            return schema.model_validate(value)
        except ValidationError as invalid:
            first_error = first_error or invalid
        position = end
    if first_error is not None:
        raise first_error
    return schema.model_validate_json(text.strip())


def _prompt_tokens(messages: list[dict], schema: type[BaseModel], mode: str) -> int:
    tokens = sum(estimate_tokens(str(message.get("content") or "")) for message in messages)
    if mode == SCHEMA_MODE:
        tokens += estimate_tokens(json.dumps(strict_json_schema(schema)))
    return tokens


def _describe(invalid: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or 'answer'}: {error['msg']}"
        for error in invalid.errors()[:8]
    ]
    return "; ".join(problems)


def _refuses_response_format(error: openai.BadRequestError) -> bool:
    text = f"{error.message} {error.body}".lower()
    return any(word in text for word in ("response_format", "json_schema", "json_object"))


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
