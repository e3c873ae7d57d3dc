"""kill -9 of the worker mid-batch, then a restart: the read_committed output holds every input exactly once."""

from __future__ import annotations

import time

import pytest

from streams.admin import consume, produce_docs
from tests.streams.conftest import KAFKA, outputs, wait_for
from tests.streams.test_roundtrip import check_against_pipeline, make_docs

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def test_kill_9_mid_batch_then_restart_exactly_once(topics, worker) -> None:
    t = topics(partitions=3)
    docs = make_docs(1000, salt=t.group)
    produce_docs(KAFKA, t.input, docs)
    slow = worker(
        t,
        pipeline_factory="tests.streams.pipeline_factory:build_slow",
        batch_max_records=8,
        commit_interval_ms=100,
        env={"STREAM_TEST_DELAY_MS": "60"},
    )
    slow.wait_ready()
    deadline = time.monotonic() + 90
    seen = 0.0
    while time.monotonic() < deadline:  # wait until it is well into the stream (outputs written, not all)
        seen = slow.metric("vner_records_produced_total")
        if seen >= 150:
            break
        time.sleep(0.05)
    slow.kill9()
    assert 150 <= seen < 1000, f"worker not mid-stream ({seen} outputs):\n{slow.logs()[-2000:]}"
    committed_at_kill = len(consume(KAFKA, t.output, timeout_s=3, idle_s=1.0))
    assert committed_at_kill < 1000

    worker(t, batch_max_records=32)  # same group, same transactional.id: fences and aborts the dead one's txn
    got = outputs(wait_for(t.output, 1000, timeout_s=120))
    ids = [o["id"] for o in got]
    assert len(ids) == 1000, f"{len(ids)} outputs, {len(ids) - len(set(ids))} duplicates"
    assert sorted(ids) == sorted(d["id"] for d in docs)
    check_against_pipeline(got)
