"""AttemptLog against the real Redis: a batch that started and never finished is counted for the next process;
one that finished is forgotten; without Redis nothing is counted and nothing raises."""

from __future__ import annotations

import time
import uuid

import pytest
from vner.streams.attempts import AttemptLog
from vner.streams.metrics import StreamMetrics

from tests.streams.conftest import REDIS_URL, free_port

pytestmark = pytest.mark.integration


def _log(url: str | None, group: str, limit: int = 3) -> AttemptLog:
    return AttemptLog(url, group=group, limit=limit, ttl_s=60, metrics=StreamMetrics())


def test_unfinished_attempts_survive_the_process_and_finished_ones_do_not(services) -> None:
    group = f"g{uuid.uuid4().hex[:8]}"
    first = _log(REDIS_URL, group)
    first.started([("in", 0, 5), ("in", 0, 6), ("in", 1, 9)])
    first.finished([("in", 0, 6)])  # its batch returned; 5 and 9 were in flight when "the process died"
    first.started([("in", 0, 5)])
    second = _log(REDIS_URL, group)
    assert second.previous(("in", 0, 5)) == 0  # nothing known before load (assignment)
    second.load([("in", 0), ("in", 1)])
    assert [second.previous(w) for w in (("in", 0, 5), ("in", 0, 6), ("in", 1, 9))] == [2, 0, 1]
    second.finished([("in", 0, 5)])
    assert second.previous(("in", 0, 5)) == 0
    third = _log(REDIS_URL, group)
    third.load([("in", 0)])
    assert third.previous(("in", 0, 5)) == 0


def test_without_redis_nothing_is_counted_and_nothing_raises() -> None:
    for log in (
        _log(None, "g"),
        _log(REDIS_URL, "g", limit=0),
        _log(f"redis://127.0.0.1:{free_port()}/0", "g"),
    ):
        t0 = time.monotonic()
        log.load([("in", 0)])
        for _ in range(20):  # after the first failure Redis is left alone for a while: no per-batch timeouts
            log.started([("in", 0, 1)])
            log.finished([("in", 0, 1)])
        assert log.previous(("in", 0, 1)) == 0
        assert time.monotonic() - t0 < 2.0
