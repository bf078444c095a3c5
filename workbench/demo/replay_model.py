"""The demo replay model: an OpenAI-compatible server on the loopback interface that
answers the agents from the demo's recordings (recordings/), so that "Draft with agents"
runs the real pipeline, workers and progress bar on the demo judgments without a model.

    python -m workbench.demo.replay_model --port 8911

`make run` starts it when no model endpoint is configured and points OPENAI_BASE_URL at
it; nothing else in the workbench knows it exists. It has one model, "demo-replay". The
Translator gets the recorded draft of each segment, the Annotator the recorded issues of
that draft, the Proofreader the recorded revision, the brief the recorded brief of the
document. Text that is not in the recordings (any document of your own) gets an error
that says how to connect a real model, which the drafting page then shows. It imports
nothing of Django.
"""

import argparse
import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from agents.batching import estimate_tokens
from agents.prompts import DATA_CLOSE, DATA_OPEN
from workbench.demo.recordings import RecordingBook, read_briefs

MODEL = "demo-replay"
DEFAULT_PORT = 8911
DATA_BLOCK = re.compile(re.escape(DATA_OPEN) + r"\s*(.*?)\s*" + re.escape(DATA_CLOSE), re.DOTALL)
SCHEMA_IN_PROMPT = re.compile(r'JSON schema named "(\w+)"')
CONNECT_A_MODEL = (
    "Connect a model to draft your own documents: set OPENAI_BASE_URL (and OPENAI_API_KEY) "
    "or WORKBENCH_ENDPOINTS before `make run`, as the README's “Connecting a model” says, "
    "and choose it on the project's Agents page."
)


class NotRecorded(Exception):
    """The request asks about text the recordings do not have."""


class ReplayModel:
    """The server and the recordings it answers from; start() and stop() it, or use it
    as a context manager."""

    def __init__(self, host="127.0.0.1", port=0, *, latency_ms=0, book=None):
        self.book = book or RecordingBook()
        self.briefs = read_briefs()
        self.latency_ms = latency_ms
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = None

    @property
    def base_url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self):
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def serve_forever(self):
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()

    # Answers, by the schema the agent asked for.

    def answer(self, schema, data):
        source_language = data.get("source_language", "")
        language = data.get("target_language", "")
        if schema == "TranslatorOutput":
            return {
                "segments": [
                    {"id": item["id"], "target": self._find(language, item).translator_draft}
                    for item in data.get("segments", [])
                ]
            }
        if schema == "AnnotatorOutput":
            return {
                "segments": [
                    {"id": item["id"], "issues": self._issues(language, item)}
                    for item in data.get("segments", [])
                ]
            }
        if schema == "ProofreaderOutput":
            return {
                "segments": [self._revision(language, item) for item in data.get("segments", [])]
            }
        if schema == "DocumentBrief":
            document = self.book.document_of(language, data.get("excerpt", ""))
            if document is None or document not in self.briefs:
                raise NotRecorded(
                    f"This is the demo replay model: it has briefs for the demo judgments "
                    f"only, not for this {source_language} document."
                )
            return self.briefs[document]
        if schema == "RevisionOutput":
            segment = data.get("segment", {})
            recording = self._find(language, segment)
            offered = recording.team if recording.team != segment.get("target") else ""
            return {
                "target": offered or segment.get("target", ""),
                "explanation": (
                    "The demo replay model cannot follow instructions; it offers the team's "
                    "recorded translation of this segment."
                    if offered
                    else "The demo replay model cannot follow instructions, and the text is "
                    "already the team's recorded translation."
                ),
            }
        raise NotRecorded(
            f"The demo replay model answers the workbench's agents only; it has no answer "
            f"in the form “{schema or 'free text'}”."
        )

    def _find(self, language, item):
        recording = self.book.find(language, item.get("source", ""))
        if recording is None:
            excerpt = " ".join(item.get("source", "").split())[:80]
            raise NotRecorded(
                "This is the demo replay model: it has only the recorded answers for the demo "
                f"judgments, so it cannot translate “{excerpt}”. {CONNECT_A_MODEL}"
            )
        return recording

    def _issues(self, language, item):
        recording = self._find(language, item)
        if item.get("target") != recording.translator_draft:
            return []
        return [
            {
                "span": issue.span,
                "category": issue.category,
                "severity": issue.severity,
                "suggestion": issue.suggestion,
                "explanation": issue.explanation,
            }
            for issue in recording.issues
        ]

    def _revision(self, language, item):
        recording = self._find(language, item)
        target = item.get("target", "")
        revised = recording.revision if target == recording.translator_draft else ""
        resolutions = []
        for issue in item.get("issues", []):
            span, suggestion = issue.get("span", ""), issue.get("suggestion", "")
            if revised and span and span not in revised:
                resolution = f"Replaced “{span}” with “{suggestion}”."
            elif revised:
                resolution = f"Revised: {suggestion}"
            else:
                resolution = "Left as is: the wording is deliberate."
            resolutions.append({"issue": issue.get("explanation", ""), "resolution": resolution})
        return {"id": item["id"], "target": revised or target, "resolutions": resolutions}


