"""An OpenAI-compatible model server on the loopback interface, for tests and benchmarks.

It answers `POST /v1/chat/completions` with JSON that fits the schema asked for, derived
deterministically from the request's `<document_data>` block: the Translator gets a
pseudo-translation that keeps numbers, dates, sums, citations and references in the target
language's form (so the deterministic checks pass), the Annotator flags every
`flag_every`-th segment (by the number in its id) with one major terminology issue quoting
a real span, and the Proofreader fixes exactly those issues. Faults (429 with Retry-After,
500, a stall beyond the client's timeout, malformed JSON, a cut-off answer) are chosen
deterministically from a seed and a request counter, or scripted one by one. Latency is
fixed or lognormal (a median and a 99th percentile, drawn from the seed and the request
counter, so a run always meets the same latencies). Every request body is recorded; GET /_stats
counts requests, 429s and the latency served.

It can also behave like the servers the agents meet in the wild (`shapes`, and the
settings after it): no `refusal` field, `json_schema` or any `response_format` refused
with HTTP 400, `response_format` ignored (JSON in prose), reasoning in `<think>` blocks or
in `reasoning_content`, code fences, trailing prose, full-width punctuation and braces
inside JSON strings, a very slow first byte; answers with ids missing, duplicated, extra
or merged into a neighbour's (only in answers for several segments, as models confused by
a batch do); and requests-per-minute and tokens-per-minute limits, or a storm of 429s.

    python tests/loopback_llm.py --port 8901 --latency-ms 300 --fault-rate 0.2
    python tests/loopback_llm.py --latency lognormal --latency-ms 2000 --latency-p99-ms 20000

In tests, the `loopback_llm` fixture starts one on a free port. Never imported by
production code.
"""

import argparse
import collections
import json
import math
import random
import re
import threading
import time
import zlib
from dataclasses import asdict, dataclass, field, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

FAULTS = ("rate_limit", "server_error", "stall", "malformed", "truncated")
SHAPES = (
    "no_refusal",  # messages without the `refusal` field
    "ignore_response_format",  # JSON as plain text, after a sentence of prose
    "think",  # <think>…</think> before the JSON
    "reasoning_content",  # the reasoning in message.reasoning_content
    "reasoning_only",  # content empty, the answer in reasoning_content (a parser's slip)
    "code_fence",  # ```json … ```
    "trailing_prose",  # a sentence after the JSON
    "fullwidth",  # full-width punctuation, curly quotes and braces inside the texts
)
# The 99th percentile of a standard normal: a lognormal's p99 is median × e^(σ·Z99).
Z99 = 2.3263
# Faults a test can script but that random faults never pick: they are not transient.
SCRIPTED_ONLY_FAULTS = ("bad_request", "unauthorized", "not_found")

DATA_BLOCK = re.compile(r"<document_data>\s*(.*?)\s*</document_data>", re.DOTALL)
SCHEMA_MARKER = re.compile(r'JSON schema named "(\w+)"')

