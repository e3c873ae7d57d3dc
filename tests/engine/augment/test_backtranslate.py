"""Back-translation against real local HTTP servers: a scripted OpenAI-compatible chat endpoint and a
LibreTranslate-shaped MT endpoint. Entities survive the round trip; failures are dropped and counted."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from vner.engine.annotate.client import ChatClient, LLMSettings
from vner.engine.augment import get_augmenter
from vner.engine.augment.backtranslate import BackTranslator, ChatTranslator, HttpTranslator, protect, restore
from vner.engine.training.corpus import Doc, Span

from tests.engine.annotate.conftest import ScriptedServer

TEXT = "Giao cho chị Lan ở Đà Nẵng nhé"
DOC = Doc("d1", TEXT, (Span(13, 16, "NAME"), Span(19, 26, "LOCATION")))
EN = {"Giao cho chị ⟦0⟧ ở ⟦1⟧ nhé": "Deliver to Ms ⟦0⟧ in ⟦1⟧ please"}
VI = {"Deliver to Ms ⟦0⟧ in ⟦1⟧ please": "Vui lòng giao tới chị ⟦0⟧ tại ⟦1⟧"}


@pytest.fixture
def llm_server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer()
    yield srv
    srv.close()


def test_protect_and_restore_keep_entity_texts() -> None:
    assert protect(DOC) == "Giao cho chị ⟦0⟧ ở ⟦1⟧ nhé"
    new = restore(DOC, "Vui lòng giao tới ⟦1⟧ cho chị ⟦0⟧")
    assert new is not None
    assert [(new.text[s.start : s.end], s.label) for s in new.spans] == [
        ("Đà Nẵng", "LOCATION"),
        ("Lan", "NAME"),
    ]
    assert restore(DOC, "Vui lòng giao tới ⟦1⟧") is None  # a placeholder lost
    assert restore(DOC, "⟦0⟧ ⟦0⟧ ⟦1⟧") is None  # a placeholder repeated


def _chat(srv: ScriptedServer) -> ChatTranslator:
    return ChatTranslator(ChatClient(LLMSettings(base_url=srv.url, timeout_s=2, max_retries=0)))


def test_round_trip_through_a_chat_endpoint(llm_server: ScriptedServer) -> None:
    def h(p: dict[str, Any]) -> tuple[int, str, float]:
        text = p["messages"][-1]["content"]
        return 200, EN.get(text) or VI.get(text) or "???", 0

    llm_server.handler = h
    res = BackTranslator(translator=_chat(llm_server)).augment([DOC], rate=1.0, seed=1)
    out = res.docs[0]
    assert out.text == "Vui lòng giao tới chị Lan tại Đà Nẵng"
    assert [out.text[s.start : s.end] for s in out.spans] == ["Lan", "Đà Nẵng"]
    assert res.report["docs_changed"] == 1 and "to en" in llm_server.requests[0]["messages"][0]["content"]


def test_unalignable_and_failed_records_are_dropped_and_counted(llm_server: ScriptedServer) -> None:
    calls = {"n": 0}

    def h(p: dict[str, Any]) -> tuple[int, str, float]:
        calls["n"] += 1
        if calls["n"] <= 2:  # first doc: the placeholders are lost on the way back
            return 200, "Giao hàng nhé", 0
        return 500, "", 0  # second doc: the endpoint fails

    llm_server.handler = h
    docs = [DOC, Doc("d2", "Gọi Lan nhé", (Span(4, 7, "NAME"),))]
    res = BackTranslator(translator=_chat(llm_server)).augment(docs, rate=1.0, seed=1)
    assert res.docs == docs  # originals kept
    assert res.report["dropped_unaligned"] == 1 and res.report["translate_failed"] == 1


def test_rate_zero_touches_nothing(llm_server: ScriptedServer) -> None:
    res = BackTranslator(translator=_chat(llm_server)).augment([DOC], rate=0.0, seed=3)
    assert res.docs == [DOC] and not llm_server.requests


@pytest.fixture
def libre() -> Iterator[str]:
    class H(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            table = EN if body["target"] == "en" else VI
            data = json.dumps({"translatedText": table.get(body["q"], body["q"])}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/translate"
    srv.shutdown()
    srv.server_close()


def test_registry_builds_it_with_an_mt_endpoint(libre: str) -> None:
    aug = get_augmenter("backtranslate", [DOC], {"translator": HttpTranslator(libre)})
    out = aug.augment([DOC], rate=1.0, seed=0).docs[0]
    assert out.text == "Vui lòng giao tới chị Lan tại Đà Nẵng"
    assert all(out.text[s.start : s.end] in ("Lan", "Đà Nẵng") for s in out.spans)