def schema_of(body):
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return response_format.get("json_schema", {}).get("name", "")
    for message in body.get("messages", []):
        if message.get("role") == "system":
            found = SCHEMA_IN_PROMPT.search(_text(message))
            if found:
                return found.group(1)
    return ""


def data_of(body):
    for message in body.get("messages", []):
        if message.get("role") == "user":
            found = DATA_BLOCK.search(_text(message))
            if found:
                return json.loads(found.group(1))
    return {}


def _text(message):
    content = message.get("content") or ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content


def _handler_for(replay):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format, *args):
            pass

        def do_GET(self):
            if self.path.rstrip("/") == "/v1/models":
                model = {"id": MODEL, "object": "model", "owned_by": "workbench-demo"}
                self._json(200, {"object": "list", "data": [model]})
            else:
                self._error(404, f"The demo replay model has no route {self.path}.")

        def do_POST(self):
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._error(404, f"The demo replay model has no route {self.path}.")
                return
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                data = data_of(body)
            except (ValueError, UnicodeDecodeError):
                self._error(400, "The request body is not the JSON of a chat completion.")
                return
            if body.get("model") != MODEL:
                self._error(
                    404,
                    f"The demo replay model is called “{MODEL}”; it cannot answer as "
                    f"“{body.get('model')}”. {CONNECT_A_MODEL}",
                    code="model_not_found",
                )
                return
            if replay.latency_ms:
                time.sleep(replay.latency_ms / 1000)
            try:
                answer = replay.answer(schema_of(body), data)
            except NotRecorded as missing:
                self._error(400, str(missing), code="not_recorded")
                return
            content = json.dumps(answer, ensure_ascii=False)
            prompt = sum(estimate_tokens(_text(message)) for message in body["messages"])
            completion = estimate_tokens(content)
            self._json(
                200,
                {
                    "id": f"chatcmpl-demo-replay-{time.monotonic_ns()}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": MODEL,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt,
                        "completion_tokens": completion,
                        "total_tokens": prompt + completion,
                    },
                },
            )

        def _error(self, status, message, code=None):
            error = {"message": message, "type": "invalid_request_error", "code": code}
            self._json(status, {"error": error})

        def _json(self, status, payload):
            data = json.dumps(payload, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=300,
        help="how long each answer takes, so the drafting page's progress can be followed",
    )
    arguments = parser.parse_args()
    replay = ReplayModel(arguments.host, arguments.port, latency_ms=arguments.latency_ms)
    print(
        f"Demo replay model “{MODEL}” on {replay.base_url}: recorded answers for the demo "
        "judgments only (Ctrl+C stops it).",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        replay.serve_forever()


if __name__ == "__main__":
    main()
