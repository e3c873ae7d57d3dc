"""Redis going away and coming back is logged once each way and counted (issue 23), against a real Redis."""

from __future__ import annotations

import io
import json
import types
from pathlib import Path

import pytest
import structlog
import vner.streams.cache as cache_mod
from vner.streams.cache import ResultCache, cache_key
from vner.streams.logs import configure_logging
from vner.streams.metrics import StreamMetrics

from tests.streams.conftest import free_port
from tests.streams.test_redis_down import redis

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

KEY = cache_key(text="Chị Lan 0987654321", domain="cs", ref_time="t", model_version="m", rules_version="r")


def test_down_and_back_logged_once_each_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]  # the cache's retry clock, moved by hand
    monkeypatch.setattr(cache_mod, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    port, var = free_port(), tmp_path / "var"
    buf = io.StringIO()
    configure_logging("debug", stream=buf)
    redis("start", port, var)
    try:
        m = StreamMetrics()
        c = ResultCache(f"redis://127.0.0.1:{port}/0", ttl_s=60, metrics=m, retry_s=1.0)
        c.set_many({KEY: [{"label": "PHONE"}]})
        assert c.get_many([KEY]) == [[{"label": "PHONE"}]]
        redis("stop", port, var)
        for _ in range(3):  # three failed tries, one "down" transition
            assert c.get_many([KEY]) == [None]
            now[0] += 1.5
        assert m.value("vner_cache_errors_total") == 3
        assert m.value("vner_cache_transitions_total", {"to": "down"}) == 1
        assert m.value("vner_cache_up") == 0
        redis("start", port, var)
        for _ in range(2):
            c.get_many([KEY])
            now[0] += 1.5
        assert m.value("vner_cache_transitions_total", {"to": "up"}) == 1
        assert m.value("vner_cache_up") == 1
        c.close()
    finally:
        redis("stop", port, var)
        structlog.reset_defaults()
    events = [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]
    mine = [e for e in events if e.get("logger_name") == "vner.streams.cache"]
    assert [e["event"] for e in mine] == [
        "redis cache unreachable; every lookup is a miss until it is back",
        "redis cache back",
    ]
    assert mine[0]["level"] == "warning" and mine[0]["error"] in ("ConnectionError", "TimeoutError")
    assert "0987654321" not in buf.getvalue()
