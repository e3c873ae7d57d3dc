"""vner.streams.cache against the real Redis: keys hide the text and change with every version input; a down Redis
turns the cache into misses, counted in metrics, and it comes back by itself."""

from __future__ import annotations

import time
import uuid

import pytest
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
    assert 0 < c._client.ttl(k1) <= 30  # type: ignore[union-attr]
    c.close()


def test_redis_down_means_misses_counted_then_retry() -> None:
    m = StreamMetrics()
    c = ResultCache(f"redis://127.0.0.1:{free_port()}/0", ttl_s=30, metrics=m, retry_s=0.3)
    keys = [cache_key(**BASE)]
    assert c.get_many(keys) == [None]
    assert m.value("vner_cache_errors_total") == 1 and m.value("vner_cache_up") == 0
    assert c.get_many(keys) == [None]  # within retry_s: not even tried
    assert m.value("vner_cache_requests_total", {"result": "bypassed"}) == 1
    c.set_many({keys[0]: []})  # skipped silently
    time.sleep(0.35)
    assert c.get_many(keys) == [None]  # tried again after retry_s
    assert m.value("vner_cache_errors_total") == 2
