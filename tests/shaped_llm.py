"""OpenAI-compatible test servers shaped like the ones "Test connection" must judge: one
that ignores `response_format` and wraps its JSON in reasoning, a code fence and prose
(as small local models do), one that never answers in JSON, one that wants an API key,
and one without a list of models. The answers' JSON comes from the loopback server's
`answer`, so it fits the agents' schemas.

    with ShapedLLM("prose") as server: ...   # server.base_url
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.loopback_llm import LoopbackConfig, answer

SHAPES = ("prose", "no_json", "keyed", "no_models")
KEY = "sk-test-the-right-key-1234"


class ShapedLLM:
    def __init__(self, shape, model="shaped-model"):
        if shape not in SHAPES:
            raise ValueError(f"Unknown shape {shape}; choose one of {', '.join(SHAPES)}.")
        self.shape, self.model = shape, model
        self.requests = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True

    @property
    def base_url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self):
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def content(self, body):
        if self.shape == "no_json":
            return "I am a friendly assistant. How can I help you with your translation today?"
        data = json.dumps(answer(body, LoopbackConfig()), ensure_ascii=False)
        if self.shape == "prose":
            return (
                "<think>The user wants JSON. I will write it.</think>\n"
                f"Here is the answer you asked for:\n```json\n{data}\n```\nI hope this helps."
            )
        return data


def _handler_for(server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass

        def do_GET(self):
            if not self._authorised():
                return
            if server.shape == "no_models":
                self._json(404, {"error": {"message": "Not found"}})
                return
            self._json(200, {"object": "list", "data": [{"id": server.model, "object": "model"}]})

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            server.requests.append(body)
            if not self._authorised():
                return
            content = server.content(body)
            self._json(
                200,
                {
                    "id": "chatcmpl-shaped",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 900, "completion_tokens": 60, "total_tokens": 960},
                },
            )

        def _authorised(self):
            if server.shape != "keyed" or self.headers.get("Authorization") == f"Bearer {KEY}":
                return True
            given = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            # Like the real servers, the refusal quotes the key it was given.
            message = f"Incorrect API key provided: {given}."
            self._json(401, {"error": {"message": message, "type": "invalid_request_error"}})
            return False

        def _json(self, status, payload):
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
