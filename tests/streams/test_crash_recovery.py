"""kill -9 of the worker mid-batch, then a restart: the read_committed output holds every input exactly once."""

from __future__ import annotations

import time

import pytest
from vner.streams.admin import consume, produce_docs

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


def test_sigterm_finishes_commits_and_leaves_the_group(topics, worker) -> None:
    t = topics(partitions=2)
    docs = make_docs(600, salt=t.group)
    produce_docs(KAFKA, t.input, docs)
    w = worker(
        t,
        pipeline_factory="tests.streams.pipeline_factory:build_slow",
        batch_max_records=8,
        queue_max_records=40,  # at most 40 in flight: SIGTERM finishes those, not the whole topic
        env={"STREAM_TEST_DELAY_MS": "60"},
    )
    w.wait_ready()
    deadline = time.monotonic() + 60
    while w.metric("vner_records_produced_total") < 100:
        assert time.monotonic() < deadline, w.logs()[-2000:]
        time.sleep(0.05)
    t0 = time.monotonic()
    assert w.stop() == 0  # SIGTERM: exit status 0
    assert time.monotonic() - t0 < 20
    logs = w.logs()
    assert '"event": "revoked"' in logs and '"event": "stopped"' in logs  # left the group after committing
    committed = outputs(consume(KAFKA, t.output, timeout_s=5, idle_s=2.0))
    assert 100 <= len(committed) < 600
    assert len({o["id"] for o in committed}) == len(committed)

    t1 = time.monotonic()
    w2 = worker(t)
    w2.wait_ready(timeout=30)
    assert time.monotonic() - t1 < 5.5, (
        "the old member had not left: the new one waited for its session timeout"
    )
    got = outputs(wait_for(t.output, 600))
    ids = [o["id"] for o in got]
    assert len(ids) == 600 and sorted(ids) == sorted(d["id"] for d in docs)


@pytest.mark.timeout(600)
def test_rebalance_when_a_second_worker_joins_mid_stream(topics, worker) -> None:
    t = topics(partitions=4)
    docs = make_docs(1000, salt=t.group)
    produce_docs(KAFKA, t.input, docs)
    slow = {
        "pipeline_factory": "tests.streams.pipeline_factory:build_slow",
        "batch_max_records": 8,
        "queue_max_records": 32,
    }
    w1 = worker(t, transactional_id=f"{t.group}-a", env={"STREAM_TEST_DELAY_MS": "100"}, **slow)
    w1.wait_ready()
    deadline = time.monotonic() + 60
    while w1.metric("vner_records_produced_total") < 150:
        assert time.monotonic() < deadline, w1.logs()[-2000:]
        time.sleep(0.05)
    w2 = worker(t, transactional_id=f"{t.group}-b", env={"STREAM_TEST_DELAY_MS": "100"}, **slow)
    # a generous deadline: the wait ends when all 1,000 arrived; only a loaded box needs the rest of it
    got = outputs(wait_for(t.output, 1000, timeout_s=400))
    p1, p2 = w1.metric("vner_records_produced_total"), w2.metric("vner_records_produced_total")
    assert w1.stop() == 0 and w2.stop() == 0
    assert '"event": "revoked"' in w1.logs()
    assert p2 > 0, "the second worker never got partitions"
    ids = [o["id"] for o in got]
    assert len(ids) == 1000, f"{len(ids)} outputs, {len(ids) - len(set(ids))} duplicates"
    assert sorted(ids) == sorted(d["id"] for d in docs)
    assert p1 + p2 >= 1000
