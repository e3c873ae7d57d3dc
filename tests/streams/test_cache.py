"""vner.streams.cache against the real Redis: keys hide the text and change with every version input; a down Redis
turns the cache into misses, counted in metrics, and it comes back by itself."""

from __future__ import annotations

import types
import uuid

import pytest
import vner.streams.cache as cache_mod
from vner.streams.cache import KEY_PREFIX, ResultCache, cache_key
from vner.streams.metrics import StreamMetrics
from vner.streams.stage import code_fingerprint

from tests.streams.conftest import REDIS_URL, free_port

TEXT = "Chị Lan 0987654321 chuyển 500k"
BASE = {
    "text": TEXT,
    "domain": "cs",
    "ref_time": "2026-03-01T09:00:00+07:00",
    "model_version": "m1",
    "rules_version": "r1",
}


def test_key_hides_text_and_depends_on_every_part() -> None:
    k = cache_key(**BASE)
    assert k.startswith(KEY_PREFIX) and "0987654321" not in k and "Lan" not in k
    for part, other in [
        ("text", TEXT + "!"),
        ("domain", "med"),
        ("ref_time", "2026-03-02T09:00:00+07:00"),
        ("model_version", "m2"),
        ("rules_version", "r2"),
    ]:
        assert cache_key(**{**BASE, part: other}) != k, part
    assert cache_key(**BASE) == k


def test_code_fingerprint_is_stable() -> None:
    fp = code_fingerprint()
    assert len(fp) == 12 and fp == code_fingerprint()
    assert code_fingerprint(("streams",)) != fp


@pytest.mark.integration
def test_set_get_with_ttl(services: None) -> None:
    m = StreamMetrics()
    c = ResultCache(REDIS_URL, ttl_s=30, metrics=m)
    k1, k2 = cache_key(**{**BASE, "text": uuid.uuid4().hex}), cache_key(**{**BASE, "text": uuid.uuid4().hex})
    ents = [{"start": 8, "end": 18, "label": "PHONE", "value": "+84987654321"}]
    c.set_many({k1: ents})
    assert c.get_many([k1, k2]) == [ents, None]
    assert m.value("vner_cache_requests_total", {"result": "hit"}) == 1
    assert m.value("vner_cache_requests_total", {"result": "miss"}) == 1
    # the key's own expiry, read back from Redis (no sleeping): set with 30 s (10 s of slack for a stalled box)
    pttl = c._client.pttl(k1)  # type: ignore[union-attr]
    assert 20_000 < pttl <= 30_000, pttl
    assert c._client.pttl(k2) == -2  # type: ignore[union-attr]  # never written: no such key
    c.close()
    long = ResultCache(REDIS_URL, ttl_s=86_400, metrics=StreamMetrics())
    long.set_many({k2: []})
    assert 86_390_000 < long._client.pttl(k2) <= 86_400_000  # type: ignore[union-attr]
    assert long.get_many([k2]) == [[]]
    long._client.delete(k1, k2)  # type: ignore[union-attr]
    long.close()


def test_redis_down_means_misses_counted_then_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]  # the cache's clock, moved by hand instead of sleeping
    monkeypatch.setattr(cache_mod, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    m = StreamMetrics()
    c = ResultCache(f"redis://127.0.0.1:{free_port()}/0", ttl_s=30, metrics=m, retry_s=0.3)
    keys = [cache_key(**BASE)]
    assert c.get_many(keys) == [None]
    assert m.value("vner_cache_errors_total") == 1 and m.value("vner_cache_up") == 0
    assert c.get_many(keys) == [None]  # within retry_s: not even tried
    assert m.value("vner_cache_requests_total", {"result": "bypassed"}) == 1
    c.set_many({keys[0]: []})  # skipped silently
    now[0] += 0.29
    assert c.get_many(keys) == [None]  # still within retry_s
    assert m.value("vner_cache_requests_total", {"result": "bypassed"}) == 2
    assert m.value("vner_cache_errors_total") == 1
    now[0] += 0.02
    assert c.get_many(keys) == [None]  # tried again after retry_s
    assert m.value("vner_cache_errors_total") == 2
