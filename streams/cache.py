"""Redis result cache: entities per (text hash, model version, rules version, domain, reference time), with TTL.

A replayed record (after a crash or a rebalance) has the same text, domain and reference time, so it gets the
same entities back without running the pipeline again: replays are idempotent and cheap. The key holds a
SHA-256 of the text, never the text. When Redis is unreachable the cache steps aside (every lookup is a miss,
nothing is written), counts it in metrics, and tries to reconnect after ``retry_s``. Going away and coming back
are each logged once (``redis cache unreachable`` / ``redis cache back``, with the error's type only) and
counted in ``vner_cache_transitions_total{to="down"|"up"}``; ``vner_cache_up`` says the current state.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Sequence
from typing import Any

import redis

from .logs import get_logger
from .metrics import StreamMetrics

log = get_logger("vner.streams.cache")

KEY_PREFIX = "vner:r1:"


def cache_key(*, text: str, domain: str, ref_time: str, model_version: str, rules_version: str) -> str:
    """The Redis key of one result; only a hash of the text goes into it."""
    h = hashlib.sha256()
    for part in (model_version, rules_version, domain, ref_time, text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return KEY_PREFIX + h.hexdigest()


class ResultCache:
    """Thread-safe get/set of entity lists; degrades to a no-op while Redis is down."""

    def __init__(
        self,
        url: str | None,
        *,
        ttl_s: int,
        metrics: StreamMetrics,
        retry_s: float = 5.0,
        timeout_s: float = 0.25,
    ) -> None:
        self._metrics = metrics
        self._ttl_s = ttl_s
        self._retry_s = retry_s
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._client: redis.Redis | None = None
        self._up = True  # last state seen: a transition is logged once
        if url:
            self._client = redis.Redis.from_url(
                url,
                socket_timeout=timeout_s,
                socket_connect_timeout=timeout_s,
                retry_on_timeout=False,
                health_check_interval=0,
            )
        metrics.cache_up.set(1 if self._client is not None else 0)

    @property
    def enabled(self) -> bool:
        return self._client is not None

    def _usable(self) -> bool:
        if self._client is None:
            return False
        with self._lock:
            return time.monotonic() >= self._down_until

    def _failed(self, err: Exception) -> None:
        self._metrics.cache_errors.inc()
        self._metrics.cache_up.set(0)
        with self._lock:
            self._down_until = time.monotonic() + self._retry_s
            was_up, self._up = self._up, False
        if was_up:
            self._metrics.cache_transitions.labels(to="down").inc()
            log.warning(
                "redis cache unreachable; every lookup is a miss until it is back",
                error=type(err).__name__,
                retry_s=self._retry_s,
            )

    def _succeeded(self) -> None:
        self._metrics.cache_up.set(1)
        with self._lock:
            was_up, self._up = self._up, True
        if not was_up:
            self._metrics.cache_transitions.labels(to="up").inc()
            log.info("redis cache back")

    def get_many(self, keys: Sequence[str]) -> list[list[dict[str, Any]] | None]:
        """Cached entity dicts per key (``None`` = miss); all misses while Redis is down."""
        if not keys:
            return []
        if not self._usable():
            self._metrics.cache.labels(result="bypassed").inc(len(keys))
            return [None] * len(keys)
        assert self._client is not None
        try:
            raw = self._client.mget(list(keys))
        except (redis.RedisError, OSError) as e:
            self._failed(e)
            self._metrics.cache.labels(result="error").inc(len(keys))
            return [None] * len(keys)
        self._succeeded()
        out: list[list[dict[str, Any]] | None] = []
        for val in raw:
            if val is None:
                out.append(None)
                continue
            try:
                out.append(json.loads(val))
            except ValueError:
                out.append(None)
        hits = sum(v is not None for v in out)
        self._metrics.cache.labels(result="hit").inc(hits)
        self._metrics.cache.labels(result="miss").inc(len(out) - hits)
        return out

    def set_many(self, items: dict[str, list[dict[str, Any]]]) -> None:
        """Store results with the TTL; silently skipped (and counted) while Redis is down."""
        if not items or not self._usable():
            return
        assert self._client is not None
        try:
            pipe = self._client.pipeline(transaction=False)
            for key, ents in items.items():
                pipe.set(key, json.dumps(ents, ensure_ascii=False, default=str), ex=self._ttl_s)
            pipe.execute()
        except (redis.RedisError, OSError) as e:
            self._failed(e)
            return
        self._succeeded()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