# Characters written the same in Traditional and Simplified Chinese (in neither of
# OpenCC's tables), none a numeral or a unit the checks read (年月日元章條).
NEUTRAL_HAN = "法院判上人被告原定事理由命令用刑罪行品任利申批石山官公司土地工作文件本案犯查答"
ENGLISH_WORDS = [
    "court",
    "held",
    "that",
    "the",
    "case",
    "law",
    "fact",
    "order",
    "appeal",
    "party",
    "claim",
    "right",
    "duty",
    "judge",
    "evidence",
    "trial",
    "issue",
    "rule",
    "costs",
    "sum",
    "term",
    "act",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
REVISED_CJK = "（經校對）"
REVISED_LATIN = " (revised)"


@dataclass
class LoopbackConfig:
    latency_ms: int = 0
    fault_rate: float = 0.0
    faults: list[str] = field(default_factory=lambda: list(FAULTS))
    seed: int = 0
    # Faults for the next requests, in order; "ok" for a normal answer. Used before
    # random faults.
    plan: list[str] = field(default_factory=list)
    retry_after: float = 1.0
    stall_seconds: float = 3.0
    refuse_json_schema: bool = False
    flag_every: int = 5
    # The Proofreader answers without fixing anything.
    stubborn: bool = False
    # Segment ids the Translator leaves out of its answer.
    skip_ids: list[str] = field(default_factory=list)
    # Segment ids whose translation loses its digits: a planted critical error (a sum, a
    # date or a sentence's length gone) that only the deterministic checks see.
    drop_numbers_ids: list[str] = field(default_factory=list)
    # The Annotator flags revised text too (the Proofreader's mark does not satisfy it).
    flag_revised: bool = False
    # With flag_revised: the issue on a revised text names how often it was revised, so
    # each round's issue is a new one (without: the same issue again).
    new_issue_each_round: bool = False
    # "fixed": latency_ms; "lognormal": median latency_ms, 99th percentile latency_p99_ms.
    latency: str = "fixed"
    latency_p99_ms: int = 0
    # The status line and headers go at once, the body only after this long.
    first_token_ms: int = 0
    shapes: list[str] = field(default_factory=list)
    refuse_response_format: bool = False
    # In answers for more than one segment: ids left out, answered twice (the second time
    # differently), answered though not asked, or merged into the previous segment's text.
    missing_ids: list[str] = field(default_factory=list)
    duplicate_ids: list[str] = field(default_factory=list)
    extra_ids: list[str] = field(default_factory=list)
    merge_ids: list[str] = field(default_factory=list)
    # The provider's limits (0: none), over a sliding minute; a request over them gets 429
    # with the Retry-After that frees it.
    rpm: int = 0
    tpm: int = 0
    # Every request gets 429 (Retry-After: retry_after) for this long after it is set.
    storm_seconds: float = 0.0


class LoopbackLLM:
    """The server, its recorded requests and its settings; start() and stop() it."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **settings):
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._requests: list[dict] = []
        self._counter = 0
        self._storm_until = 0.0
        self._window: collections.deque[tuple[float, int]] = collections.deque()
        self.stats = {"requests": 0, "rate_limited": 0, "latency_seconds": 0.0}
        # Called with each chat request's body as it arrives, in the server's thread.
        self.on_request = None
        self._defaults = LoopbackConfig(**settings)
        self.config = LoopbackConfig(**asdict(self._defaults))
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "LoopbackLLM":
        # A short poll interval so that stop() returns at once.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def serve_forever(self) -> None:
        try:
            self._server.serve_forever()
        finally:
            self.stop()

    def configure(self, **settings) -> None:
        names = {f.name for f in fields(LoopbackConfig)}
        unknown = set(settings) - names
        if unknown:
            raise ValueError(f"Unknown loopback settings: {', '.join(sorted(unknown))}")
        unknown_shapes = set(settings.get("shapes", ())) - set(SHAPES)
        if unknown_shapes:
            raise ValueError(f"Unknown loopback shapes: {', '.join(sorted(unknown_shapes))}")
        with self._lock:
            for name, value in settings.items():
                setattr(self.config, name, value)
            if settings.get("storm_seconds"):
                self._storm_until = time.monotonic() + settings["storm_seconds"]

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._counter = 0
            self._storm_until = 0.0
            self._window.clear()
            self.stats = {"requests": 0, "rate_limited": 0, "latency_seconds": 0.0}
            self.config = LoopbackConfig(**asdict(self._defaults))

    @property
    def requests(self) -> list[dict]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, schema_name: str) -> list[dict]:
        """Recorded chat requests that asked for this schema (e.g. "TranslatorOutput")."""
        return [body for body in self.requests if schema_of(body) == schema_name]

    def _next(self, body: dict) -> tuple[int, str, LoopbackConfig, float]:
        """Record the request; decide its fault and, for a 429, the Retry-After."""
        with self._lock:
            self._requests.append(body)
            self._counter += 1
            self.stats["requests"] += 1
            config = LoopbackConfig(**asdict(self.config))
            if self.config.plan:
                fault = self.config.plan.pop(0)
            else:
                chance = random.Random(f"{config.seed}:{self._counter}")
                fault = "ok"
                if config.fault_rate and chance.random() < config.fault_rate:
                    fault = chance.choice(config.faults)
            retry_after = config.retry_after
            now = time.monotonic()
            if now < self._storm_until:
                fault = "rate_limit"
            elif config.rpm or config.tpm:
                wait = self._over_limit(body, config, now)
                if wait:
                    fault, retry_after = "rate_limit", wait
            if fault == "rate_limit":
                self.stats["rate_limited"] += 1
            return self._counter, fault, config, retry_after

    def _over_limit(self, body: dict, config: LoopbackConfig, now: float) -> float:
        """Seconds until this request fits the limits of the last minute, or 0 (and it
        is counted)."""
        while self._window and self._window[0][0] <= now - 60:
            self._window.popleft()
        tokens = sum(_estimate(_text(message)) for message in body.get("messages", []))
        wait = 0.0
        if config.rpm and len(self._window) >= config.rpm:
            wait = self._window[len(self._window) - config.rpm][0] + 60 - now
        if config.tpm:
            spent = sum(cost for _, cost in self._window)
            for moment, cost in self._window:
                if spent + tokens <= config.tpm:
                    break
                spent -= cost
                wait = max(wait, moment + 60 - now)
        if wait > 0:
            return max(wait, 0.01)
        self._window.append((now, tokens))
        return 0.0

    def _served(self, seconds: float) -> None:
        with self._lock:
            self.stats["latency_seconds"] += seconds


def schema_of(body: dict) -> str:
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return response_format.get("json_schema", {}).get("name", "")
    for message in body.get("messages", []):
        if message.get("role") == "system":
            found = SCHEMA_MARKER.search(_text(message))
            if found:
                return found.group(1)
    return ""


def document_data(body: dict) -> dict:
    """The JSON object in the first user message's data block."""
    for message in body.get("messages", []):
        if message.get("role") == "user":
            found = DATA_BLOCK.search(_text(message))
            if found:
                return json.loads(found.group(1))
    return {}


def _text(message: dict) -> str:
    content = message.get("content") or ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content


def _handler_for(loopback: LoopbackLLM):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # The headers and the body leave in two writes; with Nagle's algorithm the body
        # would wait for the client's delayed ACK of the headers, about 40 ms a call.
        disable_nagle_algorithm = True

        def log_message(self, format, *args):
            pass

        def do_GET(self):
            if self.path.rstrip("/") == "/v1/models":
                self._json(200, {"object": "list", "data": [{"id": "loopback", "object": "model"}]})
            elif self.path == "/_requests":
                self._json(200, loopback.requests)
            elif self.path == "/_stats":
                with loopback._lock:
                    self._json(200, dict(loopback.stats))
            else:
                self._json(404, {"error": {"message": f"No route {self.path}"}})

        def do_POST(self):
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            except (ValueError, UnicodeDecodeError):
                self._json(400, {"error": {"message": "The request body is not JSON."}})
                return
            if self.path == "/_config":
                try:
                    loopback.configure(**body)
                except (TypeError, ValueError) as error:
                    self._json(400, {"error": {"message": str(error)}})
                    return
                self._json(200, asdict(loopback.config))
            elif self.path == "/_reset":
                loopback.reset()
                self._json(200, {"reset": True})
            elif self.path.rstrip("/") == "/v1/chat/completions":
                self._chat(body)
            else:
                self._json(404, {"error": {"message": f"No route {self.path}"}})

        def _chat(self, body: dict):
            if loopback.on_request is not None:
                loopback.on_request(body)
            number, fault, config, retry_after = loopback._next(body)
            response_format = (body.get("response_format") or {}).get("type")
            if fault == "rate_limit":
                self._error(429, "Rate limit reached.", headers={"Retry-After": f"{retry_after:g}"})
                return
            latency = _latency(number, config)
            if latency:
                loopback._stopping.wait(latency)
                loopback._served(latency)
            if response_format and (
                config.refuse_response_format
                or (config.refuse_json_schema and response_format == "json_schema")
            ):
                self._error(
                    400,
                    f"response_format of type {response_format} is not supported"
                    + ("" if config.refuse_response_format else "; use json_object"),
                    param="response_format",
                )
                return
            if fault == "server_error":
                self._error(500, "The loopback server had an injected failure.")
                return
            if fault == "bad_request":
                self._error(400, "Invalid value for 'messages'.")
                return
            if fault == "unauthorized":
                self._error(401, "Incorrect API key provided.")
                return
            if fault == "not_found":
                self._error(404, f"The model '{body.get('model')}' does not exist.")
                return
            if fault == "stall":
                loopback._stopping.wait(config.stall_seconds)
            content, reasoning = shaped(answer(body, config), config.shapes)
            finish = "stop"
            if fault == "malformed":
                content = content[: max(1, len(content) // 3)] + ' "oops'
            elif fault == "truncated":
                content, finish = content[: len(content) // 2], "length"
            message = {"role": "assistant", "content": content}
            if "no_refusal" not in config.shapes:
                message["refusal"] = None
            if reasoning:
                message["reasoning_content"] = reasoning
            prompt = sum(_estimate(_text(m)) for m in body.get("messages", []))
            self._json(
                200,
                {
                    "id": f"chatcmpl-loopback-{number}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "loopback"),
                    "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                    "usage": {
                        "prompt_tokens": prompt,
                        "completion_tokens": _estimate(content),
                        "total_tokens": prompt + _estimate(content),
                    },
                },
                first_byte_after=config.first_token_ms / 1000,
            )

        def _error(self, status, message, *, param=None, headers=None):
            kind = {429: "rate_limit_error", 500: "server_error"}.get(
                status, "invalid_request_error"
            )
            payload = {"error": {"message": message, "type": kind, "param": param, "code": None}}
            self._json(status, payload, headers=headers)

        def _json(self, status, payload, headers=None, first_byte_after=0.0):
            data = json.dumps(payload, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                if first_byte_after:
                    self.wfile.flush()
                    loopback._stopping.wait(first_byte_after)
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up (a stall past its timeout): nothing left to tell it.
                pass

    return Handler


# Answers, by schema.


def answer(body: dict, config: LoopbackConfig) -> dict:
    data = document_data(body)
    schema = schema_of(body)
    target_language = data.get("target_language", "zh-Hant-HK")
    source_language = data.get("source_language", "en")
    segments = data.get("segments", [])
    if schema == "TranslatorOutput":
        answered = [
            {
                "id": segment["id"],
                "target": _styled(
                    _planted(
                        pseudo_translate(segment["source"], source_language, target_language),
                        segment["id"] in config.drop_numbers_ids,
                    ),
                    config,
                ),
            }
            for segment in segments
            if segment["id"] not in config.skip_ids
        ]
        return {"segments": _confused(answered, len(segments), config, text="target")}
    if schema == "AnnotatorOutput":
        answered = [
            {"id": segment["id"], "issues": _annotate(segment, target_language, config)}
            for segment in segments
        ]
        return {"segments": _confused(answered, len(segments), config)}
    if schema == "ProofreaderOutput":
        answered = [_proofread(segment, config) for segment in segments]
        return {"segments": _confused(answered, len(segments), config, text="target")}
    if schema == "RevisionOutput":
        segment = data.get("segment", {})
        return {
            "target": segment.get("target", "") + _revised_mark(target_language),
            "explanation": "Revised as instructed.",
        }
    if schema == "DocumentBrief":
        return _brief(data.get("excerpt", ""))
    return {}


def shaped(payload: dict, shapes: list[str]) -> tuple[str, str]:
    """The answer's content and reasoning_content, as a server of these shapes sends them."""
    content = json.dumps(payload, ensure_ascii=False)
    reasoning = ""
    if "ignore_response_format" in shapes:
        content = "Here is the JSON you asked for:\n" + json.dumps(
            payload, ensure_ascii=False, indent=2
        )
    if "code_fence" in shapes:
        content = f"```json\n{content}\n```"
    if "trailing_prose" in shapes:
        content += '\n\nI kept every citation as written; tell me if {"anything"} is unclear.'
    if "think" in shapes:
        content = (
            '<think>The user wants JSON like {"segments": []}. Let me translate each '
            "segment, keeping the citations.</think>\n" + content
        )
    if "reasoning_content" in shapes:
        reasoning = 'I should answer {"segments": [...]} with one entry per id.'
    if "reasoning_only" in shapes:
        content, reasoning = "", content
    return content, reasoning


def _planted(target: str, drop_numbers: bool) -> str:
    return re.sub(r"\d", "", target) if drop_numbers else target


def _styled(target: str, config: LoopbackConfig) -> str:
    if "fullwidth" not in config.shapes:
        return target
    return f'「{target}」：見“附表{{甲}}”，即"附件"。'


def _confused(answered: list[dict], asked: int, config: LoopbackConfig, text: str = "") -> list:
    """The answers as a model confused by a batch of `asked` segments gives them."""
    if asked < 2:
        return answered
    confused = []
    for item in answered:
        if item["id"] in config.missing_ids:
            continue
        if item["id"] in config.merge_ids and confused:
            if text:
                confused[-1] = {**confused[-1], text: confused[-1][text] + item[text]}
            continue
        confused.append(item)
        if item["id"] in config.duplicate_ids:
            again = {**item, text: item[text] + "（重複）"} if text else {**item, "issues": []}
            confused.append(again)
    for extra in config.extra_ids:
        confused.append({**answered[0], "id": extra} if answered else {"id": extra})
    return confused


def _latency(number: int, config: LoopbackConfig) -> float:
    """Seconds to wait before answering request `number`: fixed, or drawn from a lognormal
    distribution by the seed and the number, so a run of N requests always meets the same
    N latencies, whatever order its threads send them in."""
    if config.latency != "lognormal" or not config.latency_ms:
        return config.latency_ms / 1000
    median = config.latency_ms / 1000
    spread = math.log(max(config.latency_p99_ms, config.latency_ms) / config.latency_ms) / Z99
    draw = random.Random(f"{config.seed}:latency:{number}").gauss(0, 1)
    return median * math.exp(spread * draw)


def _annotate(segment: dict, target_language: str, config: LoopbackConfig) -> list[dict]:
    target = segment.get("target", "")
    mark = _revised_mark(target_language)
    if not _flagged(segment["id"], config.flag_every) or (
        mark in target and not config.flag_revised
    ):
        return []
    span = _first_word(target)
    if not span:
        return []
    return [
        {
            "span": span,
            "category": "terminology",
            "severity": "major",
            "suggestion": span + mark,
            "explanation": f"The term {span} is not the one the glossary uses."
            + (f" (revision {target.count(mark)})" if config.new_issue_each_round else ""),
        }
    ]


def _proofread(segment: dict, config: LoopbackConfig) -> dict:
    target = segment.get("target", "")
    resolutions = []
    for issue in segment.get("issues", []):
        if config.stubborn or not issue.get("span") or issue["span"] not in target:
            resolutions.append({"issue": issue.get("explanation", ""), "resolution": "Left as is."})
            continue
        target = target.replace(issue["span"], issue["suggestion"], 1)
        resolutions.append(
            {"issue": issue.get("explanation", ""), "resolution": f"Wrote {issue['suggestion']}."}
        )
    return {"id": segment["id"], "target": target, "resolutions": resolutions}


def _brief(excerpt: str) -> dict:
    roles = [
        role
        for role in ("appellant", "respondent", "plaintiff", "defendant")
        if role in excerpt.lower()
    ]
    case = re.search(r"[A-Z]{4,5} \d+/\d{4}", excerpt)
    court = re.search(
        r"(Court of Final Appeal|Court of Appeal|Court of First Instance|District Court)", excerpt
    )
    return {
        "court": court.group() if court else "",
        "case_number": case.group() if case else "",
        "parties": [
            {"name": role.title(), "role": role, "referred_to_as": f"the {role}"} for role in roles
        ],
        "judges": [],
        "defined_terms": [],
        "key_terms": [],
        "notes": "Brief prepared by the loopback server.",
    }


def _flagged(segment_id: str, every: int) -> bool:
    if every <= 0:
        return False
    digits = re.search(r"(\d+)$", str(segment_id))
    number = int(digits.group(1)) if digits else zlib.crc32(str(segment_id).encode())
    return number % every == 0


def _first_word(text: str) -> str:
    found = re.search(rf"[{NEUTRAL_HAN}]|[A-Za-z]{{3,}}", text)
    return found.group() if found else ""


def _revised_mark(language: str) -> str:
    return REVISED_CJK if language.lower().startswith("zh") else REVISED_LATIN


# Pseudo-translation: not a translation, but shaped like one for the checks.

# Tokens in double brackets (tags, withheld personal data) pass through whole, as the
# prompts tell a real model to keep them.
_KEPT = r"(?P<kept>\u27e6/?P?\d{1,5}\u27e7)|"
_EN_TOKENS = re.compile(
    _KEPT
    + r"(?P<citation>[\[(]\d{4}[\])]\s+(?:\d+\s+)?[A-Z][A-Za-z]*(?:\s+[A-Z][a-z]+)?\s+\d+|[A-Z]{3,5}\s?\d{1,5}/\d{4})"
    r"|(?P<cap>Cap\.?\s*(?P<cap_ref>\d+[A-Z]?))"
    r"|(?P<section>\b(?:s\.|section)\s*(?P<section_ref>\d+[A-Z]*(?:\(\w+\))*))"
    r"|(?P<money>HK\$\s?(?P<amount>\d[\d,]*(?:\.\d+)?))"
    r"|(?P<date>(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4}))"
    r"|(?P<number>\d[\d,]*(?:\.\d+)?)"
    r"|(?P<negation>\b(?i:not|no|never|without|unless|cannot|nothing|none|neither|nor)\b)"
    r"|(?P<word>[A-Za-z][A-Za-z'’-]*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_ZH_TOKENS = re.compile(
    _KEPT
    + r"(?P<citation>[\[(]\d{4}[\])]\s+(?:\d+\s+)?[A-Z][A-Za-z]*(?:\s+[A-Z][a-z]+)?\s+\d+|[A-Z]{3,5}\s?\d{1,5}/\d{4})"
    r"|(?P<cap>第(?P<cap_ref>\d+[A-Z]?)章)"
    r"|(?P<section>第(?P<section_ref>\d+[A-Z]*(?:\(\w+\))*)[條条])"
    r"|(?P<money>港[幣币](?P<amount>\d[\d,]*(?:\.\d+)?)元)"
    r"|(?P<date>(?P<year>\d{4})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日)"
    r"|(?P<number>\d[\d,]*(?:\.\d+)?)"
    r"|(?P<negation>沒有|[不未無非毋])"
    r"|(?P<han>(?:(?!第\d|港[幣币]\d|沒有|[不未無非毋])[\u4e00-\u9fff]){1,2})"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_TO_FULLWIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "(": "（", ")": "）"}
_TO_ASCII = {"，": ", ", "。": ". ", "；": "; ", "：": ": ", "（": " (", "）": ") ", "、": ", "}


def pseudo_translate(source: str, source_language: str, target_language: str) -> str:
    source_zh = source_language.lower().startswith("zh")
    target_zh = target_language.lower().startswith("zh")
    if target_zh and not source_zh:
        return _into_chinese(source, simplified=_is_simplified(target_language))
    if source_zh and not target_zh:
        return _into_english(source)
    return f"[{target_language}] {source}"


def _into_chinese(source: str, *, simplified: bool) -> str:
    out = []
    for token in _EN_TOKENS.finditer(source):
        if token["kept"]:
            out.append(token["kept"])
        elif token["citation"]:
            out.append(token["citation"])
        elif token["cap"]:
            out.append(f"第{token['cap_ref']}章")
        elif token["section"]:
            out.append(f"第{token['section_ref']}{'条' if simplified else '條'}")
        elif token["money"]:
            out.append(f"{'港币' if simplified else '港幣'}{token['amount']}元")
        elif token["date"]:
            month = MONTHS.index(token["month"]) + 1
            out.append(f"{token['year']}年{month}月{int(token['day'])}日")
        elif token["number"]:
            out.append(token["number"])
        elif token["negation"]:
            out.append("不")
        elif token["word"]:
            out.append(NEUTRAL_HAN[zlib.crc32(token["word"].lower().encode()) % len(NEUTRAL_HAN)])
        elif token["other"]:
            out.append(_TO_FULLWIDTH.get(token["other"], token["other"]))
    return "".join(out)


def _into_english(source: str) -> str:
    out = []
    for token in _ZH_TOKENS.finditer(source):
        if token["kept"]:
            out.append(f" {token['kept']} ")
        elif token["citation"]:
            out.append(f" {token['citation']} ")
        elif token["cap"]:
            out.append(f" Cap. {token['cap_ref']} ")
        elif token["section"]:
            out.append(f" s. {token['section_ref']} ")
        elif token["money"]:
            out.append(f" HK${token['amount']} ")
        elif token["date"]:
            out.append(f" {int(token['day'])} {MONTHS[int(token['month']) - 1]} {token['year']} ")
        elif token["number"]:
            out.append(f" {token['number']} ")
        elif token["negation"]:
            out.append(" not ")
        elif token["han"]:
            out.append(f" {ENGLISH_WORDS[zlib.crc32(token['han'].encode()) % len(ENGLISH_WORDS)]} ")
        elif token["other"]:
            out.append(_TO_ASCII.get(token["other"], token["other"]))
    text = " ".join("".join(out).split())
    return re.sub(r"\s+([,.;:)])", r"\1", text)


def _is_simplified(language: str) -> bool:
    tag = language.lower()
    return "hans" in tag or tag in ("zh-cn", "zh-sg")


def _estimate(text: str) -> int:
    wide = len(re.findall(r"[\u3000-\u9fff\uac00-\ud7af]", text))
    return wide + (len(text) - wide) // 4


# Named apart from the fixture so that test modules can import it without shadowing.
@pytest.fixture(name="loopback_llm")
def loopback_llm_fixture():
    """A loopback model server on a free port for one test."""
    server = LoopbackLLM().start()
    yield server
    server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8901)
    parser.add_argument("--latency-ms", type=int, default=0, help="fixed, or the median")
    parser.add_argument("--latency", choices=("fixed", "lognormal"), default="fixed")
    parser.add_argument("--latency-p99-ms", type=int, default=0)
    parser.add_argument("--rpm", type=int, default=0, help="requests per minute allowed")
    parser.add_argument("--tpm", type=int, default=0, help="tokens per minute allowed")
    parser.add_argument("--shapes", default="", help=f"comma-separated, of {', '.join(SHAPES)}")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--faults", default=",".join(FAULTS), help="comma-separated fault kinds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--stall-seconds", type=float, default=3.0)
    parser.add_argument("--refuse-json-schema", action="store_true")
    arguments = parser.parse_args()
    unknown = set(arguments.faults.split(",")) - set(FAULTS) - set(SCRIPTED_ONLY_FAULTS)
    if unknown:
        parser.error(
            f"unknown faults: {', '.join(sorted(unknown))}; choose from {', '.join(FAULTS)}"
        )
    server = LoopbackLLM(
        arguments.host,
        arguments.port,
        latency_ms=arguments.latency_ms,
        latency=arguments.latency,
        latency_p99_ms=arguments.latency_p99_ms,
        rpm=arguments.rpm,
        tpm=arguments.tpm,
        shapes=[shape for shape in arguments.shapes.split(",") if shape],
        fault_rate=arguments.fault_rate,
        faults=arguments.faults.split(","),
        seed=arguments.seed,
        retry_after=arguments.retry_after,
        stall_seconds=arguments.stall_seconds,
        refuse_json_schema=arguments.refuse_json_schema,
    )
    print(f"Loopback model server on {server.base_url} (Ctrl+C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.")


if __name__ == "__main__":
    main()
