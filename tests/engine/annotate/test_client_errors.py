"""Every way a request can fail has its own counter (issue 25): refused, reset, timeout, HTTP status by code,
malformed output; the start-up check refuses an endpoint nothing answers on."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest
from vner.engine.annotate.annotator import LLMAnnotator
from vner.engine.annotate.client import ChatClient, LLMError, LLMSettings, LLMUnreachable

from tests.engine.annotate.conftest import ScriptedServer, answer, free_port

MSG = [{"role": "user", "content": "x"}]


def mk(url: str, retries: int = 1, timeout: float = 2.0) -> ChatClient:
    return ChatClient(
        LLMSettings(base_url=url, timeout_s=timeout, max_retries=retries, backoff_s=0.01, concurrency=2)
    )


def test_refused_port_is_counted_as_connection_refused_and_fails_the_check() -> None:
    c = mk(f"http://127.0.0.1:{free_port()}/v1", retries=2)
    with pytest.raises(LLMError, match="connection_refused"):
        c.chat(MSG)
    assert c.stats.connection_refused == 3 and c.stats.failures == 1 and c.stats.requests == 3
    assert c.stats.errors() == {"connection_refused": 3}
    with pytest.raises(LLMUnreachable, match="unreachable: connection_refused on GET http://127.0.0.1:"):
        c.check()


def test_http_500_is_counted_by_code(llm_server: ScriptedServer) -> None:
    llm_server.handler = lambda p: (500, "", 0)
    c = mk(llm_server.url, retries=1)
    with pytest.raises(LLMError, match="http_500"):
        c.chat(MSG)
    assert c.stats.http_500 == 2 and c.stats.retries == 1 and c.stats.failures == 1
    assert c.stats.errors() == {"http_500": 2}
    assert c.stats.as_dict()["http_500"] == 2
    c.check()  # the server is up: the check passes even though completions fail


def test_non_retryable_status_is_counted_by_code(llm_server: ScriptedServer) -> None:
    llm_server.handler = lambda p: (404, "", 0)
    c = mk(llm_server.url, retries=3)
    with pytest.raises(LLMError, match="404"):
        c.chat(MSG)
    assert c.stats.errors() == {"http_404": 1} and c.stats.requests == 1


def test_malformed_json_body_is_malformed_output(llm_server: ScriptedServer) -> None:
    llm_server.raw_body = b'{"choices": [{"message": '
    c = mk(llm_server.url, retries=1)
    ann = LLMAnnotator(c, {"BANK": "tên ngân hàng"})
    res = ann.annotate("Vietcombank")
    assert res.failed
    assert c.stats.malformed_output == 2 and c.stats.errors() == {"malformed_output": 2}
    assert ann.report()["client"]["malformed_output"] == 2  # type: ignore[index]


def test_spans_not_in_the_text_are_counted(llm_server: ScriptedServer) -> None:
    llm_server.handler = lambda p: (200, answer(("BANK", "Techcombank", 1)), 0)
    ann = LLMAnnotator(mk(llm_server.url), {"BANK": "tên ngân hàng"})
    ann.annotate("Vietcombank")
    assert ann.errors["span_not_found"] == 1 and not ann.client.stats.errors()


def test_timeout_is_counted(llm_server: ScriptedServer) -> None:
    llm_server.handler = lambda p: (200, "{}", 1.0)
    c = mk(llm_server.url, retries=0, timeout=0.2)
    with pytest.raises(LLMError, match="timeouts"):
        c.chat(MSG)
    assert c.stats.errors() == {"timeouts": 1}


@pytest.fixture
def resetting_server() -> Iterator[str]:
    """Accepts, reads the request, then aborts the connection (RST) like a server that crashed answering."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    stop = threading.Event()

    def loop() -> None:
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except (TimeoutError, OSError):
                continue
            conn.recv(65536)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}/v1"
    stop.set()
    t.join(2)
    srv.close()


def test_connection_reset_is_counted(resetting_server: str) -> None:
    c = mk(resetting_server, retries=1)
    with pytest.raises(LLMError, match="connection_reset"):
        c.chat(MSG)
    assert c.stats.errors() == {"connection_reset": 2}


@pytest.mark.parametrize(
    ("content", "returned"),
    [
        ('<answer>{"entities": []}', '<answer>{"entities": []}</answer>'),  # cut at the stop string
        ('<answer>{"entities": []}</answer>', '<answer>{"entities": []}</answer>'),
        ('{"entities": []}', '{"entities": []}'),
    ],
)
def test_generation_stops_at_the_answer_end_and_the_tag_is_put_back(
    llm_server: ScriptedServer, content: str, returned: str
) -> None:
    # a small base model does not end its turn after </answer>; the stop string keeps it from rambling on
    llm_server.handler = lambda p: (200, content, 0)
    c = mk(llm_server.url)
    assert c.chat(MSG) == returned
    assert llm_server.requests[0]["stop"] == ["</answer>"]


def test_check_passes_when_the_server_is_connected_but_busy(llm_server: ScriptedServer) -> None:
    # llama-cpp-python answers GET /models only once the completion it is busy with is done
    llm_server.models_delay_s = 1.5
    c = mk(llm_server.url)
    c.check(timeout_s=0.3)
