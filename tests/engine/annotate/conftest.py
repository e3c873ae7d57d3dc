"""A real local OpenAI-compatible HTTP server whose answers each test scripts (the paid LLM API boundary)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Handler = Callable[[dict[str, Any]], tuple[int, str, float]]


class ScriptedServer:
    def __init__(self) -> None:
        self.handler: Handler = lambda payload: (200, '{"entities": []}', 0.0)
        self.requests: list[dict[str, Any]] = []
        self.raw_body: bytes | None = None  # when set, POST answers this body verbatim (a malformed response)
        self.models_status = 200  # GET /v1/models, the endpoint check
        self.models_delay_s = 0.0  # GET /v1/models answers this late (a server busy with a completion)
        self.lock = threading.Lock()
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, data: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/").endswith("/models"):
                    time.sleep(outer.models_delay_s)
                    self._send(outer.models_status, b'{"object": "list", "data": [{"id": "scripted"}]}')
                else:
                    self._send(404, b'{"error": "not found"}')

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with outer.lock:
                    outer.requests.append(body)
                status, content, delay = outer.handler(body)
                if delay:
                    time.sleep(delay)
                data = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": content}}]}
                ).encode()
                if status != 200:
                    data = b'{"error": "scripted"}'
                if outer.raw_body is not None:
                    data = outer.raw_body
                self._send(status, data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    """A local port nothing listens on (connections to it are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def last_text(payload: dict[str, Any]) -> str:
    """The text being annotated (the last user message starting with 'Text: ')."""
    for m in reversed(payload["messages"]):
        if m["role"] == "user" and m["content"].startswith("Text: "):
            return str(m["content"][6:])
    return ""


def answer(*items: tuple[str, str, int]) -> str:
    ents = [{"label": lab, "text": txt, "occurrence": occ} for lab, txt, occ in items]
    return (
        "<reasoning>looked at it</reasoning><answer>"
        + json.dumps({"entities": ents}, ensure_ascii=False)
        + "</answer>"
    )


@pytest.fixture
def llm_server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer()
    yield srv
    srv.close()
