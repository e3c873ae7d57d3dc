"""Crash-loop detection: how many times each record's batch started without finishing, kept in Redis.

Before a batch runs, every record in it gets ``HINCRBY`` in the hash ``vner:attempts:<group>:<topic>:<partition>``
(field = offset, the hash's TTL renewed to ``ttl_s``); when the batch returns, its fields are deleted. A field
left behind means the process died (``os._exit``, OOM kill, segfault, kill -9) while that record was in flight.
On assignment the worker loads the fields of its partitions: a record with a count of at least 1 is a *suspect*
and runs alone, with nothing else in flight (so only the record that kills the process is counted again); one
with a count of at least ``crash_loop_attempts`` is not run at all but dead-lettered with reason ``crash_loop``.
With the default 3: three deaths on the same record, and the fourth start dead-letters it and goes on.

Without Redis (``redis_url`` unset, or Redis unreachable when a batch starts or when partitions are assigned)
nothing is counted: errors are logged once per outage and counted in ``vner_errors_total{kind="attempts"}``, the
stream goes on, and a record that kills the process keeps killing it (the partition is stuck, visible as pod
restarts and a growing lag) until Redis is back — then it is caught after ``crash_loop_attempts`` more deaths.
Two round trips per batch (one ``HINCRBY`` pipeline, one ``HDEL``), none per record; after a failure Redis is not
asked again for ``retry_s`` (5 s), so an outage costs no per-batch timeouts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

import redis

from .logs import get_logger
from .metrics import StreamMetrics

log = get_logger("vner.streams.attempts")

Where = tuple[str, int, int]  # (topic, partition, offset)


class AttemptLog:
    """Counts unfinished attempts per record in Redis; a no-op when ``url`` is ``None`` or ``limit`` is 0."""

    def __init__(
        self,
        url: str | None,
        *,
        group: str,
        limit: int,
        ttl_s: int,
        metrics: StreamMetrics,
        timeout_s: float = 0.25,
        retry_s: float = 5.0,
    ) -> None:
        self.limit = limit
        self._group = group
        self._ttl_s = ttl_s
        self._metrics = metrics
        self._known: dict[Where, int] = {}  # counts loaded at assignment (attempts before this start)
        self._lock = threading.Lock()
        self._down = False
        self._retry_s = retry_s
        self._down_until = 0.0  # after a failure Redis is not asked again for retry_s (no per-batch timeouts)
        self._client: redis.Redis | None = None
        if url and limit > 0:
            self._client = redis.Redis.from_url(
                url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, retry_on_timeout=False
            )

    def _key(self, topic: str, partition: int) -> str:
        return f"vner:attempts:{self._group}:{topic}:{partition}"

    def _failed(self, err: Exception, what: str) -> None:
        self._metrics.errors.labels(kind="attempts").inc()
        with self._lock:
            was_down, self._down = self._down, True
            self._down_until = time.monotonic() + self._retry_s
        if not was_down:
            log.warning(
                "attempt log unavailable; crash loops are not detected", call=what, error=type(err).__name__
            )

    def _usable(self) -> bool:
        return self._client is not None and time.monotonic() >= self._down_until

    def _ok(self) -> None:
        with self._lock:
            was_down, self._down = self._down, False
        if was_down:
            log.info("attempt log back")

    def load(self, partitions: Iterable[tuple[str, int]]) -> None:
        """Read the counts of ``partitions`` (on assignment): records in flight when earlier processes died."""
        if self._client is None:
            return
        parts = list(partitions)
        self._down_until = 0.0  # a new assignment always asks
        try:
            pipe = self._client.pipeline(transaction=False)
            for topic, part in parts:
                pipe.hgetall(self._key(topic, part))
            found = pipe.execute()
        except (redis.RedisError, OSError) as e:
            self._failed(e, "load")
            return
        self._ok()
        for (topic, part), fields in zip(parts, found, strict=True):
            for off, n in fields.items():
                self._known[(topic, part, int(off))] = int(n)
        if any(n >= 1 for n in self._known.values()):
            log.warning("records in flight when a worker died", records=len(self._known))

    def previous(self, where: Where) -> int:
        """Unfinished attempts of a record before this process read it (0 if none, or nothing is tracked)."""
        return self._known.get(where, 0)

    def started(self, records: list[Where]) -> None:
        """Count one attempt of each record (before its batch runs)."""
        if self._client is None or not records or not self._usable():
            return
        try:
            pipe = self._client.pipeline(transaction=False)
            for topic, part, off in records:
                key = self._key(topic, part)
                pipe.hincrby(key, str(off), 1)
                pipe.expire(key, self._ttl_s)
            pipe.execute()
        except (redis.RedisError, OSError) as e:
            self._failed(e, "started")
            return
        self._ok()

    def finished(self, records: list[Where]) -> None:
        """Forget the attempts of records whose batch returned."""
        if self._client is None or not records:
            return
        for where in records:
            self._known.pop(where, None)
        if not self._usable():
            return
        by_key: dict[str, list[str]] = {}
        for topic, part, off in records:
            by_key.setdefault(self._key(topic, part), []).append(str(off))
        try:
            pipe = self._client.pipeline(transaction=False)
            for key, offs in by_key.items():
                pipe.hdel(key, *offs)
            pipe.execute()
        except (redis.RedisError, OSError) as e:
            self._failed(e, "finished")
            return
        self._ok()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
